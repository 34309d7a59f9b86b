//go:build ignore

// Generics, constants, arrays, maps of slices, variadic literals and
// per-iteration loop variables (Go 1.22), four ways (see statements.go).
package main

import "fmt"

type Number interface {
	~int | ~float64
}

func Sum[T Number](xs []T) T {
	var s T
	for _, x := range xs {
		s += x
	}
	return s
}

type Pair[K comparable, V any] struct {
	Key K
	Val V
}

func main() {
	fmt.Println(Sum([]int{1, 2, 3}), Sum([]float64{0.5, 0.25}))
	p := Pair[string, int]{"a", 1}
	fmt.Println(p.Key, p.Val)
	m := map[string][]int{"x": {1}}
	m["x"] = append(m["x"], 2)
	fmt.Println(m)
	var iface interface{ String() string }
	fmt.Println(iface == nil)
	const big = 1 << 40
	fmt.Println(big >> 38)
	arr := [...]string{2: "c", 0: "a"}
	fmt.Println(len(arr), arr)
	fn := func(xs ...string) int { return len(xs) }
	fmt.Println(fn(), fn("a", "b"))
	var fns []func() int
	for i := 0; i < 3; i++ {
		fns = append(fns, func() int { return i })
	}
	for _, f := range fns {
		fmt.Print(f(), " ")
	}
	fmt.Println()
}
