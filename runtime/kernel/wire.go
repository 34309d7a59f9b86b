package kernel

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"time"
)

// ProtocolVersion is the version of the messaging protocol spoken.
const ProtocolVersion = "5.3"

// Connection is a kernel connection file, as Jupyter writes it.
type Connection struct {
	Transport       string `json:"transport"`
	IP              string `json:"ip"`
	ShellPort       int    `json:"shell_port"`
	ControlPort     int    `json:"control_port"`
	IOPubPort       int    `json:"iopub_port"`
	StdinPort       int    `json:"stdin_port"`
	HBPort          int    `json:"hb_port"`
	Key             string `json:"key"`
	SignatureScheme string `json:"signature_scheme"`
}

// ReadConnection reads and checks a connection file.
func ReadConnection(path string) (Connection, error) {
	var c Connection
	b, err := os.ReadFile(path)
	if err != nil {
		return c, err
	}
	if err := json.Unmarshal(b, &c); err != nil {
		return c, fmt.Errorf("%s: not a Jupyter connection file: %w", path, err)
	}
	switch {
	case c.Transport != "tcp" && c.Transport != "ipc":
		return c, fmt.Errorf("%s: transport %q: want tcp or ipc", path, c.Transport)
	case c.SignatureScheme != "hmac-sha256" && !(c.SignatureScheme == "" && c.Key == ""):
		return c, fmt.Errorf("%s: signature_scheme %q: want hmac-sha256", path, c.SignatureScheme)
	case c.IP == "":
		return c, fmt.Errorf("%s: no ip", path)
	}
	for _, p := range []struct {
		name string
		port int
	}{{"shell_port", c.ShellPort}, {"control_port", c.ControlPort}, {"iopub_port", c.IOPubPort}, {"stdin_port", c.StdinPort}, {"hb_port", c.HBPort}} {
		if p.port <= 0 || p.port > 65535 {
			return c, fmt.Errorf("%s: %s %d: want a port number", path, p.name, p.port)
		}
	}
	return c, nil
}

// endpoint is the ZeroMQ address of a channel's port.
func (c Connection) endpoint(port int) string {
	if c.Transport == "ipc" {
		return fmt.Sprintf("ipc://%s-%d", c.IP, port)
	}
	return fmt.Sprintf("tcp://%s:%d", c.IP, port)
}

// Header is a message header.
type Header struct {
	MsgID    string `json:"msg_id"`
	Session  string `json:"session"`
	Username string `json:"username"`
	Date     string `json:"date"`
	MsgType  string `json:"msg_type"`
	Version  string `json:"version"`
}

// Message is a message with the routing identities it came with.
type Message struct {
	Identities [][]byte
	Header     Header
	Parent     json.RawMessage // the parent header as received (or {})
	Metadata   map[string]any
	Content    json.RawMessage
	Buffers    [][]byte
}

const delimiter = "<IDS|MSG>"

// signer signs and checks messages with the connection's key.
type signer struct{ key []byte }

func (s signer) sign(parts ...[]byte) string {
	if len(s.key) == 0 {
		return ""
	}
	mac := hmac.New(sha256.New, s.key)
	for _, p := range parts {
		mac.Write(p)
	}
	return hex.EncodeToString(mac.Sum(nil))
}

// decode parses the frames of a received message and checks its signature.
func (s signer) decode(frames [][]byte) (*Message, error) {
	i := 0
	for i < len(frames) && string(frames[i]) != delimiter {
		i++
	}
	if len(frames) < i+6 {
		return nil, fmt.Errorf("message of %d frames without %s and its 5 parts", len(frames), delimiter)
	}
	sig, parts := frames[i+1], frames[i+2:i+6]
	if len(s.key) > 0 {
		want, err := hex.DecodeString(string(sig))
		got, _ := hex.DecodeString(s.sign(parts...))
		if err != nil || !hmac.Equal(want, got) {
			return nil, fmt.Errorf("message with an invalid signature (not signed with the connection file's key)")
		}
	}
	m := &Message{Identities: frames[:i], Parent: json.RawMessage(parts[1]), Content: json.RawMessage(parts[3]), Buffers: frames[i+6:]}
	if err := json.Unmarshal(parts[0], &m.Header); err != nil {
		return nil, fmt.Errorf("message header: %w", err)
	}
	if err := json.Unmarshal(parts[2], &m.Metadata); err != nil {
		return nil, fmt.Errorf("message metadata: %w", err)
	}
	return m, nil
}

// encode builds the frames of a message of type msgType, in reply to (or
// caused by) parent, sent to the given identities.
func (s signer) encode(session string, ids [][]byte, parent *Message, msgType string, content any) ([][]byte, error) {
	h := Header{MsgID: newID(), Session: session, Username: "llmsam", Date: time.Now().UTC().Format("2006-01-02T15:04:05.000000Z07:00"), MsgType: msgType, Version: ProtocolVersion}
	hb, err := json.Marshal(h)
	if err != nil {
		return nil, err
	}
	pb := []byte("{}")
	if parent != nil {
		if pb, err = json.Marshal(parent.Header); err != nil {
			return nil, err
		}
	}
	cb, err := json.Marshal(content)
	if err != nil {
		return nil, err
	}
	parts := [][]byte{hb, pb, []byte("{}"), cb}
	frames := append([][]byte{}, ids...)
	frames = append(frames, []byte(delimiter), []byte(s.sign(parts...)))
	return append(frames, parts...), nil
}

// newID returns a random UUID (version 4) as text.
func newID() string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}
