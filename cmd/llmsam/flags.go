package main

import (
	"bytes"
	"errors"
	"flag"
	"io"
	"strings"
)

// parseFlags parses a subcommand's args with fs. -h and --help print the
// usage on stdout and the caller exits 0; a bad flag prints the error and
// the usage on stderr and the caller exits 2 (a usage error). done says
// whether the caller should return code now. fs.Usage must write to
// fs.Output().
func parseFlags(fs *flag.FlagSet, args []string, stdout, stderr io.Writer) (code int, done bool) {
	var buf bytes.Buffer
	fs.SetOutput(&buf)
	err := fs.Parse(args)
	fs.SetOutput(stderr)
	switch {
	case errors.Is(err, flag.ErrHelp):
		stdout.Write(buf.Bytes())
		return 0, true
	case err != nil:
		stderr.Write(buf.Bytes())
		return 2, true
	}
	return 0, false
}

// parseWithArg is parseFlags for a subcommand that takes one argument
// (a notebook, a connection file), given before or after the flags; arg is
// "" when there is none.
func parseWithArg(fs *flag.FlagSet, args []string, stdout, stderr io.Writer) (arg string, code int, done bool) {
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		arg, args = args[0], args[1:]
	}
	if code, done = parseFlags(fs, args, stdout, stderr); done {
		return "", code, true
	}
	if arg == "" && fs.NArg() > 0 {
		arg = fs.Arg(0)
	}
	return arg, 0, false
}

// isHelp reports whether arg asks for a subcommand's usage.
func isHelp(arg string) bool {
	return arg == "-h" || arg == "-help" || arg == "--help"
}
