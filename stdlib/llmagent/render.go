package llmagent

import (
	"bytes"
	"fmt"
	"reflect"
	"strconv"
	"sync"
	"sync/atomic"
	"text/template"
	tparse "text/template/parse"
	"unsafe"

	"github.com/llmsam/llmsam/internal/jsonenc"
)

// A renderer executes a prompt template for one data type several times
// faster than text/template, which looks up every field by name and calls
// every function by reflection on each execution: it is compiled once from
// the template's parse tree, with field paths resolved to indices and the
// prompt functions (level, percent, inc, printf, comparisons) called
// directly. It covers the constructs prompt templates use (text, fields,
// if/else, range over slices, pipelines of those functions); a template
// with anything else (variables, with, template calls, methods, maps,
// unknown functions) is executed by text/template, so the output is the
// same either way (TestRendererMatchesTextTemplate).
//
// A template compiles in two forms: plain, and quoted for the user
// message of a chat request, which appends the text as it is written
// inside that message's JSON string (llm.Message.Quoted): the static text
// escaped once at compile time, dynamic strings escaped as they are
// appended (jsonenc.AppendEscaped with HTML escapes, as llm encodes
// Content), numbers as they are, so that no second pass escapes the
// rendered prompt (TestQuotedMatchesPlain).
type renderer func(dst []byte, dot reflect.Value) ([]byte, error)

type renderKey struct {
	t   *template.Template
	typ reflect.Type
}

// compiled is a template's two compiled forms for one data type; nil
// forms are executed otherwise (plain: by text/template; quoted: plain,
// then escaped).
type compiled struct{ plain, quoted renderer }

// renderers caches compiled templates.
var renderers sync.Map // renderKey -> compiled

// ownTemplate reports whether t is one of the package's default templates,
// whose functions are known to be this package's (a user's template may
// bind num or coef to other functions).
func ownTemplate(t *template.Template) bool {
	d := defaultTemplates()
	return t == d.Shared || t == d.Agent || t == d.Round || t == defaultArchetypeRound()
}

// part is a template with its renderers for one data type (r nil when
// text/template executes it, q nil when it has no quoted form), looked up
// once for many renders.
type part struct {
	t *template.Template
	r renderer
	q renderer
}

// partFor returns template t's part for data of type typ.
func partFor(t *template.Template, typ reflect.Type) part {
	if t == nil {
		return part{}
	}
	key := renderKey{t, typ}
	r, ok := renderers.Load(key)
	if !ok {
		var c compiled
		if t.Tree != nil && ownTemplate(t) {
			if plain, err := compileList(t.Tree.Root, typ, false); err == nil {
				c.plain = plain
				c.quoted, _ = compileList(t.Tree.Root, typ, true)
			}
		}
		r, _ = renderers.LoadOrStore(key, c)
	}
	c := r.(compiled)
	return part{t, c.plain, c.quoted}
}

// appendTo appends the part executed with the struct v to dst.
func (p part) appendTo(dst []byte, v reflect.Value) ([]byte, error) {
	if p.r != nil {
		return p.r(dst, v)
	}
	if p.t == nil {
		return dst, fmt.Errorf("llmagent: a prompt template is nil (Templates.Shared, Agent and Round must all be set)")
	}
	w := &byteWriter{dst}
	if err := p.t.Execute(w, v.Interface()); err != nil {
		return dst, fmt.Errorf("llmagent: prompt template: %w", err)
	}
	return w.b, nil
}

// dataValue returns d as a struct value: d itself, or what it points to.
func dataValue(d any) reflect.Value {
	v := reflect.ValueOf(d)
	if v.Kind() == reflect.Pointer && v.Elem().Kind() == reflect.Struct {
		v = v.Elem()
	}
	return v
}

// renderTo appends template t executed with data d (a struct, or a pointer
// to one, which is rendered as the struct it points to) to dst.
func renderTo(dst []byte, t *template.Template, d any) ([]byte, error) {
	v := dataValue(d)
	return partFor(t, v.Type()).appendTo(dst, v)
}

// renderString renders parts with d (a struct, or a pointer to one), one
// after the other, into one string. It renders into a buffer of its own,
// of *hint bytes (the longest text rendered with that hint so far, or 4
// KiB when hint is nil), which the string then holds without a copy, as
// strings.Builder does: the buffer is never written again.
func renderString(hint *atomic.Int64, d any, parts ...part) (string, error) {
	size := int64(4096)
	if hint != nil {
		size = max(hint.Load(), 256)
	}
	out := make([]byte, 0, size)
	v := dataValue(d)
	var err error
	for _, p := range parts {
		if out, err = p.appendTo(out, v); err != nil {
			return "", err
		}
	}
	if hint != nil && int64(len(out)) > size {
		hint.Store(int64(len(out)) + 64)
	}
	if len(out) == 0 {
		return "", nil
	}
	return unsafe.String(&out[0], len(out)), nil
}

var errUnsupported = fmt.Errorf("unsupported")

// compileList compiles a template's node list for data of type dot, in
// its quoted form when quoted is set.
func compileList(l *tparse.ListNode, dot reflect.Type, quoted bool) (renderer, error) {
	if l == nil {
		return func(dst []byte, _ reflect.Value) ([]byte, error) { return dst, nil }, nil
	}
	var parts []renderer
	for _, n := range l.Nodes {
		r, err := compileNode(n, dot, quoted)
		if err != nil {
			return nil, err
		}
		parts = append(parts, r)
	}
	return func(dst []byte, v reflect.Value) ([]byte, error) {
		var err error
		for _, p := range parts {
			if dst, err = p(dst, v); err != nil {
				return dst, err
			}
		}
		return dst, nil
	}, nil
}

func compileNode(n tparse.Node, dot reflect.Type, quoted bool) (renderer, error) {
	switch n := n.(type) {
	case *tparse.CommentNode:
		return func(dst []byte, _ reflect.Value) ([]byte, error) { return dst, nil }, nil
	case *tparse.TextNode:
		text := n.Text
		if quoted {
			if len(text) > 0 && text[0]&0xC0 == 0x80 {
				return nil, errUnsupported
			}
			text = jsonenc.AppendEscaped(nil, string(text), true)
		}
		return func(dst []byte, _ reflect.Value) ([]byte, error) { return append(dst, text...), nil }, nil
	case *tparse.ActionNode:
		if len(n.Pipe.Decl) > 0 {
			return nil, errUnsupported
		}
		if app := compileAppend(n.Pipe, dot, quoted); app != nil {
			return app, nil
		}
		ev, typ, err := compilePipe(n.Pipe, dot)
		if err != nil {
			return nil, err
		}
		if quoted && typ.Kind() == reflect.String {
			memo := new(stringMemo)
			return func(dst []byte, v reflect.Value) ([]byte, error) {
				x, err := ev(v)
				if err != nil {
					return dst, err
				}
				return memo.appendTo(dst, x.String())
			}, nil
		}
		print, err := printer(typ)
		if err != nil {
			return nil, err
		}
		return func(dst []byte, v reflect.Value) ([]byte, error) {
			x, err := ev(v)
			if err != nil {
				return dst, err
			}
			return print(dst, x), nil
		}, nil
	case *tparse.IfNode:
		if len(n.Pipe.Decl) > 0 {
			return nil, errUnsupported
		}
		cond, typ, err := compilePipe(n.Pipe, dot)
		if err != nil {
			return nil, err
		}
		truth, err := truthOf(typ)
		if err != nil {
			return nil, err
		}
		yes, err := compileList(n.List, dot, quoted)
		if err != nil {
			return nil, err
		}
		no, err := compileList(n.ElseList, dot, quoted)
		if err != nil {
			return nil, err
		}
		return func(dst []byte, v reflect.Value) ([]byte, error) {
			x, err := cond(v)
			if err != nil {
				return dst, err
			}
			if truth(x) {
				return yes(dst, v)
			}
			return no(dst, v)
		}, nil
	case *tparse.RangeNode:
		if len(n.Pipe.Decl) > 0 {
			return nil, errUnsupported
		}
		over, typ, err := compilePipe(n.Pipe, dot)
		if err != nil || typ.Kind() != reflect.Slice {
			return nil, errUnsupported
		}
		body, err := compileList(n.List, typ.Elem(), quoted)
		if err != nil {
			return nil, err
		}
		empty, err := compileList(n.ElseList, dot, quoted)
		if err != nil {
			return nil, err
		}
		return func(dst []byte, v reflect.Value) ([]byte, error) {
			s, err := over(v)
			if err != nil {
				return dst, err
			}
			if s.Len() == 0 {
				return empty(dst, v)
			}
			for i := range s.Len() {
				if dst, err = body(dst, s.Index(i)); err != nil {
					return dst, err
				}
			}
			return dst, nil
		}, nil
	}
	return nil, errUnsupported
}

// evaluator computes a pipeline's value from dot.
type evaluator func(dot reflect.Value) (reflect.Value, error)

func compilePipe(p *tparse.PipeNode, dot reflect.Type) (evaluator, reflect.Type, error) {
	if p == nil || len(p.Cmds) != 1 {
		return nil, nil, errUnsupported // chained pipelines (x | f) are rare in prompts
	}
	return compileCmd(p.Cmds[0], dot)
}

func compileCmd(c *tparse.CommandNode, dot reflect.Type) (evaluator, reflect.Type, error) {
	if len(c.Args) == 0 {
		return nil, nil, errUnsupported
	}
	fn, ok := c.Args[0].(*tparse.IdentifierNode)
	if !ok {
		if len(c.Args) != 1 {
			return nil, nil, errUnsupported
		}
		return compileArg(c.Args[0], dot)
	}
	var args []evaluator
	var types []reflect.Type
	for _, a := range c.Args[1:] {
		ev, typ, err := compileArg(a, dot)
		if err != nil {
			return nil, nil, err
		}
		args, types = append(args, ev), append(types, typ)
	}
	eval := func(v reflect.Value) ([]reflect.Value, error) {
		out := make([]reflect.Value, len(args))
		for i, a := range args {
			x, err := a(v)
			if err != nil {
				return nil, err
			}
			out[i] = x
		}
		return out, nil
	}
	switch fn.Ident {
	case "inc", "num", "coef", "lower", "trim":
		// The package's own functions (ownTemplate guarantees the
		// template's map is funcs), called directly.
		if len(args) != 1 {
			return nil, nil, errUnsupported
		}
		a := args[0]
		switch f := funcs[fn.Ident].(type) {
		case func(float64) string:
			if types[0].Kind() != reflect.Float64 {
				return nil, nil, errUnsupported
			}
			return func(v reflect.Value) (reflect.Value, error) {
				x, err := a(v)
				if err != nil {
					return x, err
				}
				return reflect.ValueOf(f(x.Float())), nil
			}, reflect.TypeFor[string](), nil
		case func(int) int:
			if types[0].Kind() != reflect.Int {
				return nil, nil, errUnsupported
			}
			return func(v reflect.Value) (reflect.Value, error) {
				x, err := a(v)
				if err != nil {
					return x, err
				}
				return reflect.ValueOf(f(int(x.Int()))), nil
			}, reflect.TypeFor[int](), nil
		case func(string) string:
			if types[0].Kind() != reflect.String {
				return nil, nil, errUnsupported
			}
			return func(v reflect.Value) (reflect.Value, error) {
				x, err := a(v)
				if err != nil {
					return x, err
				}
				return reflect.ValueOf(f(x.String())), nil
			}, reflect.TypeFor[string](), nil
		}
		return nil, nil, errUnsupported
	case "printf":
		if len(args) < 1 || types[0].Kind() != reflect.String {
			return nil, nil, errUnsupported
		}
		if f, ok := c.Args[1].(*tparse.StringNode); ok && len(args) == 2 {
			// The common verbs, formatted as fmt does them.
			a := args[1]
			switch {
			case f.Text == "%.2f" && types[1].Kind() == reflect.Float64:
				return func(v reflect.Value) (reflect.Value, error) {
					x, err := a(v)
					if err != nil {
						return x, err
					}
					return reflect.ValueOf(strconv.FormatFloat(x.Float(), 'f', 2, 64)), nil
				}, reflect.TypeFor[string](), nil
			case f.Text == "%q" && types[1].Kind() == reflect.String:
				return func(v reflect.Value) (reflect.Value, error) {
					x, err := a(v)
					if err != nil {
						return x, err
					}
					return reflect.ValueOf(strconv.Quote(x.String())), nil
				}, reflect.TypeFor[string](), nil
			}
		}
		return func(v reflect.Value) (reflect.Value, error) {
			xs, err := eval(v)
			if err != nil {
				return reflect.Value{}, err
			}
			rest := make([]any, len(xs)-1)
			for i, x := range xs[1:] {
				rest[i] = x.Interface()
			}
			return reflect.ValueOf(fmt.Sprintf(xs[0].String(), rest...)), nil
		}, reflect.TypeFor[string](), nil
	case "lt", "le", "gt", "ge", "eq", "ne":
		if len(args) != 2 || types[0].Kind() != reflect.Int || types[1].Kind() != reflect.Int {
			return nil, nil, errUnsupported
		}
		cmp := map[string]func(a, b int64) bool{
			"lt": func(a, b int64) bool { return a < b }, "le": func(a, b int64) bool { return a <= b },
			"gt": func(a, b int64) bool { return a > b }, "ge": func(a, b int64) bool { return a >= b },
			"eq": func(a, b int64) bool { return a == b }, "ne": func(a, b int64) bool { return a != b },
		}[fn.Ident]
		x, y := args[0], args[1]
		return func(v reflect.Value) (reflect.Value, error) {
			a, err := x(v)
			if err != nil {
				return a, err
			}
			b, err := y(v)
			if err != nil {
				return b, err
			}
			return reflect.ValueOf(cmp(a.Int(), b.Int())), nil
		}, reflect.TypeFor[bool](), nil
	}
	return nil, nil, errUnsupported
}

func compileArg(n tparse.Node, dot reflect.Type) (evaluator, reflect.Type, error) {
	switch n := n.(type) {
	case *tparse.DotNode:
		return func(v reflect.Value) (reflect.Value, error) { return v, nil }, dot, nil
	case *tparse.FieldNode:
		return compileField(n.Ident, dot)
	case *tparse.StringNode:
		v := reflect.ValueOf(n.Text)
		return func(reflect.Value) (reflect.Value, error) { return v, nil }, v.Type(), nil
	case *tparse.NumberNode:
		if !n.IsInt {
			return nil, nil, errUnsupported
		}
		v := reflect.ValueOf(int(n.Int64))
		return func(reflect.Value) (reflect.Value, error) { return v, nil }, v.Type(), nil
	case *tparse.PipeNode:
		return compilePipe(n, dot)
	}
	return nil, nil, errUnsupported
}

// compileAppend compiles a pipeline in print position that appends its
// text directly, without an intermediate string: a field chain ending in
// Turn.JSON, or coef or num of a float (whose text JSON does not escape).
// It returns nil for anything else.
func compileAppend(p *tparse.PipeNode, dot reflect.Type, quoted bool) renderer {
	if p == nil || len(p.Cmds) != 1 {
		return nil
	}
	c := p.Cmds[0]
	switch a0 := c.Args[0].(type) {
	case *tparse.FieldNode:
		last := len(a0.Ident) - 1
		if len(c.Args) != 1 || a0.Ident[last] != "JSON" {
			return nil
		}
		ev, typ, err := compileField(a0.Ident[:last], dot)
		if err != nil || typ != reflect.TypeFor[Turn]() {
			return nil
		}
		app := appendTurnJSON
		if quoted {
			app = appendTurnJSONQuoted
		}
		return func(dst []byte, v reflect.Value) ([]byte, error) {
			t, err := ev(v)
			if err != nil {
				return dst, err
			}
			return app(dst, t), nil
		}
	case *tparse.IdentifierNode:
		f := floatAppenders[a0.Ident]
		if f == nil || len(c.Args) != 2 {
			return nil
		}
		ev, typ, err := compileArg(c.Args[1], dot)
		if err != nil || typ.Kind() != reflect.Float64 {
			return nil
		}
		return func(dst []byte, v reflect.Value) ([]byte, error) {
			x, err := ev(v)
			if err != nil {
				return dst, err
			}
			return f(dst, x.Float()), nil
		}
	}
	return nil
}

// floatAppenders append what the package's float functions return, as
// they format it (TestRendererMatchesTextTemplate).
var floatAppenders = map[string]func([]byte, float64) []byte{
	"coef": func(dst []byte, x float64) []byte { return strconv.AppendFloat(dst, x, 'f', 2, 64) }, // fmt's %.2f
	"num": func(dst []byte, x float64) []byte {
		start := len(dst)
		dst = strconv.AppendFloat(dst, x, 'g', -1, 64)
		if !bytes.ContainsAny(dst[start:], ".e") {
			dst = append(dst, ".0"...)
		}
		return dst
	},
}

// compileField resolves a chain of struct fields, through pointers but
// not maps, to index paths; a method may end the chain.
func compileField(chain []string, typ reflect.Type) (evaluator, reflect.Type, error) {
	type step struct {
		deref  bool
		idx    []int
		method int // a method's index, when idx is nil and deref false
	}
	var steps []step
	simple := true // every step is one field of a struct value
	for k, name := range chain {
		for typ.Kind() == reflect.Pointer {
			steps = append(steps, step{deref: true})
			typ = typ.Elem()
			simple = false
		}
		if typ.Kind() != reflect.Struct {
			return nil, nil, errUnsupported
		}
		if m, ok := reflect.PointerTo(typ).MethodByName(name); ok {
			// A method ending the chain, with no arguments and one string
			// result, on a value receiver (Turn.JSON).
			vm, onValue := typ.MethodByName(name)
			if k != len(chain)-1 || !onValue || m.Type.NumIn() != 1 || m.Type.NumOut() != 1 || m.Type.Out(0).Kind() != reflect.String {
				return nil, nil, errUnsupported
			}
			steps = append(steps, step{method: vm.Index})
			typ = m.Type.Out(0)
			simple = false
			continue
		}
		f, ok := typ.FieldByName(name)
		if !ok || !f.IsExported() {
			return nil, nil, errUnsupported
		}
		t := typ
		for _, i := range f.Index[:len(f.Index)-1] { // embedded structs only, no pointers
			if t = t.Field(i).Type; t.Kind() != reflect.Struct {
				return nil, nil, errUnsupported
			}
		}
		steps = append(steps, step{idx: f.Index})
		simple = simple && len(f.Index) == 1
		typ = f.Type
	}
	if simple {
		idx := make([]int, len(steps))
		for k, s := range steps {
			idx[k] = s.idx[0]
		}
		if len(idx) == 1 {
			i := idx[0]
			return func(v reflect.Value) (reflect.Value, error) { return v.Field(i), nil }, typ, nil
		}
		return func(v reflect.Value) (reflect.Value, error) {
			for _, i := range idx {
				v = v.Field(i)
			}
			return v, nil
		}, typ, nil
	}
	return func(v reflect.Value) (reflect.Value, error) {
		for _, s := range steps {
			if s.deref {
				if v.IsNil() {
					return v, fmt.Errorf("nil pointer evaluating %s", v.Type())
				}
				v = v.Elem()
				continue
			}
			if s.idx == nil {
				return v.Method(s.method).Call(nil)[0], nil
			}
			if len(s.idx) == 1 {
				v = v.Field(s.idx[0])
			} else {
				v = v.FieldByIndex(s.idx)
			}
		}
		return v, nil
	}, typ, nil
}

// turnOf returns the Turn a Turn value holds.
func turnOf(v reflect.Value) *Turn {
	if v.CanAddr() {
		return (*Turn)(v.Addr().UnsafePointer())
	}
	return &Turn{Thought: v.FieldByIndex(turnThought).String(), Opinion: int(v.FieldByIndex(turnOpinion).Int()), Decision: v.FieldByIndex(turnDecision).String()}
}

// appendTurnJSON appends Turn.JSON of a Turn value.
func appendTurnJSON(dst []byte, v reflect.Value) []byte {
	t := turnOf(v)
	dst = append(dst, `{"thought": `...)
	dst = appendJSONText(dst, t.Thought)
	dst = append(dst, `, "opinion": `...)
	dst = strconv.AppendInt(dst, int64(t.Opinion), 10)
	dst = append(dst, `, "decision": `...)
	dst = appendJSONText(dst, t.Decision)
	return append(dst, '}')
}

var turnThought, turnOpinion, turnDecision = fieldIndex[Turn]("Thought"), fieldIndex[Turn]("Opinion"), fieldIndex[Turn]("Decision")

func fieldIndex[T any](name string) []int {
	f, _ := reflect.TypeFor[T]().FieldByName(name)
	return f.Index
}

// appendJSONText appends s as a JSON string as encoding/json writes it
// without HTML escaping (what jsonString does).
func appendJSONText(dst []byte, s string) []byte { return jsonenc.AppendString(dst, s, false) }

// printer returns how text/template prints a value of type t.
func printer(t reflect.Type) (func([]byte, reflect.Value) []byte, error) {
	switch t.Kind() {
	case reflect.String:
		return func(dst []byte, v reflect.Value) []byte { return append(dst, v.String()...) }, nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return func(dst []byte, v reflect.Value) []byte { return strconv.AppendInt(dst, v.Int(), 10) }, nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return func(dst []byte, v reflect.Value) []byte { return strconv.AppendUint(dst, v.Uint(), 10) }, nil
	case reflect.Float64:
		return func(dst []byte, v reflect.Value) []byte { return strconv.AppendFloat(dst, v.Float(), 'g', -1, 64) }, nil
	case reflect.Bool:
		return func(dst []byte, v reflect.Value) []byte { return strconv.AppendBool(dst, v.Bool()) }, nil
	}
	return nil, errUnsupported
}

// truthOf returns text/template's truth of a value of type t.
func truthOf(t reflect.Type) (func(reflect.Value) bool, error) {
	switch t.Kind() {
	case reflect.Bool:
		return reflect.Value.Bool, nil
	case reflect.String, reflect.Slice, reflect.Map, reflect.Array:
		return func(v reflect.Value) bool { return v.Len() > 0 }, nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return func(v reflect.Value) bool { return v.Int() != 0 }, nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return func(v reflect.Value) bool { return v.Uint() != 0 }, nil
	case reflect.Float64:
		return func(v reflect.Value) bool { return v.Float() != 0 }, nil
	case reflect.Pointer, reflect.Interface:
		return func(v reflect.Value) bool { return !v.IsNil() }, nil
	case reflect.Struct:
		return func(reflect.Value) bool { return true }, nil
	}
	return nil, errUnsupported
}
