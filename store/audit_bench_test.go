package store_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/kdecole-club/clubwiki/wiki"
)

// BenchmarkDB_Audit reads the newest 50 admin actions of a log of 20,000
// page changes and 200 admin actions spread among them: the index reads
// the actions, not the page changes between them.
func BenchmarkDB_Audit(b *testing.B) {
	db := benchDB(b, true)
	ctx := context.Background()
	if err := db.CreateUser(ctx, wiki.User{Login: "marie", Role: wiki.RoleEditor}); err != nil {
		b.Fatal(err)
	}
	for i := range 200 {
		cs := make([]wiki.Commit, 100)
		for j := range cs {
			cs[j] = wiki.Commit{Path: wiki.MustPath(fmt.Sprintf("usages/page-%d-%d", i, j)), Kind: wiki.KindCreate, Author: "marie", Markdown: "texte", Title: "Page"}
		}
		if _, err := db.Commit(ctx, cs...); err != nil {
			b.Fatal(err)
		}
		if err := db.PutGroup(ctx, wiki.Group{Name: fmt.Sprintf("g%d", i), Title: "G"}, "chef"); err != nil {
			b.Fatal(err)
		}
	}
	for b.Loop() {
		if got, err := db.Audit(ctx, 0, 50); err != nil || len(got) != 50 {
			b.Fatalf("Audit = %d, %v", len(got), err)
		}
	}
}
