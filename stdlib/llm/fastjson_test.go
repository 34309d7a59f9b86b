package llm

import (
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"testing"
)

func TestAppendJSONStringMatchesEncodingJSON(t *testing.T) {
	cases := []string{"", "plain", `quote " and \ backslash`, "<b>&amp;</b>", "line\nbreak\ttab\rcr\bbs\ffeed\x00\x1f\x7f",
		"caf\u00e9 \u4e2d\u6587 \U0001F600", "\u2028\u2029", "bad \xff\xfe utf8 \xe2\x82", "{\"thought\": \"x\"}"}
	r := rand.New(rand.NewPCG(1, 2))
	alphabet := []string{"a", " ", "\"", "\\", "<", ">", "&", "\n", "\x01", "\xff", "\u00e9", "\u2028", "\U0001F600", "\xe2"}
	for range 2000 {
		s := ""
		for range r.IntN(20) {
			s += alphabet[r.IntN(len(alphabet))]
		}
		cases = append(cases, s)
	}
	for _, s := range cases {
		want, _ := json.Marshal(s)
		if got := appendJSONString(nil, s); string(got) != string(want) {
			t.Fatalf("%q: got %s, want %s", s, got, want)
		}
	}
}

// refAnswer decodes an answer with encoding/json, as the reference.
func refAnswer(data []byte) (answerJSON, error) {
	var w struct {
		Choices []struct {
			Message *struct {
				Content *string `json:"content"`
			} `json:"message"`
			Text         *string `json:"text"`
			FinishReason *string `json:"finish_reason"`
		} `json:"choices"`
		Usage Usage `json:"usage"`
	}
	if err := json.Unmarshal(data, &w); err != nil {
		return answerJSON{}, err
	}
	var a answerJSON
	for _, c := range w.Choices {
		text, has, fin := "", false, ""
		switch {
		case c.Message != nil:
			has = true
			if c.Message.Content != nil {
				text = *c.Message.Content
			}
		case c.Text != nil:
			text, has = *c.Text, true
		}
		if c.FinishReason != nil {
			fin = *c.FinishReason
		}
		a.add(text, fin, has)
	}
	a.usage = w.Usage
	return a, nil
}

func TestScanAnswerMatchesEncodingJSON(t *testing.T) {
	bodies := []string{
		`{"id":"x","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"{\"thought\": \"ok \\u00e9 \\ud83d\\ude00\", \"opinion\": 7}"},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":12,"completion_tokens":5,"total_tokens":17}}`,
		`{"choices":[{"index":0,"text":"a\nb","finish_reason":"length"},{"index":1,"text":"c","finish_reason":null}],"usage":{"prompt_tokens":3,"completion_tokens":4}}`,
		`{"choices":[{"message":{"content":null,"tool_calls":[{"id":"t","function":{"name":"f","arguments":"{}"}}]},"finish_reason":"tool_calls"}]}`,
		` { "choices" : [ { "message" : { "content" : "spaced" } } ] , "usage" : { "prompt_tokens" : 1 , "completion_tokens" : 2 } } `,
		`{"choices":[{"message":{"content":"lone \ud800 surrogate"}}],"system_fingerprint":null,"extra":{"a":[1,2,{"b":"}"}],"c":true}}`,
		`{"choices":[]}`,
		`{}`,
	}
	for _, b := range bodies {
		want, err := refAnswer([]byte(b))
		if err != nil {
			t.Fatalf("%s: %v", b, err)
		}
		got, err := scanAnswer([]byte(b))
		if err != nil {
			t.Fatalf("%s: fast path failed: %v", b, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%s:\n got %+v\nwant %+v", b, got, want)
		}
	}
	// Whatever the fast path accepts, it reads as encoding/json does; what
	// it refuses goes to encoding/json.
	for _, b := range []string{`{"choices":[{"text":"a"}]`, `{"choices":[{"message":null,"text":"t"}]}`, `{"choices":[{"text":"t","message":{"content":"m"}}]}`, `{"choices":[{"text":"\x"}]}`, `{"choices":[{"text":"a"}]} x`,
		`{"choices":[{"text":"a","bad":tru}]}`, `{"usage":{"prompt_tokens":1.5}}`, `{"choices":[{"text":"caf` + "\xff" + `"}]}`, `[1]`, ``} {
		got, err := scanAnswer([]byte(b))
		if err == nil {
			want, werr := refAnswer([]byte(b))
			if werr != nil || !reflect.DeepEqual(got, want) {
				t.Fatalf("%q: fast path read %+v, encoding/json %+v (%v)", b, got, want, werr)
			}
		}
	}
}

func TestAppendJSONFloatMatchesEncodingJSON(t *testing.T) {
	for _, f := range []float64{0, 1, 0.7, 1.5, 2, -0.3, 1e-7, 1.234e-9, 1e21, 3.14159e22, 123456789, 0.1 + 0.2, 5e-324} {
		want, _ := json.Marshal(f)
		if got := appendJSONFloat(nil, f); string(got) != string(want) {
			t.Fatalf("%g: got %s, want %s", f, got, want)
		}
	}
}

// TestScanAnswerKeysInOtherCase: encoding/json matches keys without regard
// to case (and Unicode's folding: ſ is s, K is k); answers so written are
// read as it reads them, not as answers without choices or usage.
func TestScanAnswerKeysInOtherCase(t *testing.T) {
	for _, b := range []string{
		`{"Choices":[{"text":"a","finish_reason":"stop"}]}`,
		`{"choices":[{"Message":{"Content":"m"},"FINISH_REASON":"length"}],"Usage":{"Prompt_Tokens":3,"completion_tokenſ":4}}`,
		`{"choices":[{"message":{"content":"m"},"teXt":"t"}],"uſage":{"prompt_tokens":2}}`,
	} {
		want, err := refAnswer([]byte(b))
		if err != nil {
			t.Fatal(err)
		}
		if got, err := scanAnswer([]byte(b)); err == nil && !reflect.DeepEqual(got, want) {
			t.Fatalf("%s: fast path read %+v, encoding/json %+v", b, got, want)
		}
		r, err := parseAnswer([]byte(b))
		if err != nil || r.Text != want.text || r.FinishReason != want.finish || r.Usage != want.usage {
			t.Fatalf("%s: %+v %v, want %+v", b, r, err, want)
		}
	}
}
