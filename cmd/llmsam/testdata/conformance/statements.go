//go:build ignore

// Every statement form of the Go specification, as a researcher types
// them: run by the conformance test at the REPL (line by line over a pipe),
// as a notebook, as a script and with go run, which must all print the same.
package main

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
)

const (
	low = iota
	mid
	high
)

type shape interface {
	area() float64
}

type rect struct{ w, h float64 }

func (r rect) area() float64 { return r.w * r.h }

type square struct {
	rect
	name string
}

type counter struct{ n int }

func (c *counter) inc() { c.n++ }

func sum(xs ...int) int {
	t := 0
	for _, x := range xs {
		t += x
	}
	return t
}

func divide(a, b int) (q int, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("recovered: %v", r)
		}
	}()
	q = a / b
	return
}

func countdown(n int) []int {
	var out []int
loop:
	if n > 0 {
		out = append(out, n)
		n--
		goto loop
	}
	return out
}

func deferred() (s string) {
	for i := 0; i < 3; i++ {
		defer func(i int) { s += fmt.Sprint(i) }(i)
	}
	return "d"
}

var errNotFound = errors.New("not found")

func find(m map[string]int, k string) (int, error) {
	if v, ok := m[k]; ok {
		return v, nil
	}
	return 0, fmt.Errorf("find %q: %w", k, errNotFound)
}

func main() {
	// Declarations and assignments.
	var a int
	var b, c = 2, "three"
	d := 4.5
	a += 10
	a *= 2
	a--
	a++
	x, y := 1, 2
	x, y = y, x
	fmt.Println(a, b, c, d, x, y, low, mid, high)

	// for with init, condition and post; while-style; range forms.
	for i := 0; i < 3; i++ {
		fmt.Println("i", i)
	}
	n := 0
	for n < 3 {
		n++
	}
	for i := range 3 {
		fmt.Print(i, " ")
	}
	fmt.Println()
	for i, r := range "héllo" {
		fmt.Print(i, ":", string(r), " ")
	}
	fmt.Println()
	ages := map[string]int{"ann": 31, "bob": 27, "cy": 45}
	keys := make([]string, 0, len(ages))
	for k := range ages {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	fmt.Println(keys)

	// if with init, else if, else.
	if v, err := find(ages, "bob"); err != nil {
		fmt.Println("error", err)
	} else if v > 30 {
		fmt.Println("older")
	} else {
		fmt.Println("younger", v)
	}
	if _, err := find(ages, "dan"); errors.Is(err, errNotFound) {
		fmt.Println(err)
	}

	// switch with init and tag, without tag, fallthrough, type switch.
	switch k := len(keys); k {
	case 1, 2:
		fmt.Println("few")
	case 3:
		fmt.Println("three keys")
		fallthrough
	default:
		fmt.Println("fell through")
	}
	switch {
	case d > 4:
		fmt.Println("big d")
	default:
		fmt.Println("small d")
	}
	var s shape = square{rect{2, 3}, "sq"}
	switch v := s.(type) {
	case rect:
		fmt.Println("rect", v.area())
	case square:
		fmt.Println("square", v.name, v.area())
	}

	// Labelled loops with break and continue.
outer:
	for i := 0; i < 3; i++ {
		for j := 0; j < 3; j++ {
			if j == 2 {
				continue outer
			}
			if i == 2 {
				break outer
			}
			fmt.Print(i, j, " ")
		}
	}
	fmt.Println()

	// goto, defer and recover inside functions.
	fmt.Println(countdown(3), deferred())
	q, err := divide(1, 0)
	fmt.Println(q, err)

	// Goroutines, channels, select, a WaitGroup and a mutex.
	ch := make(chan int)
	done := make(chan struct{})
	go func() {
		for v := range ch {
			fmt.Println("got", v)
		}
		close(done)
	}()
	for i := 0; i < 2; i++ {
		ch <- i
	}
	close(ch)
	<-done
	var wg sync.WaitGroup
	var mu sync.Mutex
	total := 0
	for i := 1; i <= 4; i++ {
		wg.Add(1)
		go func(k int) {
			defer wg.Done()
			mu.Lock()
			total += k
			mu.Unlock()
		}(i)
	}
	wg.Wait()
	fmt.Println("total", total)
	buf := make(chan string, 1)
	select {
	case m := <-buf:
		fmt.Println("unexpected", m)
	default:
		fmt.Println("nothing ready")
	}
	buf <- "ready"
	select {
	case m := <-buf:
		fmt.Println(m)
	}

	// Multi-line calls and composite literals, method chains broken after
	// a dot, raw strings.
	people := []struct {
		Name string
		Age  int
	}{
		{"ann", 31},
		{"bob", 27},
	}
	fmt.Println(
		len(people),
		people[1].Name,
	)
	upper := strings.NewReplacer("a", "A").
		Replace("banana")
	fmt.Println(upper)
	raw := `a raw string
spanning lines with "quotes"`
	fmt.Println(raw)

	// Methods, pointers, closures, variadic calls, arrays and slices.
	cnt := &counter{}
	inc := cnt.inc
	inc()
	inc()
	fmt.Println("count", cnt.n)
	adder := func(base int) func(int) int {
		return func(v int) int { return base + v }
	}
	fmt.Println(adder(10)(5), sum(1, 2, 3), sum([]int{4, 5}...))
	grid := [2][3]int{{1, 2, 3}, {4, 5, 6}}
	row := grid[1][:2]
	row = append(row, 9)
	fmt.Println(grid, row, len(row), cap(row))
	copy(row, []int{7})
	fmt.Println(row)
	delete(ages, "cy")
	fmt.Println(len(ages))
	{
		shadow := "inner block"
		fmt.Println(shadow)
	}
	func() {
		fmt.Println("immediately invoked")
	}()
}
