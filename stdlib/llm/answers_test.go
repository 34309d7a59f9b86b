package llm

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

func TestAnswerLogWritesOneLinePerAnswer(t *testing.T) {
	path := filepath.Join(t.TempDir(), "answers.jsonl")
	l, err := openAnswerLog(path)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for i := range 200 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := Response{Text: "{\"thought\": \"<ok>\"}", FinishReason: "stop", Usage: Usage{10, 5}}
			if i%2 == 0 {
				r.Choices = []string{r.Text, "second \n line"}
			}
			l.add("run/a"+string(rune('0'+i%10)), "k", r)
		}()
	}
	wg.Wait()
	if err := l.close(); err != nil {
		t.Fatal(err)
	}
	f, _ := os.Open(path)
	defer f.Close()
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		var v struct {
			ID      string   `json:"id"`
			Text    string   `json:"text"`
			Choices []string `json:"choices"`
			Usage   Usage    `json:"usage"`
		}
		if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
			t.Fatalf("line %d: %v: %s", n+1, err, sc.Text())
		}
		if v.Text != "{\"thought\": \"<ok>\"}" || v.Usage.CompletionTokens != 5 || (len(v.Choices) != 0 && v.Choices[1] != "second \n line") {
			t.Fatalf("line %d: %+v", n+1, v)
		}
		n++
	}
	if n != 200 {
		t.Fatalf("%d lines, want 200", n)
	}
}
