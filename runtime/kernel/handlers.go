package kernel

import (
	"context"
	"runtime"
	"strings"
	"time"

	"github.com/go-zeromq/zmq4"

	"github.com/llmsam/llmsam/runtime/host"
	"github.com/llmsam/llmsam/runtime/jupyter"
	"github.com/llmsam/llmsam/stdlib/history"
)

// handle answers one request, between a busy and an idle status.
func (k *Kernel) handle(sck zmq4.Socket, m *Message) {
	k.publish(m, "status", map[string]any{"execution_state": "busy"})
	defer k.publish(m, "status", map[string]any{"execution_state": "idle"})
	switch t := m.Header.MsgType; t {
	case "kernel_info_request":
		k.reply(sck, m, "kernel_info_reply", kernelInfo())
	case "execute_request":
		k.execute(sck, m)
	case "complete_request":
		k.complete(sck, m)
	case "inspect_request":
		k.inspect(sck, m)
	case "is_complete_request":
		k.isComplete(sck, m)
	case "history_request":
		k.history(sck, m)
	case "comm_info_request":
		k.reply(sck, m, "comm_info_reply", map[string]any{"status": "ok", "comms": map[string]any{}})
	case "interrupt_request":
		k.interrupt()
		k.reply(sck, m, "interrupt_reply", map[string]any{"status": "ok"})
	case "shutdown_request":
		var req struct {
			Restart bool `json:"restart"`
		}
		unmarshal(m, &req)
		k.interrupt()
		content := map[string]any{"status": "ok", "restart": req.Restart}
		k.reply(sck, m, "shutdown_reply", content)
		k.publish(m, "shutdown_reply", content)
		k.stop() // on restart, Jupyter starts a new kernel process
	case "comm_open", "comm_msg", "comm_close":
		// no comm targets: nothing to answer
	default:
		if strings.HasSuffix(t, "_request") {
			k.reply(sck, m, strings.TrimSuffix(t, "_request")+"_reply",
				map[string]any{"status": "error", "ename": "NotImplemented", "evalue": "llmsam's kernel does not handle " + t, "traceback": []string{}})
		}
	}
}

func kernelInfo() map[string]any {
	return map[string]any{
		"status":                 "ok",
		"protocol_version":       ProtocolVersion,
		"implementation":         "llmsam",
		"implementation_version": history.Version(),
		"language_info": map[string]any{
			"name": "go", "version": strings.TrimPrefix(runtime.Version(), "go"), "mimetype": "text/x-go",
			"file_extension": ".go", "pygments_lexer": "go", "codemirror_mode": "go",
		},
		"banner": "llmsam: Go with netw, pop, scenario, theory, sim, history, metrics, protocol and plots preloaded.",
		"help_links": []map[string]string{
			{"text": "llmsam", "url": "https://github.com/llmsam/llmsam"},
			{"text": "Go", "url": "https://go.dev/doc/"},
		},
	}
}

type executeRequest struct {
	Code         string `json:"code"`
	Silent       bool   `json:"silent"`
	StoreHistory *bool  `json:"store_history"`
	StopOnError  *bool  `json:"stop_on_error"`
}

// execute runs a cell: execute_input, its outputs, and the reply.
func (k *Kernel) execute(sck zmq4.Socket, m *Message) {
	var req executeRequest
	if err := unmarshal(m, &req); err != nil {
		k.reply(sck, m, "execute_reply", map[string]any{"status": "error", "ename": "BadRequest", "evalue": err.Error(), "traceback": []string{err.Error()}, "execution_count": k.exec.Count()})
		return
	}
	store := !req.Silent && (req.StoreHistory == nil || *req.StoreHistory)
	if !req.Silent {
		count := k.exec.Count()
		if store {
			count++
		}
		k.publish(m, "execute_input", map[string]any{"code": req.Code, "execution_count": count})
	}
	emit := func(o jupyter.Output) { k.output(m, o) }
	if req.Silent {
		emit = func(jupyter.Output) {}
	}
	ctx, cancel := context.WithCancel(context.Background())
	k.mu.Lock()
	k.cancel = cancel
	k.mu.Unlock()
	count, failed := k.exec.Run(ctx, req.Code, store, emit)
	k.mu.Lock()
	k.cancel = nil
	k.mu.Unlock()
	cancel()
	if failed == nil {
		k.reply(sck, m, "execute_reply", map[string]any{"status": "ok", "execution_count": count, "user_expressions": map[string]any{}, "payload": []any{}})
		return
	}
	k.reply(sck, m, "execute_reply", map[string]any{"status": "error", "execution_count": count,
		"ename": failed.EName, "evalue": failed.EValue, "traceback": failed.Traceback})
	if req.StopOnError == nil || *req.StopOnError {
		k.abortQueued()
	}
}

// abortQueued answers the execute requests already queued behind a failed
// cell with "aborted", as Jupyter expects when stop_on_error is set.
func (k *Kernel) abortQueued() {
	deadline := time.After(10 * time.Millisecond)
	for {
		select {
		case m := <-k.queue:
			if m.Header.MsgType != "execute_request" {
				k.handle(k.shell, m)
				continue
			}
			k.publish(m, "status", map[string]any{"execution_state": "busy"})
			k.reply(k.shell, m, "execute_reply", map[string]any{"status": "aborted", "execution_count": k.exec.Count()})
			k.publish(m, "status", map[string]any{"execution_state": "idle"})
		case <-deadline:
			return
		}
	}
}

type cursorRequest struct {
	Code      string `json:"code"`
	CursorPos int    `json:"cursor_pos"`
}

// complete answers with the REPL's completions of the word at the cursor.
func (k *Kernel) complete(sck zmq4.Socket, m *Message) {
	var req cursorRequest
	unmarshal(m, &req)
	start, end, matches := completions(k.exec.Host(), req.Code, req.CursorPos)
	k.reply(sck, m, "complete_reply", map[string]any{"status": "ok", "matches": matches,
		"cursor_start": start, "cursor_end": end, "metadata": map[string]any{}})
}

// inspect answers with :doc's text for the name at the cursor.
func (k *Kernel) inspect(sck zmq4.Socket, m *Message) {
	var req cursorRequest
	unmarshal(m, &req)
	text, found := inspection(k.exec.Host(), req.Code, req.CursorPos)
	data := map[string]any{}
	if found {
		data["text/plain"] = text
	}
	k.reply(sck, m, "inspect_reply", map[string]any{"status": "ok", "found": found, "data": data, "metadata": map[string]any{}})
}

// isComplete answers with the REPL's continuation rule: input goes on while
// the Go grammar says more lines could complete it (an open brace, an
// unfinished call or string); a syntax error more lines cannot fix is
// "invalid".
func (k *Kernel) isComplete(sck zmq4.Socket, m *Message) {
	var req struct {
		Code string `json:"code"`
	}
	unmarshal(m, &req)
	switch c, _ := host.CheckComplete(req.Code); c {
	case host.InputIncomplete:
		k.reply(sck, m, "is_complete_reply", map[string]any{"status": "incomplete", "indent": indentOf(req.Code)})
	case host.InputInvalid:
		k.reply(sck, m, "is_complete_reply", map[string]any{"status": "invalid"})
	default:
		k.reply(sck, m, "is_complete_reply", map[string]any{"status": "complete"})
	}
}

// history answers with the cells run in this kernel (the newest last).
func (k *Kernel) history(sck zmq4.Socket, m *Message) {
	var req struct {
		Output         bool   `json:"output"`
		HistAccessType string `json:"hist_access_type"`
		N              int    `json:"n"`
	}
	unmarshal(m, &req)
	cells := k.exec.History()
	first := 0
	if req.HistAccessType == "tail" && req.N > 0 && req.N < len(cells) {
		first = len(cells) - req.N
	}
	out := [][]any{}
	for i := first; i < len(cells); i++ {
		if req.Output {
			out = append(out, []any{0, i + 1, []any{cells[i], nil}})
		} else {
			out = append(out, []any{0, i + 1, cells[i]})
		}
	}
	k.reply(sck, m, "history_reply", map[string]any{"status": "ok", "history": out})
}
