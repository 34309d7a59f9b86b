package kernel

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSignAndDecode(t *testing.T) {
	s := signer{key: []byte("secret")}
	req := &Message{Header: Header{MsgID: "1", MsgType: "execute_request"}}
	frames, err := s.encode("sess", [][]byte{[]byte("client-id")}, req, "execute_reply", map[string]any{"status": "ok"})
	if err != nil {
		t.Fatal(err)
	}
	if string(frames[0]) != "client-id" || string(frames[1]) != delimiter || len(frames) != 7 {
		t.Fatalf("frames %q", frames)
	}
	m, err := s.decode(frames)
	if err != nil {
		t.Fatal(err)
	}
	if m.Header.MsgType != "execute_reply" || m.Header.Version != ProtocolVersion || string(m.Identities[0]) != "client-id" ||
		!strings.Contains(string(m.Parent), `"msg_id":"1"`) || string(m.Content) != `{"status":"ok"}` {
		t.Errorf("decoded %+v", m)
	}
	frames[5] = []byte(`{"status":"forged"}`)
	if _, err := s.decode(frames); err == nil || !strings.Contains(err.Error(), "invalid signature") {
		t.Errorf("a changed message decoded: %v", err)
	}
	if _, err := s.decode([][]byte{[]byte("a"), []byte("b")}); err == nil {
		t.Error("a message without the delimiter decoded")
	}
}

func TestReadConnection(t *testing.T) {
	dir := t.TempDir()
	write := func(s string) string {
		p := filepath.Join(dir, "c.json")
		os.WriteFile(p, []byte(s), 0o644)
		return p
	}
	good := `{"transport":"tcp","ip":"127.0.0.1","shell_port":1,"control_port":2,"iopub_port":3,"stdin_port":4,"hb_port":5,"key":"k","signature_scheme":"hmac-sha256"}`
	c, err := ReadConnection(write(good))
	if err != nil || c.endpoint(c.IOPubPort) != "tcp://127.0.0.1:3" {
		t.Fatalf("%+v %v", c, err)
	}
	for bad, want := range map[string]string{
		`{"transport":`: "not a Jupyter connection file",
		strings.Replace(good, `"hmac-sha256"`, `"hmac-md5"`, 1): "signature_scheme",
		strings.Replace(good, `"hb_port":5`, `"hb_port":0`, 1):  "hb_port 0",
		strings.Replace(good, `"tcp"`, `"udp"`, 1):              "transport",
	} {
		if _, err := ReadConnection(write(bad)); err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "c.json") {
			t.Errorf("%s: error %v, want one naming the file and %q", bad, err, want)
		}
	}
}

func TestCompletionSpans(t *testing.T) {
	// code points, not bytes: "é" is two bytes
	code := "s := \"é\"\nnetw.Barab"
	if got := byteOffset(code, 8); got != 9 {
		t.Errorf("byteOffset = %d, want 9", got)
	}
	if got := indentOf("for {\n\tif x {"); got != "\t\t" {
		t.Errorf("indentOf = %q", got)
	}
}

func TestInstall(t *testing.T) {
	prefix := t.TempDir()
	bin := filepath.Join(t.TempDir(), "go-build123", "llmsam") // as `go run` leaves it
	os.MkdirAll(filepath.Dir(bin), 0o755)
	os.WriteFile(bin, []byte("binary"), 0o755)
	dir, err := Install(InstallOptions{Prefix: prefix, Executable: bin, SVG: true})
	if err != nil {
		t.Fatal(err)
	}
	if dir != filepath.Join(prefix, "share", "jupyter", "kernels", "llmsam") {
		t.Errorf("installed in %s", dir)
	}
	b, err := os.ReadFile(filepath.Join(dir, "kernel.json"))
	if err != nil {
		t.Fatal(err)
	}
	copied := filepath.Join(dir, "llmsam")
	for _, want := range []string{`"display_name": "llmsam (Go)"`, `"language": "go"`, `"interrupt_mode": "message"`, `"{connection_file}"`, `"--svg"`, `"` + copied + `"`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("kernel.json lacks %s:\n%s", want, b)
		}
	}
	if c, _ := os.ReadFile(copied); string(c) != "binary" {
		t.Error("the go run binary was not copied into the kernelspec")
	}
	t.Setenv("JUPYTER_DATA_DIR", filepath.Join(prefix, "data"))
	if d, _ := SpecDir(InstallOptions{User: true}); d != filepath.Join(prefix, "data", "kernels", "llmsam") {
		t.Errorf("--user with JUPYTER_DATA_DIR: %s", d)
	}
}
