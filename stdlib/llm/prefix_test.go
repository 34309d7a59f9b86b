package llm

import (
	"bytes"
	"strings"
	"testing"
)

// TestPrefixBodyAndKey: a body started from a cached prefix, and its key
// continued from the prefix's hash state, are what Body and Key give
// without the cache, for shared first messages seen again, more of them
// than the cache holds, messages too short to cache, and every mode.
func TestPrefixBodyAndKey(t *testing.T) {
	long := strings.Repeat("You are one of many \"agents\"; café \u2028 <tag>\n", 40)
	for _, cfg := range []Config{
		{Model: "m", BaseURL: "http://127.0.0.1:1/v1"},
		{Model: "m<&>", BaseURL: "http://127.0.0.1:1/v1", Temperature: 0.7, Stop: []string{"END"}, Seed: 77},
		{Model: "m", BaseURL: "http://127.0.0.1:1/v1", Mode: Completion},
		{Model: "m", BaseURL: "http://127.0.0.1:1/v1", Extra: map[string]any{"top_k": 20}},
	} {
		c := newClient(t, cfg)
		shared := make([]string, prefixMax+20)
		for i := range shared {
			shared[i] = long + strings.Repeat("x", i)
		}
		shared = append(shared, "short system message")
		cached := 0
		for round := range 2 {
			for i, sys := range shared {
				r := Request{ID: "x", Seed: int64(i), Schema: schema, Prompt: sys + "p",
					Messages: []Message{{Role: "system", Content: sys}, {Role: "user", Content: "agent " + strings.Repeat("y", i+round)}}}
				b, err := c.pooledBody(r)
				if err != nil {
					t.Fatal(err)
				}
				body, pre := b.bytes(), b.pre
				want, err := c.Body(r)
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(body, want) {
					t.Fatalf("%+v, message %d: body from the prefix\n%s\nwant\n%s", cfg, i, body, want)
				}
				if got, want := c.sum(b).String(), c.Key(r); got != want {
					t.Fatalf("%+v, message %d: key %s from the prefix, want %s", cfg, i, got, want)
				}
				if pre != nil {
					cached++
				}
			}
		}
		usable := cfg.Mode != Completion && len(cfg.Extra) == 0
		if usable != (cached == 2*(len(shared)-1)) || (!usable && cached != 0) {
			t.Fatalf("%+v: %d bodies started from a prefix", cfg, cached)
		}
	}
}

// TestSchemaEditedInPlace: the compacted schema is cached by the address
// of the caller's bytes, but a schema edited in place is read afresh.
func TestSchemaEditedInPlace(t *testing.T) {
	c := newClient(t, Config{Model: "m", BaseURL: "http://127.0.0.1:1/v1"})
	s := []byte(`{"type": "object", "title": "aaaa"}`)
	r := Request{Messages: []Message{{Role: "user", Content: "x"}}, Schema: s}
	for _, title := range []string{"aaaa", "bbbb", "aaaa"} {
		copy(s[len(s)-6:], title)
		body, err := c.Body(r)
		if err != nil {
			t.Fatal(err)
		}
		if want := `"title":"` + title + `"`; !strings.Contains(string(body), want) {
			t.Fatalf("body %s, want %s", body, want)
		}
	}
}

// TestQuotedContent: a message given as its JSON string (Message.Quoted)
// makes the same body, and so the same key, as its Content.
func TestQuotedContent(t *testing.T) {
	c := newClient(t, Config{Model: "m", BaseURL: "http://127.0.0.1:1/v1"})
	long := strings.Repeat("shared <part> & \"quotes\"\n", 40)
	for _, text := range []string{"", "plain", "quote \" backslash \\ <tag> & amp", "line\nbreak\ttab\u2028", "caf\u00e9 \U0001F600"} {
		plain := Request{Schema: schema, Messages: []Message{{Role: "system", Content: long}, {Role: "user", Content: text}}}
		quoted := Request{Schema: schema, Messages: []Message{{Role: "system", Content: long}, {Role: "user", Quoted: appendJSONString(nil, text)}}}
		want, err := c.Body(plain)
		if err != nil {
			t.Fatal(err)
		}
		b, err := c.pooledBody(quoted)
		if err != nil {
			t.Fatal(err)
		}
		if got := b.bytes(); !bytes.Equal(got, want) || c.sum(b).String() != c.Key(plain) {
			t.Fatalf("%q: body from Quoted\n%s\nwant\n%s", text, b.bytes(), want)
		}
	}
}
