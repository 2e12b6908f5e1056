package store_test

import (
	"context"
	"slices"
	"testing"

	"github.com/kdecole-club/clubwiki/wiki"
)

func TestDB_Changes(t *testing.T) {
	ctx := context.Background()
	db, _ := openTest(t)
	commit(t, db, "usages/a", 0, "1")           // seq 1
	commit(t, db, "assistance/b", 0, "2")       // seq 2
	commit(t, db, "usages-bis/c", 0, "3")       // seq 3
	commit(t, db, "usages/a", 1, "4")           // seq 4
	deletePage(t, db, "assistance/b", 1)        // seq 5
	commit(t, db, "usages/d/sous-page", 0, "6") // seq 6
	seqs := func(cs []wiki.Change) []uint64 {
		out := []uint64{}
		for _, c := range cs {
			out = append(out, c.Seq)
		}
		return out
	}
	cases := []struct {
		name string
		q    wiki.ChangeQuery
		want []uint64
	}{
		{"all newest first", wiki.ChangeQuery{}, []uint64{6, 5, 4, 3, 2, 1}},
		{"limit", wiki.ChangeQuery{Limit: 2}, []uint64{6, 5}},
		{"since", wiki.ChangeQuery{Since: 4}, []uint64{6, 5}},
		{"since the end", wiki.ChangeQuery{Since: 6}, []uint64{}},
		{"namespace is a whole segment", wiki.ChangeQuery{Namespace: "usages"}, []uint64{6, 4, 1}},
		{"namespace with since and limit", wiki.ChangeQuery{Namespace: "usages", Since: 1, Limit: 1}, []uint64{6}},
		{"unknown namespace", wiki.ChangeQuery{Namespace: "marches"}, []uint64{}},
		{"before", wiki.ChangeQuery{Before: 5}, []uint64{4, 3, 2, 1}},
		{"before and limit", wiki.ChangeQuery{Before: 5, Limit: 2}, []uint64{4, 3}},
		{"before past the end", wiki.ChangeQuery{Before: 99}, []uint64{6, 5, 4, 3, 2, 1}},
		{"before the first", wiki.ChangeQuery{Before: 1}, []uint64{}},
		{"between since and before", wiki.ChangeQuery{Since: 2, Before: 5}, []uint64{4, 3}},
		{"namespace before", wiki.ChangeQuery{Namespace: "usages", Before: 4}, []uint64{1}},
		{"namespace set", wiki.ChangeQuery{Namespaces: wiki.NamespaceSet{"usages": true, "assistance": true}}, []uint64{6, 5, 4, 2, 1}},
		{"namespace set and limit", wiki.ChangeQuery{Namespaces: wiki.NamespaceSet{"usages-bis": true}, Limit: 1}, []uint64{3}},
		{"empty namespace set", wiki.ChangeQuery{Namespaces: wiki.NamespaceSet{}}, []uint64{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := db.Changes(ctx, c.q)
			if err != nil || !slices.Equal(seqs(got), c.want) {
				t.Fatalf("Changes(%+v) = %v, %v; want %v", c.q, seqs(got), err, c.want)
			}
		})
	}
	t.Run("delete entry", func(t *testing.T) {
		got, _ := db.Changes(ctx, wiki.ChangeQuery{Since: 4, Limit: 1})
		if len(got) != 1 || got[0].Kind != wiki.KindCreate || got[0].Path.String() != "usages/d/sous-page" {
			t.Fatalf("got %+v", got)
		}
		got, _ = db.Changes(ctx, wiki.ChangeQuery{Namespace: "assistance", Limit: 1})
		if len(got) != 1 || got[0].Kind != wiki.KindDelete || got[0].Rev != 2 || got[0].Author != "bob" {
			t.Fatalf("got %+v", got)
		}
	})
}
