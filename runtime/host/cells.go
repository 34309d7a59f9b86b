package host

import (
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

// splitCell cuts a cell into chunks of declarations and statements at the
// top level (brace depth 0), so that `import "fmt"`, `func f() {}` and
// `x := f()` may share a cell. A top-level `func` starts a declaration when a
// name follows it (after the receiver for methods); otherwise it is a
// function literal in a statement. Scanning errors are left for the parser
// to report with positions.
func splitCell(src string) []chunk {
	fset := token.NewFileSet()
	file := fset.AddFile("cell", -1, len(src))
	var s scanner.Scanner
	s.Init(file, []byte(src), nil, 0)
	type tok struct {
		pos token.Pos
		tok token.Token
	}
	var toks []tok
	for {
		pos, t, _ := s.Scan()
		if t == token.EOF {
			break
		}
		toks = append(toks, tok{pos, t})
	}
	// item starts: the first token, and every token after a top-level semicolon.
	type item struct {
		start int // byte offset
		decl  bool
	}
	at := func(i int) token.Token {
		if i < len(toks) {
			return toks[i].tok
		}
		return token.EOF
	}
	var items []item
	depth := 0
	startOfItem := true
	for k, t := range toks {
		if startOfItem && t.tok != token.SEMICOLON {
			items = append(items, item{start: file.Offset(t.pos), decl: isDeclStart(k, at)})
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
	var chunks []chunk
	for k, it := range items {
		end := len(src)
		if k+1 < len(items) {
			end = items[k+1].start
		}
		// Declarations are grouped (they may refer to each other); each
		// top-level statement is compiled on its own, after the previous one
		// ran, which spares yaegi's type analysis from inferring across
		// statements it has not executed yet.
		if n := len(chunks); n > 0 && it.decl && chunks[n-1].decl {
			chunks[n-1].src = src[chunks[n-1].offset:end]
			continue
		}
		line := 1 + strings.Count(src[:it.start], "\n")
		col := it.start - strings.LastIndex(src[:it.start], "\n")
		chunks = append(chunks, chunk{decl: it.decl, src: src[it.start:end], line: line, col: col, offset: it.start})
	}
	return chunks
}

// isDeclStart reports whether the item starting at token k is a declaration.
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
						return at(i+1) == token.IDENT
					}
				}
			}
		}
	}
	return false
}
