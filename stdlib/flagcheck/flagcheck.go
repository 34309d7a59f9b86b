// Package flagcheck validates a script's flags before it does any work, so
// that a bad value stops the script at once with a message naming the flag
// and what was expected, instead of being silently replaced by a default or
// failing after files were written. Scripts use it in one small block
// after flag.Parse:
//
//	if err := flagcheck.All(
//		flagcheck.Count("replicates", *reps),
//		flagcheck.Range("windows", *nwin, 0, 7),
//		flagcheck.Formats("formats", *formats),
//	); err != nil {
//		fmt.Fprintln(os.Stderr, err)
//		os.Exit(2)
//	}
package flagcheck

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// FigureFormats are the figure formats plots.Figure.Save writes.
var FigureFormats = []string{"png", "svg", "pdf", "eps", "jpg", "jpeg", "tif", "tiff"}

// Count checks a count that must be at least 1 (replicates, agents, groups).
func Count(name string, v int) error {
	if v < 1 {
		return fmt.Errorf("flag -%s: %d, want a count of at least 1", name, v)
	}
	return nil
}

// AtLeast checks that v >= lo.
func AtLeast(name string, v, lo int) error {
	if v < lo {
		return fmt.Errorf("flag -%s: %d, want at least %d", name, v, lo)
	}
	return nil
}

// Want checks a condition on a flag's value that the other checks do not
// cover: when ok is false the error names the flag, its value and want,
// what was expected ("a share in [0, 1)").
func Want(name string, ok bool, value any, want string) error {
	if ok {
		return nil
	}
	if s, isString := value.(string); isString {
		return fmt.Errorf("flag -%s: %q, want %s", name, s, want)
	}
	return fmt.Errorf("flag -%s: %v, want %s", name, value, want)
}

// Subset checks a comma-separated list whose items must each be one of
// the allowed values (and that names at least one).
func Subset(name, list string, allowed ...string) error {
	n := 0
	for _, v := range strings.Split(list, ",") {
		if v = strings.TrimSpace(v); v == "" {
			continue
		}
		n++
		if OneOf(name, v, allowed...) != nil {
			return fmt.Errorf("flag -%s: %q in %q, want some of %s", name, v, list, strings.Join(allowed, ", "))
		}
	}
	if n == 0 {
		return fmt.Errorf("flag -%s: %q, want some of %s", name, list, strings.Join(allowed, ", "))
	}
	return nil
}

// ParseFloats returns the numbers of a comma-separated list, or an error
// naming the flag and the first item that is not a number.
func ParseFloats(name, list string) ([]float64, error) {
	var out []float64
	for _, f := range strings.Split(list, ",") {
		x, err := strconv.ParseFloat(strings.TrimSpace(f), 64)
		if err != nil {
			return nil, fmt.Errorf("flag -%s: %q in %q, want a comma-separated list of numbers", name, f, list)
		}
		out = append(out, x)
	}
	return out, nil
}

// Range checks that lo <= v <= hi.
func Range(name string, v, lo, hi int) error {
	if v < lo || v > hi {
		return fmt.Errorf("flag -%s: %d, want %d to %d", name, v, lo, hi)
	}
	return nil
}

// Formats checks a comma-separated list of figure formats (see
// FigureFormats); it must name at least one.
func Formats(name, list string) error {
	_, err := ParseFormats(name, list)
	return err
}

// ParseFormats returns the formats of a comma-separated list, lower-cased
// and without dots, or an error naming the first unknown one.
func ParseFormats(name, list string) ([]string, error) {
	var out []string
	for _, f := range strings.Split(list, ",") {
		f = strings.ToLower(strings.TrimPrefix(strings.TrimSpace(f), "."))
		if f == "" {
			continue
		}
		known := false
		for _, k := range FigureFormats {
			known = known || f == k
		}
		if !known {
			return nil, fmt.Errorf("flag -%s: unknown figure format %q, want some of %s", name, f, strings.Join(FigureFormats, ", "))
		}
		out = append(out, f)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("flag -%s: no figure format, want some of %s", name, strings.Join(FigureFormats, ", "))
	}
	return out, nil
}

// OneOf checks that v is one of the allowed values.
func OneOf(name, v string, allowed ...string) error {
	for _, a := range allowed {
		if v == a {
			return nil
		}
	}
	return fmt.Errorf("flag -%s: %q, want one of %s", name, v, strings.Join(allowed, ", "))
}

// Value names the flag in the error a parser returned for its value
// (scenario.ByName, theory.ParseActionRule, ...): nil stays nil.
func Value(name string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("flag -%s: %w", name, err)
}

// All joins the errors of several checks (nil when all passed).
func All(errs ...error) error { return errors.Join(errs...) }
