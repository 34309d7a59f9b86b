package notebook

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/llmsam/llmsam/runtime/host"
)

// Block is one part of a notebook: Markdown text, or a code block with what
// running it produced.
type Block struct {
	Text    string // Markdown text, or the code of a code block
	Lang    string // the code block's language ("go" runs); "" for text
	Line    int    // line of the block's first code line in the file
	Output  string // what the cell printed, its value, and its error
	Figures []string
	// figureData holds the figures' bytes as they were when the block ran
	// (a later block may overwrite or remove the files).
	figureData map[string][]byte
	Err        error
	Ran        bool
}

// Notebook is a parsed Markdown file.
type Notebook struct {
	Path   string
	Blocks []*Block
}

// Parse splits Markdown into text and fenced code blocks. Only blocks
// fenced as ```go run; others stay text.
func Parse(path string, src []byte) (*Notebook, error) {
	nb := &Notebook{Path: path}
	lines := strings.Split(strings.ReplaceAll(string(src), "\r\n", "\n"), "\n")
	var text []string
	flush := func() {
		if len(text) > 0 {
			nb.Blocks = append(nb.Blocks, &Block{Text: strings.Join(text, "\n")})
			text = nil
		}
	}
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		trimmed := strings.TrimSpace(l)
		if !strings.HasPrefix(trimmed, "```") {
			text = append(text, l)
			continue
		}
		fence := trimmed[:3+len(trimmed[3:])-len(strings.TrimLeft(trimmed[3:], "`"))]
		lang := strings.ToLower(strings.TrimSpace(strings.TrimLeft(trimmed, "`")))
		if lang != "go" {
			// keep other fences, with their content, as text
			text = append(text, l)
			for i++; i < len(lines); i++ {
				text = append(text, lines[i])
				if strings.HasPrefix(strings.TrimSpace(lines[i]), fence) {
					break
				}
			}
			continue
		}
		flush()
		start := i + 1
		var code []string
		closed := false
		for i++; i < len(lines); i++ {
			if strings.HasPrefix(strings.TrimSpace(lines[i]), fence) {
				closed = true
				break
			}
			code = append(code, lines[i])
		}
		if !closed {
			return nil, fmt.Errorf("%s:%d: code block not closed (want a line with %s)", path, start, fence)
		}
		nb.Blocks = append(nb.Blocks, &Block{Text: strings.Join(code, "\n"), Lang: "go", Line: start + 1})
	}
	flush()
	return nb, nil
}

// Options configure a notebook run.
type Options struct {
	KeepGoing bool // run the blocks after a failing one (default: stop)
}

// Run executes the notebook's go blocks in order and reports the first
// error (after running the rest with KeepGoing).
func (nb *Notebook) Run(ctx context.Context, opt Options) error {
	var out syncBuffer
	// Figures are read as they are saved: a later statement may overwrite
	// or remove the file before the notebook is written.
	saved := map[string][]byte{}
	var mu sync.Mutex
	onFigure := func(p string) {
		if data, err := os.ReadFile(p); err == nil {
			mu.Lock()
			saved[p] = data
			mu.Unlock()
		}
	}
	h, err := host.New(host.Options{Stdout: &out, Stderr: &out, Args: []string{nb.Path}, OnFigure: onFigure})
	if err != nil {
		return err
	}
	if err := h.Preload(); err != nil {
		return err
	}
	var first error
	for _, b := range nb.Blocks {
		if b.Lang != "go" {
			continue
		}
		if first != nil && !opt.KeepGoing {
			break
		}
		out.Reset()
		oc := h.Exec(ctx, host.Cell{Name: nb.Path, FirstLine: b.Line, Source: b.Text})
		b.Ran = true
		var s strings.Builder
		s.WriteString(out.String()) // standard output and error, interleaved
		for _, n := range oc.Notes {
			s.WriteString("note: " + n + "\n")
		}
		if oc.Display != "" {
			s.WriteString(oc.Display + "\n")
		}
		if err := oc.Err; err != nil {
			var exit host.ExitError
			if errors.As(err, &exit) && exit.Code == 0 {
				err = nil
			} else {
				b.Err = err
				s.WriteString("error: " + err.Error() + "\n")
				if first == nil {
					first = err
				}
			}
		}
		b.Output = s.String()
		b.Figures = oc.Figures
		b.figureData = map[string][]byte{}
		mu.Lock()
		for _, f := range oc.Figures {
			if data, ok := saved[f]; ok {
				b.figureData[f] = data
			}
		}
		mu.Unlock()
	}
	return first
}

// Markdown renders the notebook with outputs: each go block is followed by
// its output in a ```text block and its figures as images, linked as
// figureURL returns (nil: paths relative to outDir).
func (nb *Notebook) Markdown(outDir string, figureURL func(path string) string) string {
	if figureURL == nil {
		figureURL = func(p string) string { return rel(outDir, p) }
	}
	var b strings.Builder
	for _, blk := range nb.Blocks {
		if blk.Lang == "" {
			b.WriteString(blk.Text + "\n")
			continue
		}
		b.WriteString("```go\n" + blk.Text + "\n```\n")
		switch {
		case !blk.Ran:
			b.WriteString("\n*(not run: an earlier block failed)*\n\n")
		default:
			if blk.Output != "" {
				b.WriteString("\n```text\n" + strings.TrimRight(blk.Output, "\n") + "\n```\n")
			}
			for _, f := range blk.Figures {
				if u := figureURL(f); u != "" {
					fmt.Fprintf(&b, "\n![%s](%s)\n", filepath.Base(f), u)
				}
			}
			b.WriteString("\n")
		}
	}
	return strings.TrimRight(b.String(), "\n") + "\n"
}

func rel(dir, path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		return path
	}
	adir, err := filepath.Abs(dir)
	if err != nil {
		return path
	}
	r, err := filepath.Rel(adir, abs)
	if err != nil {
		return path
	}
	return filepath.ToSlash(r)
}

// OutputPath returns the default output file of a notebook: notebook.out.md
// (or .out.html) beside it.
func OutputPath(path string, html bool) string {
	base := strings.TrimSuffix(path, filepath.Ext(path))
	if html {
		return base + ".out.html"
	}
	return base + ".out.md"
}

// Write writes the rendered notebook to path, so that it stands alone:
// as Markdown, with the figures the cells saved copied into the folder
// FiguresDir(path) beside it and linked relatively; as HTML (when path ends
// in .html), with PNG, SVG and JPEG figures embedded as data URIs (other
// formats, such as PDF, are listed by name).
func (nb *Notebook) Write(path string) error {
	dir := filepath.Dir(path)
	if strings.HasSuffix(strings.ToLower(path), ".html") {
		var failed error
		md := nb.Markdown(dir, func(p string) string {
			u, err := nb.dataURI(p)
			if err != nil && failed == nil {
				failed = err
			}
			return u
		})
		if failed != nil {
			return failed
		}
		return os.WriteFile(path, []byte(HTML(filepath.Base(nb.Path), md)), 0o644)
	}
	figDir := FiguresDir(path)
	copied := map[string]string{} // source -> copy
	used := map[string]bool{}
	var failed error
	md := nb.Markdown(dir, func(p string) string {
		if c, ok := copied[p]; ok {
			return rel(dir, c)
		}
		name := filepath.Base(p)
		for k := 2; used[name]; k++ {
			ext := filepath.Ext(p)
			name = fmt.Sprintf("%s_%d%s", strings.TrimSuffix(filepath.Base(p), ext), k, ext)
		}
		used[name] = true
		c := filepath.Join(figDir, name)
		data, err := nb.figureBytes(p)
		if err == nil {
			err = writeFile(c, data)
		}
		if err != nil && failed == nil {
			failed = err
		}
		copied[p] = c
		return rel(dir, c)
	})
	if failed != nil {
		return failed
	}
	return os.WriteFile(path, []byte(md), 0o644)
}

// figureBytes returns a figure's bytes as they were when its block ran.
func (nb *Notebook) figureBytes(path string) ([]byte, error) {
	for _, b := range nb.Blocks {
		if data, ok := b.figureData[path]; ok {
			return data, nil
		}
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("notebook figure: %w", err)
	}
	return data, nil
}

// FiguresDir is the folder beside a Markdown output file that holds its
// figures: notebook.out.md -> notebook.out_files.
func FiguresDir(path string) string {
	return strings.TrimSuffix(path, filepath.Ext(path)) + "_files"
}

func writeFile(dst string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	return os.WriteFile(dst, data, 0o644)
}

// dataURI returns a figure as a data: URI, or "" for formats browsers do
// not show as images.
func (nb *Notebook) dataURI(path string) (string, error) {
	mime := map[string]string{".png": "image/png", ".svg": "image/svg+xml", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}[strings.ToLower(filepath.Ext(path))]
	if mime == "" {
		return "", nil
	}
	data, err := nb.figureBytes(path)
	if err != nil {
		return "", err
	}
	return "data:" + mime + ";base64," + base64.StdEncoding.EncodeToString(data), nil
}

// syncBuffer is a bytes.Buffer safe for the goroutines a cell may start.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func (s *syncBuffer) Reset() {
	s.mu.Lock()
	s.b.Reset()
	s.mu.Unlock()
}
