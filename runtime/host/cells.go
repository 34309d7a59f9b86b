package host

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/scanner"
	"go/token"
	"strings"
)

// chunk is one top-level statement, or a run of consecutive declarations, of
// a cell.
type chunk struct {
	decl      bool   // declarations (import, func, type, var, const) or statements
	src       string // the chunk's source text
	line, col int    // position of its first character in the cell (1-based)
	offset    int    // byte offset in the cell
}

// SyntaxError is a cell that does not parse, with the position (1-based,
// relative to the cell) of the first error.
type SyntaxError struct {
	Line, Col int
	Msg       string
	// AtEnd is true when the error is at the end of the input: more lines
	// could complete the cell (an open brace, an unfinished call or string).
	AtEnd bool
}

func (e *SyntaxError) Error() string { return fmt.Sprintf("%d:%d: %s", e.Line, e.Col, e.Msg) }

// token at a byte offset of a cell, as the scanner reports it.
type cellToken struct {
	off int
	tok token.Token
}

// splitCell cuts a cell into chunks by the Go grammar: declarations that may
// only appear at a file's top level (import, func and method declarations,
// and type, var and const, which the session keeps as package-level names)
// and statements, each top-level statement a chunk of its own. Statements
// are delimited by the parser, never by semicolons, so loop and if headers,
// labels, multi-line calls and literals stay whole. A cell whose statements
// use labels (goto, labelled break and continue) keeps them together in one
// chunk.
func splitCell(src string) ([]chunk, *SyntaxError) {
	toks, serr := scanCell(src)
	if serr != nil {
		return nil, serr
	}
	at := func(i int) token.Token {
		if i < len(toks) {
			return toks[i].tok
		}
		return token.EOF
	}
	// Regions: maximal runs of declarations or of statements, cut where a
	// declaration starts (at the cell's start or after a top-level
	// semicolon) or a statement follows a declaration.
	type region struct {
		decl       bool
		start, end int // byte offsets
	}
	var regions []region
	depth := 0
	startOfItem := true
	for k, t := range toks {
		if startOfItem && t.tok != token.SEMICOLON {
			decl := isDeclStart(k, at)
			if n := len(regions); n == 0 || regions[n-1].decl != decl || decl {
				if n > 0 {
					regions[n-1].end = t.off
				}
				regions = append(regions, region{decl: decl, start: t.off})
			}
			startOfItem = false
		}
		switch t.tok {
		case token.LBRACE, token.LPAREN, token.LBRACK:
			depth++
		case token.RBRACE, token.RPAREN, token.RBRACK:
			depth--
		case token.SEMICOLON:
			if depth == 0 {
				startOfItem = true
			}
		}
	}
	if n := len(regions); n > 0 {
		regions[n-1].end = len(src)
	}
	var chunks []chunk
	add := func(decl bool, start, end int) {
		// Consecutive declarations are grouped: they may refer to each other.
		if n := len(chunks); n > 0 && decl && chunks[n-1].decl {
			chunks[n-1].src = src[chunks[n-1].offset:end]
			return
		}
		line := 1 + strings.Count(src[:start], "\n")
		col := start - strings.LastIndex(src[:start], "\n")
		chunks = append(chunks, chunk{decl: decl, src: src[start:end], line: line, col: col, offset: start})
	}
	for _, r := range regions {
		if r.decl {
			if err := parseCheck(src, r.start, r.end, true); err != nil {
				return nil, err
			}
			add(true, r.start, r.end)
			continue
		}
		stmts, err := parseStatements(src, r.start, r.end)
		if err != nil {
			return nil, err
		}
		if n := len(stmts); n > 0 && r.end == len(src) {
			// A label on its own at the end labels what comes next.
			if l, ok := stmts[n-1].(*ast.LabeledStmt); ok {
				if e, ok := l.Stmt.(*ast.EmptyStmt); ok && e.Implicit {
					off := r.start + stmtOffset(l)
					line := 1 + strings.Count(src[:off], "\n")
					return nil, &SyntaxError{Line: line, Col: off - strings.LastIndex(src[:off], "\n"),
						Msg: "label " + l.Label.Name + " labels no statement", AtEnd: true}
				}
			}
		}
		// Each top-level statement is compiled on its own, after the
		// previous one ran, which spares yaegi's type analysis from
		// inferring across statements it has not executed yet; a goto and
		// the label it jumps to stay in one chunk with what lies between.
		groupEnd := gotoSpans(stmts)
		for i := 0; i < len(stmts); i++ {
			j := groupEnd[i]
			end := r.end
			if j+1 < len(stmts) {
				end = r.start + stmtOffset(stmts[j+1])
			}
			add(false, r.start+stmtOffset(stmts[i]), end)
			i = j
		}
	}
	return chunks, nil
}

// stmtWrap is the text before a statement region when it is parsed as a
// function body; stmtOffset maps positions back.
const stmtWrap = "package main; func _() {\n"

func stmtOffset(st ast.Stmt) int { return int(st.Pos()) - 1 - len(stmtWrap) }

// scanCell returns the cell's tokens; an unterminated raw string or comment
// makes the cell incomplete, other scanning errors are left to the parser.
func scanCell(src string) ([]cellToken, *SyntaxError) {
	fset := token.NewFileSet()
	file := fset.AddFile("cell", -1, len(src))
	var s scanner.Scanner
	var serr *SyntaxError
	s.Init(file, []byte(src), func(pos token.Position, msg string) {
		if serr == nil && (msg == "raw string literal not terminated" || msg == "comment not terminated") {
			serr = &SyntaxError{Line: pos.Line, Col: pos.Column, Msg: msg, AtEnd: true}
		}
	}, 0)
	var toks []cellToken
	for {
		pos, t, _ := s.Scan()
		if t == token.EOF {
			break
		}
		toks = append(toks, cellToken{file.Offset(pos), t})
	}
	return toks, serr
}

// parseStatements parses src[start:end] as the statements of a function
// body.
func parseStatements(src string, start, end int) ([]ast.Stmt, *SyntaxError) {
	text := stmtWrap + src[start:end] + "\n}"
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "", text, parser.SkipObjectResolution)
	if err != nil {
		return nil, syntaxError(src, start, end, len(stmtWrap), err)
	}
	return f.Decls[0].(*ast.FuncDecl).Body.List, nil
}

// parseCheck parses src[start:end] as top-level declarations.
func parseCheck(src string, start, end int, decl bool) *SyntaxError {
	const wrap = "package main;"
	_, err := parser.ParseFile(token.NewFileSet(), "", wrap+src[start:end], parser.SkipObjectResolution)
	if err != nil {
		return syntaxError(src, start, end, len(wrap), err)
	}
	return nil
}

// syntaxError maps the first error of parsing a region (placed after a
// wrapper of wrap bytes) back to the cell, and decides whether it is at the
// end of the input: at or after the region's last non-space byte when the
// region is the cell's last, and no closing bracket is unmatched.
func syntaxError(src string, start, end, wrap int, err error) *SyntaxError {
	el, ok := err.(scanner.ErrorList)
	if !ok || len(el) == 0 {
		return &SyntaxError{Line: 1, Col: 1, Msg: err.Error()}
	}
	e := el[0]
	off := e.Pos.Offset - wrap + start
	if off > end {
		off = end
	}
	if off < 0 {
		off = 0
	}
	textEnd := start + len(strings.TrimRight(src[start:end], " \t\r\n;"))
	atEnd := off >= textEnd && end == len(src) && balanced(src)
	if off > len(src) {
		off = len(src)
	}
	line := 1 + strings.Count(src[:off], "\n")
	col := off - strings.LastIndex(src[:off], "\n")
	return &SyntaxError{Line: line, Col: col, Msg: e.Msg, AtEnd: atEnd}
}

// balanced reports whether no closing bracket of src lacks its opening one.
func balanced(src string) bool {
	toks, _ := scanCell(src)
	depth := 0
	for _, t := range toks {
		switch t.tok {
		case token.LBRACE, token.LPAREN, token.LBRACK:
			depth++
		case token.RBRACE, token.RPAREN, token.RBRACK:
			depth--
			if depth < 0 {
				return false
			}
		}
	}
	return true
}

// gotoSpans returns, for each top-level statement i, the last statement
// that must be compiled with it: a goto at the top level (outside function
// literals) and the top-level statement its label marks are kept together,
// with every statement between them.
func gotoSpans(stmts []ast.Stmt) []int {
	end := make([]int, len(stmts))
	label := map[string]int{}
	for i, st := range stmts {
		end[i] = i
		if l, ok := st.(*ast.LabeledStmt); ok {
			label[l.Label.Name] = i
		}
	}
	for i, st := range stmts {
		ast.Inspect(st, func(n ast.Node) bool {
			switch v := n.(type) {
			case *ast.FuncLit:
				return false
			case *ast.BranchStmt:
				if j, ok := label[labelName(v)]; ok && v.Tok == token.GOTO {
					lo, hi := min(i, j), max(i, j)
					end[lo] = max(end[lo], hi)
				}
			}
			return true
		})
	}
	// A span that starts inside another extends it.
	for i := range stmts {
		for k := i + 1; k <= end[i] && k < len(stmts); k++ {
			end[i] = max(end[i], end[k])
		}
	}
	return end
}

func labelName(b *ast.BranchStmt) string {
	if b.Label == nil {
		return ""
	}
	return b.Label.Name
}

// Incomplete reports whether src is the beginning of a cell that more lines
// could complete: it does not parse and the first error is at the end of
// the input (an open brace or parenthesis, a line ending in an operator, a
// comma or a dot, an unterminated raw string or comment).
func Incomplete(src string) bool {
	_, err := splitCell(src)
	return err != nil && err.AtEnd
}

// isDeclStart reports whether the item starting at token k is a
// declaration: import, type, var, const, or func followed by a name (a
// function, possibly generic) or by a receiver and a name (a method). A
// func literal has no name: `func(x T) R {` is followed by `{` after R.
func isDeclStart(k int, at func(int) token.Token) bool {
	switch at(k) {
	case token.IMPORT, token.TYPE, token.CONST, token.VAR:
		return true
	case token.FUNC:
		switch at(k + 1) {
		case token.IDENT:
			return true
		case token.LPAREN: // a method receiver, or a literal's parameters
			depth := 0
			for i := k + 1; at(i) != token.EOF; i++ {
				switch at(i) {
				case token.LPAREN:
					depth++
				case token.RPAREN:
					depth--
					if depth == 0 {
						return at(i+1) == token.IDENT && (at(i+2) == token.LPAREN || at(i+2) == token.LBRACK)
					}
				}
			}
		}
	}
	return false
}
