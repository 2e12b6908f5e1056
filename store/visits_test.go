package store_test

import (
	"context"
	"testing"

	"github.com/kdecole-club/clubwiki/wiki"
)

// TestDB_Visits checks what the shared suite cannot: visits survive a
// reopen of the data file.
func TestDB_Visits(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	t.Run("survive a reopen", func(t *testing.T) {
		db, path := openTest(t)
		p := wiki.MustPath("usages/a")
		if err := db.PutVisits(ctx, []wiki.Visit{{Login: "alice", Path: p, Rev: 2}}); err != nil {
			t.Fatal(err)
		}
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
		db = reopen(t, path)
		got, err := db.Visits(ctx, "alice", []wiki.Path{p})
		if err != nil || got[p] != 2 {
			t.Fatalf("after reopen Visits = %v, %v; want rev 2", got, err)
		}
	})
}
