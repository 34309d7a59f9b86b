package pop

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/llmsam/llmsam/internal/refdata"
	"github.com/llmsam/llmsam/stdlib/scenario"
)

// TestReleaseCSVs loads every coefficient file and reproduces the reference
// README's means and adopter counts.
func TestReleaseCSVs(t *testing.T) {
	dir := filepath.Dir(refdata.Path(t, "coeff", "coeff1_3.csv"))
	want := map[int]struct {
		a, tau, f, lambda, o float64
		adopters             int
	}{
		1: {0.220, 0.517, 0.263, 0.669, 0.626, 80},
		2: {0.202, 0.520, 0.278, 0.563, 0.693, 124},
		3: {0.179, 0.488, 0.333, 0.685, 0.528, 60},
	}
	for _, sc := range scenario.Builtin() {
		p, err := LoadRelease(dir, sc)
		if err != nil {
			t.Fatal(err)
		}
		s := p.Summarize()
		w := want[sc.ID]
		close := func(got, want float64) bool { return math.Abs(got-want) < 0.0005 }
		if s.N != 165 || s.Adopters != w.adopters || !close(s.A, w.a) || !close(s.Tau, w.tau) ||
			!close(s.F, w.f) || !close(s.Lambda, w.lambda) || !close(s.Opinion, w.o) {
			t.Errorf("scenario %d: %+v, want %+v", sc.ID, s, w)
		}
		if s.OpinionCounts != sc.Calibration.OpinionCounts {
			t.Errorf("scenario %d: opinion counts %v, want %v", sc.ID, s.OpinionCounts, sc.Calibration.OpinionCounts)
		}
		if err := p.Validate(); err != nil {
			t.Error(err)
		}
		if p[0].Fact == "" || p[0].Reason == "" {
			t.Errorf("scenario %d: person 0 lacks fact or reason", sc.ID)
		}
	}
	// Value-action gap of round 1: o >= 0.6 without adopting, as the release's round-1 answers show.
	for id, gap := range map[int]int{1: 28, 2: 9, 3: 28} {
		sc, _ := scenario.ByName(string(rune('0' + id)))
		p, _ := LoadRelease(dir, sc)
		if g := p.Summarize().GapHighOpinionNoAction; g != gap {
			t.Errorf("scenario %d: value-action gap %d, want %d", id, g, gap)
		}
	}
}

// TestReleaseCSVsCorrupted damages a copy of a real file in each way a user
// might and checks the error names the problem and the line.
func TestReleaseCSVsCorrupted(t *testing.T) {
	raw, err := os.ReadFile(refdata.Path(t, "coeff", "coeff1_3.csv"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(raw), "\r\n")
	edit := func(k int, f func(string) string) []byte {
		c := append([]string(nil), lines...)
		c[k-1] = f(c[k-1])
		return []byte(strings.Join(c, "\r\n"))
	}
	firstField := func(s string) string { return s[:strings.IndexByte(s, ',')] }
	noBOMGBK := append(bytes.TrimPrefix(raw, bom), []byte("0.2,0.5,0.3,0.5,0.5,1.0,\xce\xd2\xbe\xf5\r\n")...)
	cases := []struct {
		name, want string
		data       []byte
	}{
		{"bad number on line 5", "line 5: a \"0.x\": want a number", edit(5, func(s string) string { return "0.x" + s[len(firstField(s)):] })},
		{"out of range", "line 3: lambda = 1.5", edit(3, func(s string) string {
			f := strings.SplitN(s, ",", 5)
			f[3] = "1.5"
			return strings.Join(f, ",")
		})},
		{"simplex broken", "line 4: a + tau + f = ", edit(4, func(s string) string {
			f := strings.SplitN(s, ",", 2)
			return "0.99," + f[1]
		})},
		{"missing column", "lacks column \"lambda\"", edit(1, func(s string) string { return strings.Replace(s, "lambda", "lamda", 1) })},
		{"opinion not a tenth", "line 2: O_inital = 0.45", edit(2, func(s string) string {
			f := strings.SplitN(s, ",", 6)
			f[4] = "0.45"
			return strings.Join(f, ",")
		})},
		{"BOM missing and not UTF-8", "line 32: no UTF-8 byte-order mark", noBOMGBK},
		{"truncated row", "line 6: 3 fields, want 7", edit(6, func(s string) string { return strings.Join(strings.SplitN(s, ",", 4)[:3], ",") })},
	}
	for _, tc := range cases {
		_, err := ReadCSV(bytes.NewReader(tc.data), "coeff1_3.csv")
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "coeff1_3.csv") {
			t.Errorf("%s: error %v, want one naming coeff1_3.csv and containing %q", tc.name, err, tc.want)
		}
	}
	// Without the byte-order mark but valid UTF-8, the file is read as it is.
	p, err := ReadCSV(bytes.NewReader(bytes.TrimPrefix(raw, bom)), "nobom.csv")
	if err != nil || len(p) != 30 {
		t.Fatalf("UTF-8 file without BOM: %d people, %v", len(p), err)
	}
}

func TestWriteCSVRoundTrip(t *testing.T) {
	p := MustSynthetic(scenario.FiveG(), 20, 3)
	p[0].Reason = "cheap, \"fast\", 好"
	var buf bytes.Buffer
	if err := WriteCSV(&buf, p); err != nil {
		t.Fatal(err)
	}
	q, err := ReadCSV(&buf, "round-trip")
	if err != nil {
		t.Fatal(err)
	}
	for i := range p {
		a, b := p[i], q[i]
		if a.A != b.A || a.Tau != b.Tau || a.Lambda != b.Lambda || a.Opinion0 != b.Opinion0 || a.Action0 != b.Action0 || a.Reason != b.Reason {
			t.Fatalf("person %d: wrote %+v, read %+v", i, a, b)
		}
	}
}

// TestSyntheticCalibration checks a large synthetic population against each
// scenario's calibration: the simplex holds exactly, means and sds match, the
// answer histogram matches, and initial actions follow x = 1[o > lambda] about
// as often as the real ones do (83.2% of the 495 real answers).
func TestSyntheticCalibration(t *testing.T) {
	for _, sc := range scenario.Builtin() {
		n := 50000
		p := MustSynthetic(sc, n, 11)
		if err := p.Validate(); err != nil {
			t.Fatalf("%s: %v", sc.Name, err)
		}
		s := p.Summarize()
		c := sc.Calibration
		for _, f := range []struct {
			name      string
			got, want float64
		}{{"a", s.A, c.Mean.A}, {"tau", s.Tau, c.Mean.Tau}, {"f", s.F, c.Mean.F}, {"lambda", s.Lambda, c.Mean.Lambda}} {
			if math.Abs(f.got-f.want) > 0.005 {
				t.Errorf("%s: mean %s %.4f, want %.3f", sc.Name, f.name, f.got, f.want)
			}
		}
		var sdl float64
		for _, x := range p {
			sdl += (x.Lambda - s.Lambda) * (x.Lambda - s.Lambda)
		}
		if sdl = math.Sqrt(sdl / float64(n)); math.Abs(sdl-c.SD.Lambda) > 0.01 {
			t.Errorf("%s: sd lambda %.3f, want %.3f", sc.Name, sdl, c.SD.Lambda)
		}
		for k, cnt := range c.OpinionCounts {
			want := float64(cnt) / 165
			got := float64(s.OpinionCounts[k]) / float64(n)
			if math.Abs(got-want) > 4*math.Sqrt(want*(1-want)/float64(n))+1e-9 {
				t.Errorf("%s: answer %d share %.4f, want %.4f", sc.Name, k, got, want)
			}
		}
		agree := 0
		for _, x := range p {
			if (x.Opinion0 > x.Lambda) == (x.Action0 == 1) {
				agree++
			}
		}
		if share := float64(agree) / float64(n); share < 0.78 || share > 0.95 {
			t.Errorf("%s: %.3f of actions follow o > lambda, want about 0.832 (the real answers)", sc.Name, share)
		}
		adopt := float64(s.Adopters) / float64(n)
		real := float64(c.Adopters) / float64(c.People)
		t.Logf("%s: synthetic adoption %.3f, real %.3f", sc.Name, adopt, real)
		if math.Abs(adopt-real) > 0.03 {
			t.Errorf("%s: synthetic adoption %.3f, real %.3f: more than 3 points apart", sc.Name, adopt, real)
		}
	}
	a, b := MustSynthetic(scenario.Dishwasher(), 50, 1), MustSynthetic(scenario.Dishwasher(), 50, 1)
	for i := range a {
		if a[i] != b[i] {
			t.Fatal("same seed, different populations")
		}
	}
}

// FuzzReadCSV checks that no input makes the CSV reader panic and that what
// it accepts is a valid population.
func FuzzReadCSV(f *testing.F) {
	if dir := refdata.Dir(); dir != "" {
		for _, name := range []string{"coeff1_3.csv", "coeff2_4.csv", "coeff3_5.csv"} {
			if b, err := os.ReadFile(filepath.Join(dir, "coeff", name)); err == nil {
				f.Add(b)
			}
		}
	}
	f.Add([]byte("a,tau,f,lambda,O_inital,A_inital,O_inital_text\n0.2,0.5,0.3,0.5,0.5,1.0,\"x, y\"\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := ReadCSV(bytes.NewReader(data), "fuzz.csv")
		if err != nil {
			return
		}
		if err := p.Validate(); err != nil {
			t.Fatalf("accepted an invalid population: %v", err)
		}
	})
}

func TestReleaseName(t *testing.T) {
	for _, c := range []struct {
		n, i int
		want string
	}{{3, 2, "David"}, {4, 3, "Emily"}, {5, 0, "User0"}, {101, 100, "User100"}, {1_000_000, 999_999, "User999999"}} {
		if got := ReleaseName(c.n, c.i); got != c.want {
			t.Errorf("ReleaseName(%d, %d) = %q, want %q", c.n, c.i, got, c.want)
		}
	}
}

// TestPopulationString: the summary shows the mean initial opinion on the
// answer scale 0-10, as the figures do, and says so.
func TestPopulationString(t *testing.T) {
	p := Population{{A: 0.2, Tau: 0.5, F: 0.3, Lambda: 0.5, Opinion0: 0.6, Action0: 1}, {A: 0.2, Tau: 0.5, F: 0.3, Lambda: 0.5, Opinion0: 0.7}}
	if s := p.String(); !strings.Contains(s, "2 people, initial adoption 0.500, mean opinion 6.50 / 10;") {
		t.Errorf("Population.String() = %q, want mean opinion 6.50 / 10", s)
	}
}
