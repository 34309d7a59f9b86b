// Package display formats values as llmsam's REPL, notebooks and Jupyter
// kernel show a cell's result: with their type, long slices, maps and
// strings cut, library types by their String method. A program saved from
// a REPL session (:save) calls Show, so that `go run` prints what the
// session printed.
package display

import (
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"
)

// Display limits: how many elements of a slice, array or map, how many
// bytes of a string, and how many characters of a String method's text a
// displayed value shows.
const (
	displayElems  = 10
	displayString = 200
	displayText   = 2000
	displayDepth  = 3
)

// Show prints a value as the REPL shows a cell's result, on its own line.
func Show(v any) {
	fmt.Println(Value(reflect.ValueOf(v)))
}

// ShowAs is Show for a value of the interface type named typ (such as
// "error"): a nil v, whose type an any loses, prints as "<nil> (typ)", as
// the REPL shows it.
func ShowAs(v any, typ string) {
	if v == nil {
		fmt.Printf("<nil> (%s)\n", typ)
		return
	}
	Show(v)
}

// String formats a value as Value does.
func String(v any) string { return Value(reflect.ValueOf(v)) }

// Value formats a value as the REPL, the notebooks and the kernel show a
// cell's result: values of types with a String (or Error) method by that
// method, cut at displayText characters; other values with their type,
// long slices and maps cut after their first displayElems elements with a
// count, long strings cut, nested values shown to displayDepth levels.
//
//	42 (int)
//	"hello" (string)
//	[]int len 100: [0 1 2 3 4 5 6 7 8 9 ... 90 more]
//	sim.Study{Name: "", Steps: 3, ...}
//	<nil> (error)
func Value(v reflect.Value) string { return Named(v, nil) }

// Namer names what reflection cannot: an interpreter's struct types are
// unnamed to reflect, and their unexported fields renamed.
type Namer interface {
	// TypeName returns a struct type's name in the session, or "".
	TypeName(reflect.Type) string
	// FieldNames returns a struct type's field names as declared, or nil.
	FieldNames(reflect.Type) []string
}

// Named is Value with a Namer (nil: none).
func Named(v reflect.Value, names Namer) string {
	f := formatter{names: names}
	if !v.IsValid() {
		return "<nil>"
	}
	for v.Kind() == reflect.Interface && !v.IsNil() {
		v = v.Elem()
	}
	if (v.Kind() == reflect.Interface || v.Kind() == reflect.Pointer) && v.IsNil() {
		return "<nil> (" + f.typeName(v.Type()) + ")" // a nil error: the call succeeded
	}
	if s, ok := stringer(v); ok {
		return cut(s, displayText)
	}
	var b strings.Builder
	f.format(&b, v, 0)
	s := b.String()
	switch v.Kind() {
	case reflect.Slice, reflect.Array, reflect.Map:
		return fmt.Sprintf("%s len %d: %s", f.typeName(v.Type()), v.Len(), s)
	case reflect.Struct, reflect.Pointer:
		return s
	}
	return s + " (" + f.typeName(v.Type()) + ")"
}

type formatter struct {
	names Namer
}

// stringer returns the text of a value's String or Error method.
func stringer(v reflect.Value) (s string, ok bool) {
	if !v.CanInterface() {
		return "", false
	}
	defer func() {
		if recover() != nil {
			s, ok = "", false
		}
	}()
	switch x := v.Interface().(type) {
	case error:
		if v.Kind() == reflect.Pointer && v.IsNil() {
			return "", false
		}
		return x.Error(), true
	case fmt.Stringer:
		if v.Kind() == reflect.Pointer && v.IsNil() {
			return "", false
		}
		return x.String(), true
	}
	return "", false
}

func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && n < len(s) && s[n]&0xC0 == 0x80 { // keep runes whole
		n--
	}
	return s[:n] + fmt.Sprintf("... (%d more bytes)", len(s)-n)
}

func (f formatter) typeName(t reflect.Type) string {
	if f.names != nil {
		if n := f.names.TypeName(t); n != "" {
			return n
		}
		if t.Kind() == reflect.Slice || t.Kind() == reflect.Pointer {
			if n := f.names.TypeName(t.Elem()); n != "" {
				return map[reflect.Kind]string{reflect.Slice: "[]", reflect.Pointer: "*"}[t.Kind()] + n
			}
		}
	}
	s := t.String()
	if s == "" {
		return t.Kind().String()
	}
	return s
}

// format writes a short Go-like rendering of v.
func (f formatter) format(b *strings.Builder, v reflect.Value, depth int) {
	if !v.IsValid() {
		b.WriteString("nil")
		return
	}
	if depth > 0 {
		if s, ok := stringer(v); ok {
			b.WriteString(cut(s, displayString/2))
			return
		}
	}
	switch v.Kind() {
	case reflect.Interface:
		if v.IsNil() {
			b.WriteString("nil")
			return
		}
		f.format(b, v.Elem(), depth)
	case reflect.String:
		s := v.String()
		if len(s) > displayString {
			n := displayString
			for n > 0 && s[n]&0xC0 == 0x80 {
				n--
			}
			b.WriteString(strconv.Quote(s[:n]) + fmt.Sprintf("... (%d bytes)", len(s)))
			return
		}
		b.WriteString(strconv.Quote(s))
	case reflect.Pointer:
		if v.IsNil() {
			b.WriteString("nil")
			return
		}
		if v.Elem().Kind() == reflect.Struct {
			b.WriteString("&")
			f.format(b, v.Elem(), depth)
			return
		}
		fmt.Fprintf(b, "%#x", v.Pointer())
	case reflect.Slice, reflect.Array:
		if v.Kind() == reflect.Slice && v.IsNil() {
			b.WriteString("[]")
			return
		}
		if depth >= displayDepth {
			fmt.Fprintf(b, "[...%d elements]", v.Len())
			return
		}
		b.WriteString("[")
		for i := 0; i < v.Len() && i < displayElems; i++ {
			if i > 0 {
				b.WriteString(" ")
			}
			f.format(b, v.Index(i), depth+1)
		}
		if v.Len() > displayElems {
			fmt.Fprintf(b, " ... %d more", v.Len()-displayElems)
		}
		b.WriteString("]")
	case reflect.Map:
		if depth >= displayDepth {
			fmt.Fprintf(b, "map[...%d entries]", v.Len())
			return
		}
		keys := v.MapKeys()
		sort.Slice(keys, func(i, j int) bool { return fmt.Sprint(keys[i]) < fmt.Sprint(keys[j]) })
		b.WriteString("map[")
		for i, k := range keys {
			if i == displayElems {
				fmt.Fprintf(b, " ... %d more", len(keys)-displayElems)
				break
			}
			if i > 0 {
				b.WriteString(" ")
			}
			f.format(b, k, depth+1)
			b.WriteString(":")
			f.format(b, v.MapIndex(k), depth+1)
		}
		b.WriteString("]")
	case reflect.Struct:
		b.WriteString(f.typeName(v.Type()))
		if depth >= displayDepth {
			b.WriteString("{...}")
			return
		}
		b.WriteString("{")
		shown := 0
		var declared []string
		if f.names != nil {
			declared = f.names.FieldNames(v.Type())
		}
		for i := 0; i < v.NumField(); i++ {
			sf := v.Type().Field(i)
			if !sf.IsExported() {
				continue
			}
			fv := v.Field(i)
			if fv.IsZero() {
				continue // like a composite literal: zero fields left out
			}
			if shown > 0 {
				b.WriteString(", ")
			}
			if shown == displayElems {
				b.WriteString("...")
				break
			}
			fname := sf.Name
			if len(declared) == v.NumField() {
				fname = declared[i]
			}
			b.WriteString(fname + ": ")
			f.format(b, fv, depth+1)
			shown++
		}
		b.WriteString("}")
	case reflect.Func:
		if v.IsNil() {
			b.WriteString("nil")
			return
		}
		b.WriteString("func")
	case reflect.Float32, reflect.Float64:
		b.WriteString(strconv.FormatFloat(v.Float(), 'g', -1, v.Type().Bits()))
	default:
		if v.CanInterface() {
			fmt.Fprintf(b, "%v", v.Interface())
		} else {
			b.WriteString(v.String())
		}
	}
}
