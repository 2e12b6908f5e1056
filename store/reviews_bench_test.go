package store_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/kdecole-club/clubwiki/wiki"
)

// reviewedLog fills a store with 2,000 edits of 200 pages, every other one
// reviewed and every third one minor, as recent changes read them.
func reviewedLog(b *testing.B) wiki.Store {
	db := benchDB(b, true)
	ctx := context.Background()
	revs := map[string]int{}
	for i := range 2000 {
		p := wiki.MustPath(fmt.Sprintf("usages/page-%d", i%200))
		kind := wiki.KindEdit
		if revs[p.String()] == 0 {
			kind = wiki.KindCreate
		}
		c := wiki.Commit{Path: p, ExpectRev: revs[p.String()], Kind: kind, Author: fmt.Sprintf("membre-%d", i%7),
			Markdown: fmt.Sprintf("texte %d", i), Title: "Page", Minor: i%3 == 0}
		if _, err := db.Commit(ctx, c); err != nil {
			b.Fatal(err)
		}
		revs[p.String()]++
		if i%2 == 0 {
			if _, _, err := db.MarkReviewed(ctx, wiki.Review{Path: p, Rev: revs[p.String()], By: "relecteur"}); err != nil {
				b.Fatal(err)
			}
		}
	}
	return db
}

// BenchmarkDB_ChangesFiltered reads a page of 50 recent changes with the
// filters and the sizes of the changes page, in one transaction.
func BenchmarkDB_ChangesFiltered(b *testing.B) {
	db := reviewedLog(b)
	ctx := context.Background()
	for _, bc := range []struct {
		name string
		q    wiki.ChangeQuery
	}{
		{"plain", wiki.ChangeQuery{Limit: 50}},
		{"sizes", wiki.ChangeQuery{Limit: 50, Sizes: true}},
		{"unreviewed+minor+mine+sizes", wiki.ChangeQuery{Limit: 50, Sizes: true, Unreviewed: true, HideMinor: true, NotAuthor: "membre-1"}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				if got, err := db.Changes(ctx, bc.q); err != nil || len(got) != 50 {
					b.Fatalf("Changes = %d, %v", len(got), err)
				}
			}
		})
	}
}

// BenchmarkDB_Reviews reads the marks of a history page of 50 revisions.
func BenchmarkDB_Reviews(b *testing.B) {
	db := reviewedLog(b)
	ctx := context.Background()
	keys := make([]wiki.RevisionKey, 50)
	for i := range keys {
		keys[i] = wiki.RevisionKey{Path: wiki.MustPath("usages/page-0"), Rev: i%10 + 1}
	}
	for b.Loop() {
		if _, err := db.Reviews(ctx, keys); err != nil {
			b.Fatal(err)
		}
	}
}
