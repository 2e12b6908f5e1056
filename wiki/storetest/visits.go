package storetest

import (
	"context"
	"maps"
	"testing"

	"github.com/kdecole-club/clubwiki/wiki"
)

// testVisits covers the revisions members last viewed: kept per member and
// page, written in batches, never lowered, unknown pages absent.
func testVisits(t *testing.T, open func(t *testing.T) wiki.Store) {
	ctx := context.Background()
	s := open(t)
	a, b, c := wiki.MustPath("usages/a"), wiki.MustPath("usages/b"), wiki.MustPath("club/c")
	visits := func(t *testing.T, login string, ps ...wiki.Path) map[wiki.Path]int {
		t.Helper()
		got, err := s.Visits(ctx, login, ps)
		if err != nil {
			t.Fatalf("Visits(%s): %v", login, err)
		}
		return got
	}
	t.Run("never visited", func(t *testing.T) {
		if got := visits(t, "alice", a, b); len(got) != 0 {
			t.Fatalf("Visits = %v, want none", got)
		}
	})
	t.Run("a batch per member", func(t *testing.T) {
		err := s.PutVisits(ctx, []wiki.Visit{
			{Login: "alice", Path: a, Rev: 3}, {Login: "alice", Path: b, Rev: 1},
			{Login: "bob", Path: a, Rev: 7}, {Login: "alice", Path: a, Rev: 4},
		})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := visits(t, "alice", a, b, c), map[wiki.Path]int{a: 4, b: 1}; !maps.Equal(got, want) {
			t.Fatalf("alice's visits = %v, want %v", got, want)
		}
		if got, want := visits(t, "bob", a, b), map[wiki.Path]int{a: 7}; !maps.Equal(got, want) {
			t.Fatalf("bob's visits = %v, want %v", got, want)
		}
		if got := visits(t, "ali", a); len(got) != 0 {
			t.Fatalf("a login that prefixes another's sees %v", got)
		}
	})
	t.Run("never lowered", func(t *testing.T) {
		if err := s.PutVisits(ctx, []wiki.Visit{{Login: "alice", Path: a, Rev: 2}, {Login: "alice", Path: b, Rev: 5}}); err != nil {
			t.Fatal(err)
		}
		if got, want := visits(t, "alice", a, b), map[wiki.Path]int{a: 4, b: 5}; !maps.Equal(got, want) {
			t.Fatalf("visits = %v, want %v", got, want)
		}
	})
	t.Run("empty batch", func(t *testing.T) {
		if err := s.PutVisits(ctx, nil); err != nil {
			t.Fatalf("PutVisits(nil) = %v", err)
		}
	})
	t.Run("refused, nothing written", func(t *testing.T) {
		err := s.PutVisits(ctx, []wiki.Visit{{Login: "carol", Path: c, Rev: 1}, {Login: "carol", Path: c, Rev: 0}})
		wantCode(t, err, wiki.EInvalid)
		err = s.PutVisits(ctx, []wiki.Visit{{Path: c, Rev: 1}})
		wantCode(t, err, wiki.EInvalid)
		if got := visits(t, "carol", c); len(got) != 0 {
			t.Fatalf("a refused batch wrote %v", got)
		}
	})
}
