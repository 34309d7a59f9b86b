package repl

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"sync/atomic"

	"github.com/peterh/liner"
	"golang.org/x/term"

	"github.com/llmsam/llmsam/runtime/host"
)

// Config configures a REPL session.
type Config struct {
	Out         io.Writer // where results and errors go; default os.Stdout
	HistoryFile string    // default <user config dir>/llmsam/history; "-" for none
}

// REPL is one interactive session.
type REPL struct {
	cfg    Config
	out    io.Writer
	host   *host.Host
	line   *liner.State
	cells  int
	quit   bool
	failed []string                           // the cells and commands that failed, for the exit status of piped input
	cancel atomic.Pointer[context.CancelFunc] // of the running cell, for Ctrl-C
}

const (
	prompt     = "llmsam> "
	contPrompt = "   ...> "
	banner     = "llmsam: Go with the simulation packages (netw, pop, scenario, theory, sim, plots, ...) preloaded.\nType :help for commands and the package list, Ctrl-D to quit.\n"
)

// Run starts a session on the process's terminal (or plain lines when
// stdin is not a terminal) and returns when the user quits. With input
// that is not a terminal, every cell runs, and Run returns an error naming
// the cells (and commands) that failed, if any, so that `llmsam <
// cells.go` exits non-zero when a cell failed.
func Run(cfg Config) error {
	if cfg.Out == nil {
		cfg.Out = os.Stdout
	}
	r := &REPL{cfg: cfg, out: cfg.Out}
	if err := r.reset(); err != nil {
		return err
	}
	interactive := term.IsTerminal(int(os.Stdin.Fd()))
	read := readPlain(bufio.NewReader(os.Stdin))
	if interactive {
		r.line = liner.NewLiner()
		defer r.line.Close()
		r.line.SetCtrlCAborts(true)
		r.line.SetMultiLineMode(true)
		r.line.SetTabCompletionStyle(liner.TabPrints)
		r.line.SetWordCompleter(r.complete)
		hist := r.historyFile()
		if hist != "" {
			if f, err := os.Open(hist); err == nil {
				r.line.ReadHistory(f)
				f.Close()
			}
			defer r.saveHistory(hist)
		}
		read = r.line.Prompt
	}
	// Ctrl-C is a signal only while a cell runs (at the prompt liner reads
	// it as a key); catching it for the whole session means a Ctrl-C that
	// arrives just before a cell starts cannot kill the REPL.
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt)
	defer signal.Stop(sig)
	go func() {
		for range sig {
			if c := r.cancel.Load(); c != nil {
				(*c)()
			}
		}
	}()
	if interactive {
		fmt.Fprint(r.out, banner)
	}
	var buf strings.Builder
	for !r.quit {
		p := prompt
		if buf.Len() > 0 {
			p = contPrompt
		}
		text, err := read(p)
		switch {
		case errors.Is(err, liner.ErrPromptAborted): // Ctrl-C at the prompt drops the input
			buf.Reset()
			continue
		case errors.Is(err, io.EOF): // Ctrl-D
			if buf.Len() > 0 {
				r.runCell(buf.String())
			}
			if interactive {
				fmt.Fprintln(r.out)
				return nil
			}
			return r.failures()
		case err != nil:
			return err
		}
		if buf.Len() == 0 && strings.HasPrefix(strings.TrimSpace(text), ":") {
			r.appendHistory(text)
			r.command(strings.TrimSpace(text))
			continue
		}
		buf.WriteString(text)
		buf.WriteString("\n")
		src := buf.String()
		if strings.TrimSpace(src) == "" {
			buf.Reset()
			continue
		}
		if host.Incomplete(src) {
			continue
		}
		r.appendHistory(strings.TrimRight(src, "\n"))
		buf.Reset()
		r.runCell(src)
	}
	if interactive {
		return nil
	}
	return r.failures()
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// failures is the error of a piped session in which something failed.
func (r *REPL) failures() error {
	if len(r.failed) == 0 {
		return nil
	}
	list := r.failed
	more := ""
	if len(list) > 5 {
		list, more = list[:5], fmt.Sprintf(" and %d more", len(r.failed)-5)
	}
	return fmt.Errorf("the piped input had %d failure%s: %s%s", len(r.failed), plural(len(r.failed)), strings.Join(list, ", "), more)
}

// readPlain reads lines without prompts or editing, for input that is not
// a terminal (a pipe or a file), as liner's Prompt does.
func readPlain(in *bufio.Reader) func(string) (string, error) {
	return func(string) (string, error) {
		line, err := in.ReadString('\n')
		if err != nil && line == "" {
			return "", err
		}
		return strings.TrimRight(line, "\r\n"), nil
	}
}

func (r *REPL) appendHistory(s string) {
	if r.line != nil {
		r.line.AppendHistory(s)
	}
}

func (r *REPL) reset() error {
	h, err := host.New(host.Options{Stdout: r.out, Stderr: r.out, Args: []string{"repl"}, OnFigure: r.announceFigure})
	if err != nil {
		return err
	}
	if err := h.Preload(); err != nil {
		return err
	}
	r.host, r.cells = h, 0
	return nil
}

// runCell runs a cell with Ctrl-C bound to cancelling it.
func (r *REPL) runCell(src string) {
	r.cells++
	ctx, cancel := context.WithCancel(context.Background())
	r.cancel.Store(&cancel)
	defer func() {
		r.cancel.Store(nil)
		cancel()
	}()
	res, err := r.host.RunCell(ctx, fmt.Sprintf("cell %d", r.cells), src)
	for _, n := range res.Notes {
		fmt.Fprintln(r.out, "note:", n)
	}
	name := fmt.Sprintf("cell %d", r.cells)
	switch {
	case errors.Is(err, context.Canceled):
		fmt.Fprintln(r.out, "interrupted")
		r.failed = append(r.failed, name+" (interrupted)")
	case err != nil:
		var exit host.ExitError
		if errors.As(err, &exit) {
			fmt.Fprintf(r.out, "the cell called os.Exit(%d); the session goes on (:quit to leave)\n", exit.Code)
			if exit.Code != 0 {
				r.failed = append(r.failed, fmt.Sprintf("%s (os.Exit(%d))", name, exit.Code))
			}
			return
		}
		fmt.Fprintln(r.out, err)
		r.failed = append(r.failed, name)
	case res.Show:
		fmt.Fprintln(r.out, res.String())
	}
}

func (r *REPL) historyFile() string {
	switch r.cfg.HistoryFile {
	case "-":
		return ""
	case "":
		dir, err := os.UserConfigDir()
		if err != nil {
			return ""
		}
		return filepath.Join(dir, "llmsam", "history")
	}
	return r.cfg.HistoryFile
}

func (r *REPL) saveHistory(path string) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return
	}
	if f, err := os.Create(path); err == nil {
		r.line.WriteHistory(f)
		f.Close()
	}
}
