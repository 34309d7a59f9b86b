package netw

import "testing"

func BenchmarkBarabasiAlbert(b *testing.B) {
	b.Run("n=1e6,m=5", func(b *testing.B) {
		for b.Loop() {
			if _, err := BarabasiAlbert(1_000_000, 5, 1); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkWattsStrogatz(b *testing.B) {
	b.Run("n=1e6,k=10,p=0.1", func(b *testing.B) {
		for b.Loop() {
			if _, err := WattsStrogatz(1_000_000, 10, 0.1, 1); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkErdosRenyi(b *testing.B) {
	b.Run("n=1e6,mean degree 10", func(b *testing.B) {
		for b.Loop() {
			if _, err := ErdosRenyi(1_000_000, 10.0/999_999, 1); err != nil {
				b.Fatal(err)
			}
		}
	})
}
