package llm

import (
	"context"
	"sync"
)

// Stream answers n requests without holding them all: build makes request
// i just before it is sent, and done receives its response as soon as it
// arrives (on any goroutine, concurrently). At most the client's total
// concurrency of requests exist at once, so memory stays bounded whatever
// n is. Stream returns when every request is answered or given up, or ctx
// is done (the requests not started then get ctx's error).
func (c *Client) Stream(ctx context.Context, n int, build func(i int) Request, done func(i int, r Response)) {
	c.startProgress()
	var wg sync.WaitGroup
	limit := make(chan struct{}, c.capacity())
	for i := range n {
		if ctx.Err() != nil {
			done(i, Response{Err: ctx.Err()})
			continue
		}
		limit <- struct{}{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-limit }()
			done(i, c.one(ctx, build(i)))
		}()
	}
	wg.Wait()
}

// capacity is the most requests the endpoints take at once.
func (c *Client) capacity() int {
	c.router.mu.Lock()
	defer c.router.mu.Unlock()
	n := 0
	for _, ep := range c.endpoints {
		n += ep.limit.max
	}
	return n
}
