package llm

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// TestWatchdogEndsOnlyItsRequests: of requests in flight on one client's
// pools, the watchdog ends the one whose context is cancelled and the one
// past its timeout, and leaves the others to their answers.
func TestWatchdogEndsOnlyItsRequests(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(400 * time.Millisecond):
			w.Write([]byte("late answer"))
		}
	}))
	defer srv.Close()
	w := &watchdog{}
	var pools []*httpPool
	for range 2 {
		p, err := newHTTPPool(srv.URL+"/v1", "", 4)
		if err != nil {
			t.Fatal(err)
		}
		p.watchWith(w)
		pools = append(pools, p)
	}
	defer pools[0].close()
	cancelled, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	cases := []struct {
		ctx     context.Context
		timeout time.Duration
		want    error
	}{
		{context.Background(), time.Minute, nil},
		{cancelled, time.Minute, context.Canceled},
		{context.Background(), 150 * time.Millisecond, errTimeout},
		{context.Background(), 0, nil},
	}
	errs := make([]error, len(cases))
	var wg sync.WaitGroup
	for i, tc := range cases {
		wg.Go(func() {
			errs[i] = pools[i%2].do(tc.ctx, tc.timeout, "POST", "/x", plainBody([]byte("{}")), func(status int, _ *respHeader, data []byte) error {
				if string(data) != "late answer" {
					return errors.New("answer " + string(data))
				}
				return nil
			})
		})
	}
	wg.Wait()
	for i, tc := range cases {
		if !errors.Is(errs[i], tc.want) && errs[i] != tc.want {
			t.Errorf("request %d: %v, want %v", i, errs[i], tc.want)
		}
	}
	n := 0
	for _, l := range w.lists {
		n += len(l.busy)
	}
	if n != 0 {
		t.Errorf("%d connections still watched", n)
	}
}
