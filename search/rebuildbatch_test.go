package search

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/kdecole-club/clubwiki/wiki"
)

// A rebuild's batches hold at most Batch pages, and no more once their
// Markdown reaches batchBytes: long pages go a few at a time.
func TestRebuildBatchEnd(t *testing.T) {
	t.Parallel()
	const mib = 1 << 20
	heads := func(sizes ...int) []wiki.Head {
		out := make([]wiki.Head, len(sizes))
		for i, n := range sizes {
			out[i].Size = n
		}
		return out
	}
	split := func(h []wiki.Head, n int) []int {
		var ends []int
		for i := 0; i < len(h); {
			j := rebuildBatchEnd(h, i, n, batchBytes)
			if j <= i {
				t.Fatalf("no progress at %d", i)
			}
			ends = append(ends, j)
			i = j
		}
		return ends
	}
	for _, c := range []struct {
		name  string
		heads []wiki.Head
		n     int
		want  []int
	}{
		{"small pages by count", heads(1000, 1000, 1000, 1000, 1000), 2, []int{2, 4, 5}},
		{"long pages by bytes", heads(mib, mib, mib, mib, mib, mib), 100, []int{4, 6}},
		{"one page past the bound alone", heads(10*mib, 100, 5*mib, 100), 100, []int{1, 2, 3, 4}},
		{"up to the bound exactly", heads(2*mib, 2*mib, 1), 100, []int{2, 3}},
		{"none", nil, 100, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := split(c.heads, c.n); !slices.Equal(got, c.want) {
				t.Errorf("batches end at %v, want %v", got, c.want)
			}
		})
	}
}

// A rebuild of long pages, a few per batch, still indexes every one; so
// does the follower's catch-up, whose batches stop at the same bound.
func TestFollower_RebuildLongPages(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	// The bound lowered from 4 MiB to 128 KiB, the pages with it: the
	// mechanism is the same, the pages rendered and analysed 32 times
	// fewer bytes.
	const bound = 128 << 10
	e.fol.BatchBytes = bound
	// 3/8 of the bound each: two batches, of two pages then one.
	for i := range 3 {
		word := fmt.Sprintf("fiche%c", 'a'+i)
		// One long word: cheap to analyse, as long to hold.
		e.save(fmt.Sprintf("usages/longue-%d", i), "# Longue "+word+"\n\nLe cahier de textes "+word+" : "+strings.Repeat("x", bound*3/8)+"\n")
	}
	n, err := e.fol.Rebuild(e.ctx)
	if err != nil || n != 3 {
		t.Fatalf("Rebuild = %d, %v", n, err)
	}
	e.idx.partial.Store(false)
	for i := range 3 {
		word := fmt.Sprintf("fiche%c", 'a'+i)
		if got := paths(e.search(word)); !slices.Equal(got, []string{fmt.Sprintf("usages/longue-%d", i)}) {
			t.Errorf("%s finds %v", word, got)
		}
	}
	t.Run("caught up by batches", func(t *testing.T) {
		changes, err := e.db.ChangesAfter(e.ctx, 0, 1000)
		if err != nil {
			t.Fatal(err)
		}
		var sizes []int
		indexed := map[string]bool{}
		for rest := changes; len(rest) > 0; {
			u, n, err := e.fol.updateFor(e.ctx, rest)
			if err != nil || n < 1 || u.seq != rest[n-1].Seq {
				t.Fatalf("updateFor = %d changes up to %d, %v", n, u.seq, err)
			}
			for _, d := range u.docs {
				indexed[d.Path] = true
			}
			if len(u.docs) > 0 {
				sizes = append(sizes, len(u.docs))
			}
			rest = rest[n:]
		}
		if len(sizes) < 2 || !slices.Equal(sizes[len(sizes)-2:], []int{2, 1}) || len(indexed) < 3 {
			t.Errorf("batches of %v pages, %d pages indexed; want the long ones by two then one", sizes, len(indexed))
		}
	})
}
