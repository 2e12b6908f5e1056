package store

import (
	"fmt"
	"strings"
	"testing"
)

// BenchmarkSumText measures what verifying a head's hash adds to every
// read of a page's text (compare with BenchmarkDB_Revision).
func BenchmarkSumText(b *testing.B) {
	for _, n := range []int{10 << 10, 20 << 10} {
		text := strings.Repeat("Le référent numérique vérifie l'ENT. ", n/38)
		b.Run(fmt.Sprintf("%dKB", n>>10), func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			b.ReportAllocs()
			for b.Loop() {
				sumText(text)
			}
		})
	}
}
