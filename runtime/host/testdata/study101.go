//go:build ignore

// The benchmark script: the larger-network study (3 topologies x 7 windows
// x 5 replicates of 101 SAM agents, 3 rounds) without figures. bench_test.go
// runs it interpreted and runs the same code compiled.
package main

import (
	"fmt"

	"github.com/llmsam/llmsam/stdlib/protocol"
	"github.com/llmsam/llmsam/stdlib/theory"
)

func main() {
	res, err := protocol.Large{Agents: theory.SAM{}, Seed: 1, Quiet: true}.Run()
	if err != nil {
		panic(err)
	}
	fmt.Println(len(res.Runs["BA"]), "windows")
}
