package fleetsim

import (
	"bytes"
	"errors"
	"strconv"

	"github.com/llmsam/llmsam/internal/text"
)

// request is one parsed request; its fields point into the conn's buffer.
type request struct {
	method, path []byte
	body         []byte
	closing      bool // the client asked to close the connection
}

const (
	bufSize    = 16 << 10 // a connection's first buffer: most requests fit
	maxHead    = 64 << 10 // request line and headers
	maxBody    = 64 << 20
	headerRoom = 128 // room left before a response body for its headers
)

var errBadRequest = errors.New("bad request")

// parse parses the request at the start of b. When b does not hold all of
// it yet, n is 0 and want is the request's size once its head is in.
func parse(b []byte) (r request, n, want int, err error) {
	head := 0
	for i := 0; head == 0; {
		j := bytes.IndexByte(b[i:], '\n')
		if j < 0 {
			if len(b) > maxHead {
				return request{}, 0, 0, errBadRequest
			}
			return request{}, 0, 0, nil
		}
		line := b[i : i+j]
		i += j + 1
		if len(line) == 0 || len(line) == 1 && line[0] == '\r' {
			head = i
		}
	}
	var length int
	r.method, r.path, r.closing, length, err = parseHead(b[:head])
	if err != nil {
		return request{}, 0, 0, err
	}
	if len(b)-head < length {
		return request{}, 0, head + length, nil
	}
	r.body = b[head : head+length]
	return r, head + length, 0, nil
}

// parseHead parses a request line and headers.
func parseHead(h []byte) (method, path []byte, closing bool, length int, err error) {
	lines := 0
	for len(h) > 0 {
		j := bytes.IndexByte(h, '\n')
		line := bytes.TrimRight(h[:j], "\r")
		h = h[j+1:]
		if len(line) == 0 {
			break
		}
		lines++
		if lines == 1 {
			sp1 := bytes.IndexByte(line, ' ')
			if sp1 < 0 {
				return nil, nil, false, 0, errBadRequest
			}
			rest := line[sp1+1:]
			sp2 := bytes.IndexByte(rest, ' ')
			if sp2 < 0 {
				return nil, nil, false, 0, errBadRequest
			}
			method, path = line[:sp1], rest[:sp2]
			if q := bytes.IndexByte(path, '?'); q >= 0 {
				path = path[:q]
			}
			continue
		}
		colon := bytes.IndexByte(line, ':')
		if colon < 0 {
			continue
		}
		name, val := line[:colon], bytes.TrimSpace(line[colon+1:])
		switch {
		case text.EqualFold(name, "content-length"):
			length = 0
			if len(val) == 0 || len(val) > 9 {
				return nil, nil, false, 0, errBadRequest
			}
			for _, c := range val {
				if c < '0' || c > '9' {
					return nil, nil, false, 0, errBadRequest
				}
				length = 10*length + int(c-'0')
			}
			if length > maxBody {
				return nil, nil, false, 0, errBadRequest
			}
		case text.EqualFold(name, "connection"):
			closing = text.EqualFold(val, "close")
		case text.EqualFold(name, "transfer-encoding"):
			return nil, nil, false, 0, errBadRequest // clients here send a length
		}
	}
	if lines == 0 {
		return nil, nil, false, 0, errBadRequest
	}
	return method, path, closing, length, nil
}

// action is what a server does with a request.
type action int

const (
	reply    action = iota // write status and body now
	complete               // hold a slot for the latency, then answer
	drop                   // close the connection without an answer
)

// route decides what the endpoint does with r.
func (e *Endpoint) route(r *request) (act action, status int, body string) {
	switch Fault(e.fault.Load()) {
	case Drop:
		return drop, 0, ""
	case ServerError:
		return reply, 500, `{"error":{"message":"simulated server error","type":"server_error"}}`
	}
	get, post, path := string(r.method) == "GET", string(r.method) == "POST", string(r.path)
	switch {
	case get && (path == "/v1/models" || path == "/models"):
		if e.opts.Model == "" {
			return reply, 200, `{"object":"list","data":[]}`
		}
		return reply, 200, e.models
	case get && path == "/health":
		return reply, 200, `{"status":"ok"}`
	case post && (path == "/v1/chat/completions" || path == "/v1/completions"):
		return complete, 200, ""
	}
	return reply, 404, `{"error":{"message":"no such route","type":"invalid_request_error"}}`
}

const badRequest = `{"error":{"message":"malformed request","type":"invalid_request_error"}}`

// chat tells a chat completion from a text completion.
func (r *request) chat() bool { return string(r.path) == "/v1/chat/completions" }

// frame puts the response head before the body in out[headerRoom:] and
// returns the response.
func frame(out []byte, status int, closing bool) []byte {
	text := "OK"
	switch status {
	case 400:
		text = "Bad Request"
	case 404:
		text = "Not Found"
	case 500:
		text = "Internal Server Error"
	}
	var h [headerRoom]byte
	b := append(h[:0], "HTTP/1.1 "...)
	b = strconv.AppendInt(b, int64(status), 10)
	b = append(b, ' ')
	b = append(b, text...)
	b = append(b, "\r\nContent-Type: application/json\r\nContent-Length: "...)
	b = strconv.AppendInt(b, int64(len(out)-headerRoom), 10)
	if closing {
		b = append(b, "\r\nConnection: close"...)
	}
	b = append(b, "\r\n\r\n"...)
	at := headerRoom - len(b)
	copy(out[at:], b)
	return out[at:]
}
