package storetest

import (
	"context"
	"slices"
	"testing"

	"github.com/kdecole-club/clubwiki/wiki"
)

// testChangeLog covers the change log: Changes newest first with its
// filters, ChangesAfter oldest first for followers, and LastSeq.
func testChangeLog(t *testing.T, open func(t *testing.T) wiki.Store) {
	ctx := context.Background()
	s := open(t)
	t.Run("empty log", func(t *testing.T) {
		if last := lastSeq(t, s); last != 0 {
			t.Fatalf("LastSeq = %d on an empty store", last)
		}
		if got, err := s.ChangesAfter(ctx, 0, 10); err != nil || len(got) != 0 {
			t.Fatalf("ChangesAfter = %v, %v", seqs(got), err)
		}
	})
	commit(t, s, "usages/a", 0, "1")           // seq 1
	commit(t, s, "assistance/b", 0, "2")       // seq 2
	commit(t, s, "usages-bis/c", 0, "3")       // seq 3
	commit(t, s, "usages/a", 1, "4")           // seq 4
	deletePage(t, s, "assistance/b", 1)        // seq 5
	commit(t, s, "usages/d/sous-page", 0, "6") // seq 6
	testChanges(t, s)
	t.Run("entries describe the change", func(t *testing.T) {
		got, _ := s.Changes(ctx, wiki.ChangeQuery{Since: 4, Limit: 1})
		if len(got) != 1 || got[0].Kind != wiki.KindCreate || got[0].Path.String() != "usages/d/sous-page" || got[0].Rev != 1 {
			t.Fatalf("got %+v", got)
		}
		got, _ = s.Changes(ctx, wiki.ChangeQuery{Namespace: "assistance", Limit: 1})
		if len(got) != 1 || got[0].Kind != wiki.KindDelete || got[0].Rev != 2 || got[0].Author != "bob" {
			t.Fatalf("got %+v", got)
		}
	})
	t.Run("changes after, oldest first", func(t *testing.T) {
		got, err := s.ChangesAfter(ctx, 2, 2)
		if err != nil || !slices.Equal(seqs(got), []uint64{3, 4}) {
			t.Fatalf("ChangesAfter(2, 2) = %v, %v", seqs(got), err)
		}
		all, err := s.Changes(ctx, wiki.ChangeQuery{})
		if err != nil || len(all) != 6 || all[2] != got[1] || all[3] != got[0] {
			t.Fatalf("ChangesAfter and Changes disagree: %+v / %+v", got, all)
		}
		if got, err := s.ChangesAfter(ctx, 0, 10); err != nil || !slices.Equal(seqs(got), []uint64{1, 2, 3, 4, 5, 6}) {
			t.Fatalf("ChangesAfter(0, 10) = %v, %v", seqs(got), err)
		}
		if got, err := s.ChangesAfter(ctx, 6, 10); err != nil || len(got) != 0 {
			t.Fatalf("after the last: %v, %v", seqs(got), err)
		}
	})
	t.Run("last seq", func(t *testing.T) {
		if last := lastSeq(t, s); last != 6 {
			t.Fatalf("LastSeq = %d, want 6", last)
		}
	})
}

// testChanges runs the ChangeQuery table on the six changes testChangeLog
// wrote.
func testChanges(t *testing.T, s wiki.Store) {
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
			got, err := s.Changes(context.Background(), c.q)
			if err != nil || !slices.Equal(seqs(got), c.want) {
				t.Fatalf("Changes(%+v) = %v, %v; want %v", c.q, seqs(got), err, c.want)
			}
		})
	}
}
