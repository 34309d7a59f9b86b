package llm

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"sync"
)

// batchWriter appends requests to an OpenAI batch JSONL file.
type batchWriter struct {
	path string
	mu   sync.Mutex
	f    *os.File
	n    int
}

type batchLine struct {
	CustomID string          `json:"custom_id"`
	Method   string          `json:"method"`
	URL      string          `json:"url"`
	Body     json.RawMessage `json:"body"`
}

func (b *batchWriter) add(id, path string, body json.RawMessage) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.f == nil {
		f, err := os.Create(b.path)
		if err != nil {
			return err
		}
		b.f = f
	}
	line, err := json.Marshal(batchLine{CustomID: id, Method: "POST", URL: path, Body: body})
	if err != nil {
		return err
	}
	b.n++
	_, err = b.f.Write(append(line, '\n'))
	return err
}

func (b *batchWriter) close() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.f == nil {
		return nil
	}
	if err := b.f.Sync(); err != nil {
		b.f.Close()
		return err
	}
	return b.f.Close()
}

// BatchCount returns how many requests were written to the batch file.
func (c *Client) BatchCount() int {
	if c.batchFile == nil {
		return 0
	}
	c.batchFile.mu.Lock()
	defer c.batchFile.mu.Unlock()
	return c.batchFile.n
}

// ImportBatch reads the output file of an OpenAI batch or of `vllm
// run-batch` (one JSON object per line with custom_id and response.body)
// and stores every successful answer in the cache of cfg, matched to the
// request exported under the same custom_id. It returns how many answers
// were stored and how many lines carried an error. Errors name the line.
func ImportBatch(cfg Config, results string) (stored, failed int, err error) {
	if cfg.CachePath == "" {
		return 0, 0, fmt.Errorf("llm: ImportBatch needs Config.CachePath, the cache the batch was exported with")
	}
	c, err := New(Config{Model: cfg.Model, BaseURL: "http://unused.invalid/v1", CachePath: cfg.CachePath, Mode: cfg.Mode})
	if err != nil {
		return 0, 0, err
	}
	defer c.Close()
	f, err := os.Open(results)
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<26)
	line := 0
	for sc.Scan() {
		line++
		if len(sc.Bytes()) == 0 {
			continue
		}
		var res struct {
			CustomID string `json:"custom_id"`
			Response *struct {
				StatusCode int             `json:"status_code"`
				Body       json.RawMessage `json:"body"`
			} `json:"response"`
			Error json.RawMessage `json:"error"`
		}
		if err := json.Unmarshal(sc.Bytes(), &res); err != nil {
			return stored, failed, fmt.Errorf("%s line %d: %v", results, line, err)
		}
		key, ok := c.cache.pendingKey(res.CustomID)
		if !ok {
			return stored, failed, fmt.Errorf("%s line %d: custom_id %q was not exported with this cache", results, line, res.CustomID)
		}
		if res.Response == nil || res.Response.StatusCode != 200 {
			failed++
			continue
		}
		a, err := parseAnswer(res.Response.Body)
		if err != nil {
			return stored, failed, fmt.Errorf("%s line %d: response.body is neither a chat completion nor a completion: %v", results, line, err)
		}
		e := entry{ID: res.CustomID, Text: a.Text, FinishReason: a.FinishReason, Usage: a.Usage}
		if err := c.cache.put(key, e); err != nil {
			return stored, failed, err
		}
		stored++
	}
	if err := sc.Err(); err != nil {
		return stored, failed, fmt.Errorf("%s line %d: %w", results, line+1, err)
	}
	return stored, failed, nil
}
