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

// All joins the errors of several checks (nil when all passed).
func All(errs ...error) error { return errors.Join(errs...) }
