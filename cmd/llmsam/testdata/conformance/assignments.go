//go:build ignore

// Assignments to every kind of variable (map and slice elements, array
// elements, fields, pointed-to variables) from every multi-valued
// expression (a call, a receive, a type assertion, a map index) and by
// range loops that assign instead of declaring; and loops with empty
// bodies. yaegi, the interpreter, left map elements unassigned, range
// variables unassigned, and ended a function after an empty loop, silently:
// the host rewrites those statements. Run by the conformance test at the
// REPL, as a notebook, as a script and with go run, which must all print
// the same.
package main

import (
	"errors"
	"fmt"
	"strconv"
)

type point struct{ x, y int }

type box struct {
	m map[string]int
	p *point
}

var order []string

// seen records that an operand was evaluated, for the evaluation order.
func seen(what string) string {
	order = append(order, what)
	return what
}

func two() (int, error) {
	order = append(order, "two")
	return 7, nil
}

func fails() (int, error) { return 8, errors.New("failed") }

func pair() (string, int) { return "s", 3 }

func boxOf(b *box) *box {
	order = append(order, "boxOf")
	return b
}

// afterEmptyLoops returns 1 when the statements after empty loops ran.
func afterEmptyLoops() int {
	x := 0
	for i := 0; i < 3; i++ {
	}
	for range 3 {
	}
	for _, c := range "ab" {
		_ = c
	}
	for range []int{1, 2} {
	}
	x++
	return x
}

// skipping changes its loop variable in the loop's body.
func skipping() []int {
	var seen []int
	for i := 0; i < 10; i++ {
		seen = append(seen, i)
		if i%3 == 0 {
			i++
			continue
		}
		i += 2
	}
	n := 0
	for i, j := 0, 10; i < j; i, j = i+1, j-1 {
		j--
		n++
	}
	return append(seen, n)
}

// closures keeps each iteration's variable, changed in the body.
func closures() []int {
	var fs []func() int
	for i := 0; i < 6; i++ {
		fs = append(fs, func() int { return i })
		i++
	}
	var out []int
	for _, f := range fs {
		out = append(out, f())
	}
	return out
}

// fromPointer changes the loop variable through a pointer.
func fromPointer() int {
	steps := 0
	for i := 0; i < 10; i++ {
		p := &i
		*p += 4
		steps++
	}
	return steps
}

// rangeInFunc assigns with range loops inside a function.
func rangeInFunc() (int, map[string]int) {
	var last int
	m := map[string]int{}
	for last, m["v"] = range []int{4, 5, 6} {
	}
	return last, m
}

func main() {
	var err error
	var ok bool
	m := map[string]int{}
	m["call"], err = two()
	m["fails"], err = fails()
	fmt.Println("map from a call:", m, err)

	ch := make(chan int, 4)
	ch <- 5
	m["recv"], ok = <-ch
	fmt.Println("map from a receive:", m["recv"], ok)

	var v any = 9
	m["assert"], ok = v.(int)
	fmt.Println("map from an assertion:", m["assert"], ok)

	other := map[int]int{1: 11}
	m["index"], ok = other[1]
	fmt.Println("map from a map index:", m["index"], ok)

	s := make([]int, 3)
	s[1], err = two()
	var a [3]int
	a[2], err = two()
	ap := &[2]int{}
	ap[1], err = two()
	fmt.Println("slice, array, array pointer:", s, a, *ap, err)

	var p point
	p.x, err = two()
	pp := &point{}
	pp.y, err = two()
	q := new(int)
	*q, err = two()
	fmt.Println("field, field through a pointer, pointer:", p, *pp, *q)

	nested := map[string]map[string]int{"a": {}}
	nested["a"]["b"], err = two()
	sm := []map[string]int{{}}
	sm[0]["c"], err = two()
	ms := map[string][]int{"d": make([]int, 2)}
	ms["d"][1], err = two()
	fmt.Println("nested:", nested, sm, ms)

	var n int
	var word string
	m2 := map[string]int{}
	m2["left"], n = pair2()
	word, m2["right"] = pair()
	m2["both1"], m2["both2"] = pair2()
	m2["blank"], _ = two()
	fmt.Println("either side:", m2, n, word)

	flags := map[string]bool{}
	_, flags["isInt"] = v.(int)
	_, flags["isString"] = v.(string)
	ch <- 6
	_, flags["received"] = <-ch
	_, flags["present"] = other[2]
	errs := map[string]error{}
	n, errs["f"] = fails()
	fmt.Println("ok and error into a map:", flags, n, errs)

	// The index operands are evaluated before the right side, left to
	// right; then the assignments are made left to right.
	order = nil
	b := &box{m: map[string]int{}, p: &point{}}
	boxOf(b).m[seen("k1")], err = two()
	fmt.Println("order:", order, b.m)
	order = nil
	i := 0
	s[i], i = pair2()
	key := "old"
	m[key], key = pair3()
	fmt.Println("left to right:", s, i, m["old"], key)
	boxOf(b).p.x, err = two()
	fmt.Println("through calls:", *b.p, order)

	func() {
		inner := map[int]string{}
		inner[1], inner[3] = strconv.Itoa(42), "x"
		inner[4], err = "nil error", nil
		var ptr *point
		var list []int
		list, ptr = nil, nil
		fmt.Println("parallel nil:", err, ptr, list)
		inner[2], err = quote(7)
		fmt.Println("in a function literal:", inner)
	}()

	done := make(chan bool)
	fromGo := map[string]int{}
	go func() {
		fromGo["go"], err = two()
		done <- true
	}()
	<-done
	fmt.Println("in a goroutine:", fromGo)

	// Range loops that assign.
	var k, last int
	var r rune
	for k = range 3 {
	}
	var k64 int64
	for k64 = range 4 {
	}
	for k, last = range []int{4, 5} {
	}
	var at int
	for at, r = range "héllo" {
	}
	fmt.Println("range into names:", k, k64, last, at, string(r))
	into := make([]int, 3)
	for into[0] = range 3 {
	}
	for _, into[1] = range []int{7, 8} {
	}
	rm := map[string]int{}
	for rm["key"], rm["value"] = range []int{4, 5, 6} {
	}
	for p.x = range 2 {
	}
	for _, *q = range []int{3, 2} {
	}
	fmt.Println("range into elements:", into, rm, p, *q)
	const limit = 3
	wide := make([]int64, 1)
	for wide[0] = range limit {
	}
	var small int8
	for small = range limit + 1 {
	}
	for into[5] = range 0 {
	}
	for _ = range 2 {
	}
	fmt.Println("range over constants:", wide, small, into)
	var name string
	for name = range map[string]int{"only": 1} {
	}
	ch <- 1
	ch <- 2
	close(ch)
	var got int
	for got = range ch {
	}
	fmt.Println("range over a map and a channel:", name, got)
	steps := map[int]int{}
	count := 0
outer:
	for steps[count] = range 10 {
		count++
		if count == 2 {
			continue outer
		}
		if count == 4 {
			break outer
		}
	}
	fmt.Println("labeled:", steps, count)
	var j int8
counting:
	for j = range 10 {
		if j == 3 {
			break counting
		}
	}
	fmt.Println("labeled count:", j)
	fmt.Println(rangeInFunc())

	// Receiving in a select, and init and post statements.
	sel := map[string]int{}
	in := make(chan int, 1)
	var okSel bool
	in <- 3
	select {
	case sel["tuple"], okSel = <-in:
	}
	in <- 4
	select {
	case sel["single"] = <-in:
	}
	in <- 5
	select {
	case into[2] = <-in:
	}
	in <- 6
	select {
	case _, okSel = <-in:
	}
	fmt.Println("select:", sel, into, okSel)
	if sel["if"], ok = other[1]; ok {
		fmt.Println("if init:", sel["if"])
	}
	switch sel["switch"], err = two(); {
	default:
		fmt.Println("switch init:", sel["switch"], err)
	}
	for sel["for"], err = two(); false; {
	}
	for i := 0; i < 2; sel["post"], err = two() {
		i++
	}
	fmt.Println("for init and post:", sel["for"], sel["post"])
	fmt.Println("loop variables:", skipping(), closures(), fromPointer())
	switch bound := v.(type) {
	default:
		fmt.Printf("a type switch with only a default clause: %v %T\n", bound, bound)
		if bound != nil {
			break
		}
		fmt.Println("not reached")
	}
	fmt.Println("after empty loops:", afterEmptyLoops())
}

func pair2() (int, int) { return 1, 2 }

func pair3() (int, string) { return 4, "new" }

func quote(n int) (string, error) { return strconv.Quote(strconv.Itoa(n)), nil }
