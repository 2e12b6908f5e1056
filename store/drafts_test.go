package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/kdecole-club/clubwiki/wiki"
)

// TestDB_Drafts checks what the shared suite cannot: a draft survives a
// reopen of the data file, text and all.
func TestDB_Drafts(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	t.Run("survive a reopen", func(t *testing.T) {
		db, path := openTest(t)
		p := wiki.MustPath("usages/a")
		saved := time.Date(2026, 11, 30, 23, 0, 0, 123, time.UTC)
		d := wiki.Draft{Login: "alice", Path: p, Markdown: "# A\n\nd’abord l’école\n", BaseRev: 7, Saved: saved}
		if err := db.PutDraft(ctx, d, 10); err != nil {
			t.Fatal(err)
		}
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
		db = reopen(t, path)
		got, err := db.Draft(ctx, "alice", p)
		if err != nil || got != d {
			t.Fatalf("after reopen Draft = %+v, %v; want %+v", got, err, d)
		}
	})
}
