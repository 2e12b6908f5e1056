package store_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/kdecole-club/clubwiki/store"
	"github.com/kdecole-club/clubwiki/wiki"
)

// TestDB_MarkReviewed covers what the shared suite cannot: the mark and
// its log entry survive a reopen, and clubwiki check reads the entry as a
// healthy one.
func TestDB_MarkReviewed(t *testing.T) {
	t.Parallel()
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

// TestDB_ChangesFilteredScan: a filter that keeps almost nothing reads at
// most FilteredScan entries, not the whole log.
func TestDB_ChangesFilteredScan(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	if db, _ := openTest(t); db.FilteredScanBound() != store.FilteredScan {
		t.Fatalf("Open's bound on a filtered scan is %d, want FilteredScan (%d)", db.FilteredScanBound(), store.FilteredScan)
	}
	// The bound lowered through Options (the default, 10,000, asks for
	// 10,000 commits): the log still holds 10 entries past it.
	const bound = 500
	db, err := store.Open(filepath.Join(t.TempDir(), "clubwiki.db"), store.Options{Now: newClock().Now, NoSync: true, FilteredScan: bound})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	commit(t, db, "usages/ancienne", 0, "non relue")
	n := bound + 10
	for start := 0; start < n; start += 1000 {
		var cs []wiki.Commit
		for i := start; i < min(start+1000, n); i++ {
			cs = append(cs, wiki.Commit{Path: wiki.MustPath(fmt.Sprintf("usages/p-%d", i)), Kind: wiki.KindCreate, Author: "alice", Markdown: "x", Minor: true})
		}
		if _, err := db.Commit(ctx, cs...); err != nil {
			t.Fatal(err)
		}
	}
	got, err := db.Changes(ctx, wiki.ChangeQuery{HideMinor: true, Limit: 10})
	if err != nil || len(got) != 0 {
		t.Fatalf("Changes past the bound = %+v, %v; want none", got, err)
	}
	got, err = db.Changes(ctx, wiki.ChangeQuery{HideMinor: true, Limit: 10, Before: uint64(bound)})
	if err != nil || len(got) != 1 || got[0].Path.String() != "usages/ancienne" {
		t.Fatalf("Changes within the bound = %+v, %v", got, err)
	}
}
