package llm

import (
	"fmt"
	"strconv"
)

// appendBody appends the JSON body of r under cfg with the given seed, byte
// for byte what json.Marshal writes for the wire struct (field order,
// omitted empty fields, escapes), without reflection. In chat mode, pre
// (when not nil) is the body's start through r's first message, which the
// caller sends before what appendBody appends.
func appendBody(dst []byte, cfg *Config, r *Request, seed int64, pre *prefix) ([]byte, error) {
	if cfg.Mode == Completion {
		if r.Prompt == "" {
			return nil, fmt.Errorf("llm: request %s has no Prompt (completion mode)", r.ID)
		}
		dst = append(dst, `{"model":`...)
		dst = appendJSONString(dst, cfg.Model)
		dst = append(dst, `,"prompt":`...)
		dst = appendJSONString(dst, r.Prompt)
	} else {
		if len(r.Messages) == 0 {
			return nil, fmt.Errorf("llm: request %s has no Messages (chat mode)", r.ID)
		}
		if pre == nil { // else the body starts with pre.body, written by the caller
			dst = appendChatHead(dst, cfg, r.Messages[0])
		}
		for _, m := range r.Messages[1:] {
			dst = append(dst, ',')
			dst = appendMessage(dst, m)
		}
		dst = append(dst, ']')
	}
	dst = append(dst, `,"temperature":`...)
	dst = appendJSONFloat(dst, cfg.Temperature)
	if cfg.TopP != 0 {
		dst = append(dst, `,"top_p":`...)
		dst = appendJSONFloat(dst, cfg.TopP)
	}
	dst = append(dst, `,"max_tokens":`...)
	dst = strconv.AppendInt(dst, int64(cfg.MaxTokens), 10)
	if len(cfg.Stop) > 0 {
		dst = append(dst, `,"stop":[`...)
		for i, s := range cfg.Stop {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendJSONString(dst, s)
		}
		dst = append(dst, ']')
	}
	dst = append(dst, `,"seed":`...)
	dst = strconv.AppendInt(dst, seed, 10)
	if r.N > 1 {
		dst = append(dst, `,"n":`...)
		dst = strconv.AppendInt(dst, int64(r.N), 10)
	}
	if cfg.Mode != Completion && !cfg.NoSchema && len(r.Schema) > 0 {
		dst = append(dst, `,"response_format":{"type":"json_schema","json_schema":{"name":"answer","schema":`...)
		var err error
		if dst, err = appendRawJSON(dst, r.Schema); err != nil {
			return nil, fmt.Errorf("llm: request %s: schema: %w", r.ID, err)
		}
		dst = append(dst, `,"strict":true}}`...)
	}
	return append(dst, '}'), nil
}

// appendChatHead appends a chat body's start: the model and the first
// message.
func appendChatHead(dst []byte, cfg *Config, first Message) []byte {
	dst = append(dst, `{"model":`...)
	dst = appendJSONString(dst, cfg.Model)
	dst = append(dst, `,"messages":[`...)
	return appendMessage(dst, first)
}

func appendMessage(dst []byte, m Message) []byte {
	dst = append(dst, `{"role":`...)
	dst = appendJSONString(dst, m.Role)
	dst = append(dst, `,"content":`...)
	if m.Quoted != nil {
		dst = append(dst, m.Quoted...)
	} else {
		dst = appendJSONString(dst, m.Content)
	}
	return append(dst, '}')
}
