package llm

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"sync"
)

// answerLog streams every answer received from a server to a JSONL file as
// it arrives (Config.AnswersLog), one object per line: the request id, its
// cache key, the answer's texts, finish reason and usage. A run keeps no
// answer in memory for it; the file is the run's record of what the
// servers said.
type answerLog struct {
	mu   sync.Mutex
	f    *os.File
	w    *bufio.Writer
	line []byte
	err  error
}

func openAnswerLog(path string) (*answerLog, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, fmt.Errorf("llm: answers log: %w", err)
	}
	return &answerLog{f: f, w: bufio.NewWriterSize(f, 1<<16)}, nil
}

// add appends one answer.
func (l *answerLog) add(id, key string, r Response) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.err != nil {
		return l.err
	}
	b := append(l.line[:0], `{"id":`...)
	b = appendJSONString(b, id)
	b = append(b, `,"key":`...)
	b = appendJSONString(b, key)
	b = append(b, `,"text":`...)
	b = appendJSONString(b, r.Text)
	if len(r.Choices) > 1 {
		b = append(b, `,"choices":[`...)
		for i, c := range r.Choices {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, c)
		}
		b = append(b, ']')
	}
	b = append(b, `,"finish_reason":`...)
	b = appendJSONString(b, r.FinishReason)
	b = append(b, `,"usage":{"prompt_tokens":`...)
	b = strconv.AppendInt(b, int64(r.Usage.PromptTokens), 10)
	b = append(b, `,"completion_tokens":`...)
	b = strconv.AppendInt(b, int64(r.Usage.CompletionTokens), 10)
	b = append(b, "}}\n"...)
	l.line = b
	if _, err := l.w.Write(b); err != nil {
		l.err = fmt.Errorf("llm: answers log %s: %w", l.f.Name(), err)
	}
	return l.err
}

func (l *answerLog) close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	err := l.w.Flush()
	if cerr := l.f.Close(); err == nil {
		err = cerr
	}
	if err != nil && l.err == nil {
		l.err = fmt.Errorf("llm: answers log %s: %w", l.f.Name(), err)
	}
	return l.err
}
