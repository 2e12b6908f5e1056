//go:build linux

package search

import (
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kdecole-club/clubwiki/internal/mapped"
)

// mappedRSS returns the resident bytes of this process's mappings of files
// under dir.
func mappedRSS(t *testing.T, dir string) int64 {
	t.Helper()
	abs, err := filepath.EvalSymlinks(dir)
	if err != nil {
		t.Fatal(err)
	}
	n, err := mapped.Resident(func(p string) bool { return strings.HasPrefix(p, abs+"/") })
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// mappedWords are the words of mappedEnv's pages, one per page.
var mappedWords []string

// mappedEnv is an index of 40 pages of random words, each word found in
// one page, and a search of every one of them. The wiki is built once and
// copied for each test.
func mappedEnv(t *testing.T) (e *env, searchAll func() []string) {
	e = fixtureEnv(t, "mapped", func(e *env) {
		rng := rand.New(rand.NewPCG(1, 2))
		word := func() string {
			b := make([]byte, 8)
			for i := range b {
				b[i] = byte('a' + rng.IntN(26))
			}
			return string(b)
		}
		const pages = 40
		words := make([]string, pages)
		for i := range pages {
			words[i] = word()
			var body strings.Builder
			body.WriteString(words[i])
			for range 800 {
				body.WriteString(" " + word())
			}
			e.save(fmt.Sprintf("usages/p%d", i), "# Page\n\n"+body.String()+"\n")
		}
		e.sync()
		mappedWords = words
	})
	return e, func() []string {
		var found []string
		for _, w := range mappedWords {
			found = append(found, paths(e.search(w))...)
		}
		return found
	}
}

// TestIndex_ReleaseAfterSearches checks that with ReleaseAfterSearches a
// search leaves no index page resident behind it, and finds the same.
func TestIndex_ReleaseAfterSearches(t *testing.T) {
	t.Parallel()
	e, searchAll := mappedEnv(t)
	var want []string
	if !waitFor(t, 30*time.Second, func() bool { want = searchAll(); return mappedRSS(t, e.dir) >= 256<<10 }) {
		t.Fatalf("only %d bytes of the index files resident after searching every page: cannot test", mappedRSS(t, e.dir))
	}
	before := mappedRSS(t, e.dir)
	e.idx.ReleaseAfterSearches(time.Nanosecond)
	got := searchAll()
	if after := mappedRSS(t, e.dir); after > before/4 {
		t.Errorf("%d bytes of the index files resident after searching every page, %d without releasing", after, before)
	}
	if !slices.Equal(got, want) {
		t.Errorf("releasing after searches, they find %v, want %v", got, want)
	}
	t.Run("off", func(t *testing.T) {
		e.idx.ReleaseAfterSearches(0)
		searchAll()
		if n := mappedRSS(t, e.dir); n < 256<<10 {
			t.Errorf("only %d bytes of the index resident after searching with the release off", n)
		}
	})
}

func TestIndex_ReleaseMapped(t *testing.T) {
	t.Parallel()
	e, searchAll := mappedEnv(t)
	const pages = 40
	// The persister writes segments to files in the background: search
	// until the index's files are mapped and read.
	var want []string
	if !waitFor(t, 30*time.Second, func() bool { want = searchAll(); return mappedRSS(t, e.dir) >= 256<<10 }) {
		t.Fatalf("only %d bytes of the index files resident after searching every page: cannot test", mappedRSS(t, e.dir))
	}
	before := mappedRSS(t, e.dir)
	if err := e.idx.ReleaseMapped(); err != nil {
		t.Fatal(err)
	}
	if after := mappedRSS(t, e.dir); after > before/4 {
		t.Errorf("%d bytes of the index files resident after ReleaseMapped, %d before", after, before)
	}
	if got := searchAll(); len(got) != pages || !slices.Equal(got, want) {
		t.Errorf("after ReleaseMapped the searches find %d pages, want the same %d as before", len(got), len(want))
	}
	t.Run("closed index", func(t *testing.T) {
		_ = e.idx.Close()
		if err := e.idx.ReleaseMapped(); err != nil {
			t.Errorf("ReleaseMapped on a closed index: %v", err)
		}
	})
}
