package host

import (
	"fmt"
	"sort"
	"strings"

	"github.com/llmsam/llmsam/runtime/symbols"
)

// Doc returns the documentation of key: a package of the project ("sim"),
// a member ("sim.Run"), a method ("history.Run.Save"), or a name of the
// session, documented by its type. A type's documentation ends with the
// list of its methods. When key is unknown, Doc returns suggestions and
// false.
func (h *Host) Doc(key string) (string, bool) {
	if d, ok := docOf(key); ok {
		return d, true
	}
	if h != nil && h.names[key] {
		if v, err := h.in.Eval(key); err == nil && v.IsValid() {
			t := strings.TrimLeft(v.Type().String(), "*[]")
			if d, ok := docOf(t); ok {
				return fmt.Sprintf("%s is a %s\n\n%s", key, v.Type(), d), true
			}
			return fmt.Sprintf("%s is a %s (members: %s)", key, v.Type(), strings.Join(Members(v.Type()), ", ")), true
		}
	}
	var near []string
	for k := range symbols.Docs {
		if strings.HasPrefix(strings.ToLower(k), strings.ToLower(key)) || strings.HasSuffix(strings.ToLower(k), "."+strings.ToLower(key)) {
			near = append(near, k)
		}
	}
	sort.Strings(near)
	if len(near) > 0 {
		if len(near) > 20 {
			near = append(near[:20], "...")
		}
		return fmt.Sprintf("no documentation for %s; did you mean: %s", key, strings.Join(near, ", ")), false
	}
	return fmt.Sprintf("no documentation for %s (:doc covers llmsam's packages and the session's names, e.g. :doc sim; for others see https://pkg.go.dev)", key), false
}

// docOf returns the generated documentation of key, with a type's methods
// listed after it.
func docOf(key string) (string, bool) {
	d, ok := symbols.Docs[key]
	if !ok {
		return "", false
	}
	if strings.Count(key, ".") == 1 && strings.HasPrefix(d, "type ") {
		var methods []string
		for k := range symbols.Docs {
			if strings.HasPrefix(k, key+".") {
				decl, _, _ := strings.Cut(symbols.Docs[k], "\n")
				methods = append(methods, "  "+decl)
			}
		}
		if len(methods) > 0 {
			sort.Strings(methods)
			d += "\n\nMethods:\n" + strings.Join(methods, "\n")
		}
	}
	return d, true
}
