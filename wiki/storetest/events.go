package storetest

import (
	"context"
	"slices"
	"strconv"
	"testing"

	"github.com/kdecole-club/clubwiki/wiki"
)

// testEvents covers the entries of the other nouns than pages: every write
// of a namespace or a user appends one, followers see them, recent changes
// do not.
func testEvents(t *testing.T, open func(t *testing.T) wiki.Store) {
	ctx := context.Background()
	s := open(t)
	commit(t, s, "usages/a", 0, "1") // seq 1
	if err := s.PutNamespace(ctx, wiki.Namespace{Key: "usages", Title: "Usages"}); err != nil {
		t.Fatal(err) // seq 2
	}
	if err := s.PutNamespace(ctx, wiki.Namespace{Key: "usages", Title: "Usages et pratiques"}); err != nil {
		t.Fatal(err) // seq 3
	}
	if err := s.CreateUser(ctx, wiki.User{Login: "alice", Role: wiki.RoleEditor, PasswordHash: []byte("h1")}); err != nil {
		t.Fatal(err) // seq 4
	}
	if err := s.UpdateUser(ctx, wiki.User{Login: "alice", Role: wiki.RoleAdmin, PasswordHash: []byte("h2")}); err != nil {
		t.Fatal(err) // seq 5
	}
	rule, err := s.Record(ctx, wiki.Change{Kind: wiki.KindPermission, Subject: "marches", Summary: "lecture: bureau"})
	if err != nil || rule.Seq != 6 {
		t.Fatalf("Record(permission) = %+v, %v; want seq 6", rule, err) // seq 6
	}
	commit(t, s, "usages/a", 1, "2") // seq 7
	t.Run("followers see every kind", func(t *testing.T) {
		got, err := s.ChangesAfter(ctx, 1, 10)
		if err != nil {
			t.Fatal(err)
		}
		want := []wiki.Change{
			{Seq: 2, Kind: wiki.KindNamespaceCreate, Subject: "usages"},
			{Seq: 3, Kind: wiki.KindNamespaceUpdate, Subject: "usages"},
			{Seq: 4, Kind: wiki.KindUserCreate, Subject: "alice"},
			{Seq: 5, Kind: wiki.KindUserUpdate, Subject: "alice", Summary: "role,password"},
			{Seq: 6, Kind: wiki.KindPermission, Subject: "marches", Summary: "lecture: bureau"},
		}
		if len(got) != 6 || got[5].Kind != wiki.KindEdit {
			t.Fatalf("ChangesAfter(1) = %+v", got)
		}
		for i, w := range want {
			g := got[i]
			if g.Seq != w.Seq || g.Kind != w.Kind || g.Subject != w.Subject || g.Summary != w.Summary || !g.Path.IsZero() || g.Time.IsZero() {
				t.Errorf("entry %d = %+v, want %+v with a time and no path", i, g, w)
			}
		}
	})
	t.Run("recent changes are of pages", func(t *testing.T) {
		got, err := s.Changes(ctx, wiki.ChangeQuery{})
		if err != nil || !slices.Equal(seqs(got), []uint64{7, 1}) {
			t.Fatalf("Changes = %v, %v; want the page changes 7 and 1", seqs(got), err)
		}
		if last := lastSeq(t, s); last != 7 {
			t.Fatalf("LastSeq = %d, want 7", last)
		}
	})
	t.Run("only permission events are recorded alone", func(t *testing.T) {
		for _, ch := range []wiki.Change{
			{Kind: wiki.KindUserCreate, Subject: "mallory"},
			{Kind: wiki.KindEdit, Path: wiki.MustPath("usages/a")},
			{Kind: wiki.KindPermission},
			{Kind: wiki.KindPermission, Subject: "x", Path: wiki.MustPath("usages/a")},
		} {
			_, err := s.Record(ctx, ch)
			wantCode(t, err, wiki.EInvalid)
		}
		if last := lastSeq(t, s); last != 7 {
			t.Fatalf("LastSeq = %d after refused records, want 7", last)
		}
	})
	t.Run("a failed user write appends nothing", func(t *testing.T) {
		wantCode(t, s.CreateUser(ctx, wiki.User{Login: "alice", Role: wiki.RoleReader}), wiki.EConflict)
		wantCode(t, s.UpdateUser(ctx, wiki.User{Login: "nobody", Role: wiki.RoleReader}), wiki.ENotFound)
		if last := lastSeq(t, s); last != 7 {
			t.Fatalf("LastSeq = %d after failed writes, want 7", last)
		}
	})
}

// testState covers LogState: Links moves with the changes that change what
// wiki links resolve to, and only with them.
func testState(t *testing.T, open func(t *testing.T) wiki.Store) {
	ctx := context.Background()
	s := open(t)
	st := state(t, s)
	if st.Seq != 0 || st.Links != 0 || st.Store == "" {
		t.Fatalf("State of an empty store = %+v; want zeros and an identity", st)
	}
	if other := state(t, open(t)); other.Store == st.Store {
		t.Fatalf("two stores share the identity %q", st.Store)
	}
	steps := []struct {
		name      string
		write     func() error
		seq, link uint64
	}{
		{"a page created", func() error { _, err := s.Commit(ctx, edit("usages/a", 0, "1")); return err }, 1, 1},
		{"a page edited", func() error { _, err := s.Commit(ctx, edit("usages/a", 1, "2")); return err }, 2, 1},
		{"a namespace created", func() error { return s.PutNamespace(ctx, wiki.Namespace{Key: "club"}) }, 3, 3},
		{"a namespace updated", func() error { return s.PutNamespace(ctx, wiki.Namespace{Key: "club", Title: "Club"}) }, 4, 3},
		{"a user created", func() error { return s.CreateUser(ctx, wiki.User{Login: "bob", Role: wiki.RoleReader}) }, 5, 3},
		{"a page deleted", func() error { deletePage(t, s, "usages/a", 2); return nil }, 6, 6},
		{"a page recreated", func() error { _, err := s.Commit(ctx, edit("usages/a", 3, "3")); return err }, 7, 7},
		{"a failed commit", func() error { _, _ = s.Commit(ctx, edit("usages/b", 5, "x")); return nil }, 7, 7},
		{"two pages, one new", func() error { _, err := s.Commit(ctx, edit("usages/a", 4, "4"), edit("usages/c", 0, "c")); return err }, 9, 9},
		{"two pages, one new first", func() error { _, err := s.Commit(ctx, edit("usages/d", 0, "d"), edit("usages/a", 5, "5")); return err }, 11, 10},
	}
	for _, step := range steps {
		t.Run(step.name, func(t *testing.T) {
			if err := step.write(); err != nil {
				t.Fatal(err)
			}
			got := state(t, s)
			if got.Seq != step.seq || got.Links != step.link || got.Store != st.Store {
				t.Fatalf("State = %+v; want seq %d, links %d, store %q", got, step.seq, step.link, st.Store)
			}
		})
	}
}

func state(t *testing.T, s wiki.ChangeLog) wiki.LogState {
	t.Helper()
	st, err := s.State(context.Background())
	if err != nil {
		t.Fatalf("State: %v", err)
	}
	return st
}

// testWatch covers Watch: a commit of any kind wakes the waiters that took
// the channel before it, and only them.
func testWatch(t *testing.T, open func(t *testing.T) wiki.Store) {
	ctx := context.Background()
	s := open(t)
	writes := []struct {
		name  string
		write func(n int) error
	}{
		{"a page", func(n int) error { _, err := s.Commit(ctx, edit("usages/a", n, "v"+strconv.Itoa(n))); return err }},
		{"a namespace", func(n int) error { return s.PutNamespace(ctx, wiki.Namespace{Key: "ns" + strconv.Itoa(n)}) }},
		{"a user", func(n int) error {
			return s.CreateUser(ctx, wiki.User{Login: "u" + strconv.Itoa(n), Role: wiki.RoleReader})
		}},
		{"a permission", func(n int) error {
			_, err := s.Record(ctx, wiki.Change{Kind: wiki.KindPermission, Subject: "r" + strconv.Itoa(n)})
			return err
		}},
	}
	pageRev := 0
	for _, w := range writes {
		t.Run(w.name, func(t *testing.T) {
			before, other := s.Watch(ctx), s.Watch(ctx)
			n := 0
			if w.name == "a page" {
				n = pageRev
				pageRev++
			}
			if err := w.write(n); err != nil {
				t.Fatal(err)
			}
			for i, ch := range []<-chan struct{}{before, other} {
				select {
				case <-ch:
				default:
					t.Fatalf("waiter %d taken before the commit is still waiting after it", i)
				}
			}
			select {
			case <-s.Watch(ctx):
				t.Fatal("a waiter taken after the commit sees it as new")
			default:
			}
		})
	}
	t.Run("a failed commit wakes nobody", func(t *testing.T) {
		ch := s.Watch(ctx)
		_, err := s.Commit(ctx, edit("usages/a", 99, "x"))
		wantCode(t, err, wiki.EConflict)
		select {
		case <-ch:
			t.Fatal("a failed commit woke a waiter")
		default:
		}
	})
}
