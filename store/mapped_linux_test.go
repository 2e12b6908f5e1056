//go:build linux

package store_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
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
}
