//go:build linux

package store_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kdecole-club/clubwiki/internal/mapped"
	"github.com/kdecole-club/clubwiki/wiki"
)

// mappedRSS returns the resident bytes of this process's mappings of path.
func mappedRSS(t *testing.T, path string) int64 {
	t.Helper()
	abs, err := filepath.EvalSymlinks(path)
	if err != nil {
		t.Fatal(err)
	}
	n, err := mapped.Resident(func(p string) bool { return p == abs })
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestDB_ReleaseMapped(t *testing.T) {
	t.Parallel()
	db, path := openTest(t)
	ctx := context.Background()
	// Random letters: the store compresses texts, these stay large.
	rng := rand.New(rand.NewPCG(1, 2))
	letters := make([]byte, 20<<10)
	for i := range letters {
		letters[i] = byte('a' + rng.IntN(26))
	}
	text := string(letters)
	const pages = 100
	readAll := func() {
		for i := range pages {
			_, got, err := db.Revision(ctx, wiki.MustPath(fmt.Sprintf("usages/p%d", i)), 1)
			if err != nil || got != text {
				t.Fatalf("page %d reads %d bytes (%v), want %d", i, len(got), err, len(text))
			}
		}
	}
	for i := range pages {
		commit(t, db, fmt.Sprintf("usages/p%d", i), 0, text)
	}
	readAll()
	before := mappedRSS(t, path)
	if before < 1<<20 {
		t.Fatalf("only %d bytes of the data file resident after reading every page: cannot test", before)
	}
	if err := db.ReleaseMapped(); err != nil {
		t.Fatal(err)
	}
	if after := mappedRSS(t, path); after > before/4 {
		t.Errorf("%d bytes of the data file resident after ReleaseMapped, %d before", after, before)
	}
	readAll() // the same texts, mapped again
	// Later releases advise the mapping's range without reading
	// /proc/self/maps; they drop as much.
	again := mappedRSS(t, path)
	if again < 1<<20 {
		t.Fatalf("only %d bytes of the data file resident after reading every page again: cannot test", again)
	}
	if err := db.ReleaseMapped(); err != nil {
		t.Fatal(err)
	}
	if after := mappedRSS(t, path); after > again/4 {
		t.Errorf("%d bytes of the data file resident after a second ReleaseMapped, %d before", after, again)
	}
	readAll()
}

// BenchmarkDB_ReleaseMapped is the cost of one release after reads mapped
// the store again, as the server does every 10 ms (cmd/clubwiki's
// releaser): a read transaction and two system calls, plus the page
// faults that map the pages back.
func BenchmarkDB_ReleaseMapped(b *testing.B) {
	db, _ := openTest(b)
	ctx := context.Background()
	text := strings.Repeat("Une page du wiki, relue souvent. ", 200)
	const pages = 200
	for i := range pages {
		commit(b, db, fmt.Sprintf("usages/p%d", i), 0, text)
	}
	if err := db.ReleaseMapped(); err != nil { // the first, slow path
		b.Fatal(err)
	}
	for i := 0; b.Loop(); i++ {
		if _, _, err := db.Revision(ctx, wiki.MustPath(fmt.Sprintf("usages/p%d", i%pages)), 1); err != nil {
			b.Fatal(err)
		}
		if err := db.ReleaseMapped(); err != nil {
			b.Fatal(err)
		}
	}
}
