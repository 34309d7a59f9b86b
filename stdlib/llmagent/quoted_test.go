package llmagent

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/llmsam/llmsam/internal/jsonenc"
	"github.com/llmsam/llmsam/stdlib/agent"
	"github.com/llmsam/llmsam/stdlib/llm"
	"github.com/llmsam/llmsam/stdlib/scenario"
)

// StepRequests returns the requests of one step of m (try 0, first
// request of each archetype), each built with the user message rendered
// as its JSON string where it can be (quoted) or as text: for the external
// tests, which compare their bodies.
func StepRequests(m *Archetypes, env *agent.Env, cur *agent.State, quoted bool) ([]llm.Request, error) {
	s := m.newStep(env, cur, false)
	var out []llm.Request
	for g := range s.groups {
		var mem *requestMemory
		if quoted {
			mem = new(requestMemory) // one per request: they are all held at once
		}
		r, err := s.request(g, 0, 0, mem)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// nastyStrings are strings whose JSON escapes are every kind there is.
var nastyStrings = []string{"", "plain", `with "quotes" and \ backslash`, "<b>tags</b> & amp's > less", "multi\nline\r\ttab\b\f\x01\x1f\x7f",
	"caf\u00e9 \u2028 \u2029 \U0001F600", "invalid \xff \xc3( end\xc3", "\u00e9 starts with a rune",
	"a long string, which the memo remembers: \"quotes\", <tags> & \u2028 \xff\n", "another long string of the same length: \"q\", <t> & \u2029 \xfe\n"}

// splitStart starts with a UTF-8 continuation byte.
const splitStart = "\xa9 starts inside a rune"

// TestJSONTextQuoted: appendJSONTextQuoted writes appendJSONText's JSON
// string escaped again, in one pass.
func TestJSONTextQuoted(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	strs := append([]string{splitStart}, nastyStrings...)
	for range 2000 {
		b := make([]byte, r.IntN(40))
		for k := range b {
			b[k] = "a\"\\<>&\n\t\x00\x1f\xe2\x80\xa8\xa9\xc3\xff "[r.IntN(17)]
		}
		strs = append(strs, string(b))
	}
	for _, s := range strs {
		want := jsonenc.AppendEscaped(nil, string(appendJSONText(nil, s)), true)
		if got := appendJSONTextQuoted(nil, s); !bytes.Equal(got, want) {
			t.Fatalf("%q:\n got %s\nwant %s", s, got, want)
		}
	}
}

// TestQuotedMatchesPlain: the quoted form of every compiled template
// renders jsonenc.AppendString of what the plain form renders, for random
// data whose strings need every escape; strings that start inside a UTF-8
// sequence make it decline, never differ.
func TestQuotedMatchesPlain(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	tpl := defaultTemplates()
	pick := func() string {
		if r.IntN(200) == 0 {
			return splitStart
		}
		return nastyStrings[r.IntN(len(nastyStrings))]
	}
	quoted, declined := 0, 0
	for _, sc := range scenario.Builtin() {
		for range 300 {
			d := randomData(r, sc)
			d.Person.Fact, d.News, d.Label = pick(), pick(), pick()
			for _, ts := range [][]Turn{d.Memory, d.Friends, {d.Own}} {
				for k := range ts {
					ts[k].Thought, ts[k].Decision, ts[k].Label = pick(), pick(), pick()
				}
			}
			d.Own.Thought = pick()
			ad := ArchetypeData{Data: d}
			for k := range r.IntN(4) {
				ad.Summary = append(ad.Summary, Share{Percent: 25 * k, Opinion: k, Low: k, High: k + 2, Decision: pick()})
			}
			dt, at := reflect.TypeFor[Data](), reflect.TypeFor[ArchetypeData]()
			for _, c := range []struct {
				d     any
				parts []part
			}{{d, []part{partFor(tpl.Agent, dt), partFor(tpl.Round, dt)}},
				{&ad, []part{partFor(tpl.Agent, at), partFor(defaultArchetypeRound(), at)}}} {
				if !quotable(c.parts) {
					t.Fatalf("%s has no quoted form", c.parts[1].t.Name())
				}
				plain, err := renderString(nil, c.d, c.parts...)
				if err != nil {
					t.Fatal(err)
				}
				prefix := []byte("kept")
				got, ok, err := renderQuoted(prefix, c.d, c.parts...)
				if err != nil {
					t.Fatal(err)
				}
				if !ok {
					declined++
					if string(got) != "kept" {
						t.Fatalf("declined, but dst became %q", got)
					}
					continue
				}
				quoted++
				if want := jsonenc.AppendString([]byte("kept"), plain, true); !bytes.Equal(got, want) {
					t.Fatalf("%s: quoted form differs:\n got %s\nwant %s", c.parts[1].t.Name(), got, want)
				}
			}
		}
	}
	if declined == 0 || quoted < 10*declined {
		t.Fatalf("%d prompts rendered quoted, %d declined: the quoted form is seldom used", quoted, declined)
	}
	// A user's template has no quoted form.
	if p := partFor(ReleaseTemplates().Agent, reflect.TypeFor[Data]()); p.q != nil {
		t.Fatal("a template that is not the package's default has a quoted form")
	}
}

// TestRequestMemory: a request is built in the memory it is given, reused
// from one request to the next; a request whose prompt cannot be quoted
// sends its text.
func TestRequestMemory(t *testing.T) {
	env, cur := promptStudy(200, 2, true)
	m := &Archetypes{Agents: &Agents{MaxFriends: 4}, Resolution: Exact}
	s := m.newStep(env, cur, false)
	var mem requestMemory
	for g := range 20 {
		r, err := s.request(g, 0, 0, &mem)
		if err != nil {
			t.Fatal(err)
		}
		q := r.Messages[1].Quoted
		if &r.Messages[0] != &mem.messages[0] || len(r.Messages) != 2 {
			t.Fatalf("request %d: the messages are not in the memory given", g)
		}
		if q == nil || r.Messages[1].Content != "" || &q[0] != &mem.user[0] || len(q) != len(mem.user) {
			t.Fatalf("request %d: the user message is not in the memory given", g)
		}
	}
	env.People[s.groups[0].first].Fact = splitStart
	kept := fmt.Sprintf("%p", mem.user)
	r, err := s.request(0, 0, 0, &mem)
	if err != nil {
		t.Fatal(err)
	}
	if r.Messages[1].Quoted != nil || r.Messages[1].Content == "" || fmt.Sprintf("%p", mem.user) != kept {
		t.Fatal("a prompt that cannot be quoted was not sent as text")
	}
}

// TestStringMemo: a memo appends what appendQuotedString does, for strings
// that repeat, equal strings in other memory, strings of the same length,
// and after it stops remembering.
func TestStringMemo(t *testing.T) {
	var m stringMemo
	long := strings.Repeat("<\"long\" & \xff>\n", 5)
	other := strings.Repeat("<\"LONG\" & \xfe>\n", 5)
	for k := range 300 {
		var s string
		switch k % 4 {
		case 0, 1:
			s = long
		case 2:
			s = other
		default:
			s = strings.Clone(long) + fmt.Sprint(k)
		}
		if k%50 == 0 {
			s = splitStart + s
		}
		want, wantErr := appendQuotedString([]byte("x"), s)
		got, err := m.appendTo([]byte("x"), s)
		if !bytes.Equal(got, want) || err != wantErr {
			t.Fatalf("%d: %q: got %s (%v), want %s (%v)", k, s, got, err, want, wantErr)
		}
	}
	if m.misses.Load() != memoMisses {
		t.Fatalf("%d misses remembered, want %d", m.misses.Load(), memoMisses)
	}
}
