// Package host is llmsam's scripting host: a yaegi interpreter with Go's
// standard library, every package of the project's stdlib, plots and the
// gonum/plot packages scripts use. It runs whole scripts (package main files
// that also run with `go run`) and notebook cells that mix declarations and
// statements, keeps source positions (file:line:col) in every error, turns
// panics, including those in goroutines a script starts, into errors, and
// cancels a running cell, down into the stdlib's loops.
//
// # API for front ends
//
// The REPL (runtime/repl), the notebook runner (runtime/notebook) and the
// Jupyter kernel use a Host through a few calls:
//
//   - New, then Preload: a session with the simulation packages imported.
//   - Exec(ctx, Cell{Name, FirstLine, Source}) runs one cell and returns an
//     Outcome: its standard output and error (also written live to
//     Options.Stdout and Stderr), the value of its last expression and that
//     value's Display text (with its type, truncated; "" when a cell ends in
//     a statement, a call without results or a print), the figures it saved
//     (Options.OnFigure hears of them as they are saved), the host's notes,
//     and Err: *CompileError or PanicError, both with a Position (the
//     cell's name, line and column), ExitError, or the context's error.
//     RunCell and RunCellAt are the same without the capture.
//   - CheckComplete(src) says whether input is complete, needs more lines
//     (the parse error is at the end of the input: an open brace, a line
//     ending in an operator, comma or dot, an unterminated raw string) or is
//     invalid; Incomplete(src) is the boolean form the REPL uses.
//   - Complete(src, cursor) completes the name or selector before the
//     cursor: the session's names, packages and keywords, package members,
//     and fields and methods of the session's values.
//   - Doc(name) is the REPL's :doc text: a package, a member, a method, a
//     type with its methods, or a session value by its type.
//   - Transcript() is the session as a program `go run` runs and that prints
//     what the session printed (values through runtime/display).
//
// Cells are split by the Go grammar (go/scanner and go/parser), never at
// semicolons: imports, functions, methods, types, variables and constants
// become session-level declarations; each top-level statement runs on its
// own (a goto with the statements up to its label), so every statement form
// works. A failed cell leaves no names behind (later uses report them
// undefined); a function can be redefined, a type or a method cannot (yaegi
// keeps the first declaration), which the host reports with the workaround;
// the same declaration run again (a re-run cell) is accepted unchanged.
// Calls deferred at a cell's top level run when the cell ends. A panic names
// the statement that raised it: the host records each statement's position
// before running it (yaegi's own trace names only the function).
//
// The stages live in their own files: cells.go splits a cell by the
// grammar, cell.go runs it, names.go tracks the names cells declare,
// guard.go rewrites go and defer statements, assign.go the assignments
// and loops yaegi would run wrongly (map elements, range loops that
// assign, empty loop bodies), host.go sets up the
// interpreter and runs scripts, positions.go holds positions and errors,
// exec.go the front ends' API, complete.go and docs.go completion and
// documentation, transcript.go :save.
package host
