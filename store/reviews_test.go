package store_test

import (
	"context"
	"testing"

	"github.com/kdecole-club/clubwiki/wiki"
)

// TestDB_MarkReviewed covers what the shared suite cannot: the mark and
// its log entry survive a reopen, and clubwiki check reads the entry as a
// healthy one.
func TestDB_MarkReviewed(t *testing.T) {
	ctx := context.Background()
	path := buildChecked(t)
	db := reopen(t, path)
	p := wiki.MustPath("club/accueil")
	if _, added, err := db.MarkReviewed(ctx, wiki.Review{Path: p, Rev: 2, By: "bob"}); err != nil || !added {
		t.Fatalf("MarkReviewed = %v, %v", added, err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db = reopen(t, path)
	t.Run("kept across a reopen", func(t *testing.T) {
		got, err := db.Reviews(ctx, []wiki.RevisionKey{{Path: p, Rev: 2}})
		if err != nil || got[wiki.RevisionKey{Path: p, Rev: 2}].By != "bob" {
			t.Fatalf("Reviews = %+v, %v", got, err)
		}
	})
	t.Run("check is clean", func(t *testing.T) {
		rep, err := db.Check(ctx)
		if err != nil || !rep.OK() || rep.Changes != 8 {
			t.Fatalf("Check = %+v, %v", rep, err)
		}
	})
}
