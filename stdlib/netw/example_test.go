package netw_test

import (
	"fmt"

	"github.com/llmsam/llmsam/stdlib/netw"
)

// The release's larger network: networkx's Barabasi-Albert construction
// with m = 10 on 101 nodes has m(n - m) = 910 edges and node 0 as a hub.
func ExampleBarabasiAlbert() {
	g, _ := netw.BarabasiAlbert(101, 10, 1)
	d := netw.DegreeStats(g)
	fmt.Println(g)
	fmt.Printf("min degree %d, mean %.2f, connected %v\n", d.Min, d.Mean, netw.Connected(g))
	// Output:
	// undirected graph: 101 nodes, 910 edges
	// min degree 10, mean 18.02, connected true
}

// A dynamic network like the release's BA_dynamic.npy: 10 snapshots, each
// moving 10 of the 225 edges.
func ExampleRewire() {
	base, _ := netw.BarabasiAlbert(50, 5, 1)
	dyn, _ := netw.Rewire(base, 10, 10, 1)
	fmt.Println(len(dyn), "snapshots of", dyn.At(9).Edges(), "edges")
	// Output: 10 snapshots of 225 edges
}
