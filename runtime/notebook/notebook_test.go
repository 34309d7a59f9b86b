package notebook

import (
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	src := "# Title\n\nText.\n\n```sh\nls\n```\n\n```go\nx := 1\n```\n\nMore.\n"
	nb, err := Parse("nb.md", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	var code []*Block
	for _, b := range nb.Blocks {
		if b.Lang == "go" {
			code = append(code, b)
		}
	}
	if len(code) != 1 || code[0].Text != "x := 1" || code[0].Line != 10 {
		t.Fatalf("go blocks: %+v", code)
	}
	if md := nb.Markdown(".", nil); !strings.Contains(md, "```sh\nls\n```") || !strings.Contains(md, "More.") {
		t.Fatalf("text and other fences must be kept:\n%s", md)
	}
	if _, err := Parse("bad.md", []byte("```go\nx := 1\n")); err == nil || !strings.Contains(err.Error(), "bad.md:1: code block not closed") {
		t.Fatalf("unclosed block: %v", err)
	}
}

func TestHTML(t *testing.T) {
	h := HTML("t", "# A <b>title</b>\n\nSome `code <x>` and **bold** and a [link](http://x).\n\n![fig](out/a.png)\n\n- one\n- two\n\n```text\n<out>\n```\n")
	for _, want := range []string{"<h1>A &lt;b&gt;title&lt;/b&gt;</h1>", "<code>code &lt;x&gt;</code>", "<strong>bold</strong>",
		`<a href="http://x">link</a>`, `<img alt="fig" src="out/a.png">`, "<li>two</li>", `<pre class="output"><code>&lt;out&gt;</code></pre>`} {
		if !strings.Contains(h, want) {
			t.Errorf("HTML lacks %s:\n%s", want, h)
		}
	}
}
