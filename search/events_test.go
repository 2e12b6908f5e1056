package search

import (
	"testing"

	"github.com/kdecole-club/clubwiki/wiki"
)

// The change log holds events of other nouns than pages (namespaces,
// users, permissions): the follower steps over them, moving its cursor,
// and indexes nothing for them.
func TestFollower_CatchUpSkipsOtherNouns(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.save("club/avant", "Avant les événements.")
	e.sync()
	pages, err := e.idx.DocCount()
	if err != nil {
		t.Fatal(err)
	}
	if err := e.db.PutNamespace(e.ctx, wiki.Namespace{Key: "nouveau", Title: "Nouveau"}); err != nil {
		t.Fatal(err)
	}
	if err := e.db.CreateUser(e.ctx, wiki.User{Login: "alice", Role: wiki.RoleEditor}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.db.Record(e.ctx, wiki.Change{Kind: wiki.KindPermission, Subject: "club"}); err != nil {
		t.Fatal(err)
	}
	t.Run("a batch of events only", func(t *testing.T) {
		n, err := e.fol.CatchUp(e.ctx)
		if err != nil || n != 3 {
			t.Fatalf("CatchUp = %d, %v; want the 3 events applied", n, err)
		}
		wantAt(t, e, pages)
	})
	t.Run("events among page changes", func(t *testing.T) {
		if err := e.db.PutNamespace(e.ctx, wiki.Namespace{Key: "autre"}); err != nil {
			t.Fatal(err)
		}
		e.save("club/apres", "Après les événements.")
		if _, err := e.fol.CatchUp(e.ctx); err != nil {
			t.Fatal(err)
		}
		wantAt(t, e, pages+1)
		if got := paths(e.search("événements")); len(got) != 2 {
			t.Fatalf("search = %v, want both pages", got)
		}
	})
}

// wantAt checks the index is at the store's last change with docs documents.
func wantAt(t *testing.T, e *env, docs uint64) {
	t.Helper()
	last, err := e.db.LastSeq(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if seq, err := e.idx.LastSeq(); err != nil || seq != last {
		t.Fatalf("index at %d (%v), store at %d", seq, err, last)
	}
	if n, err := e.idx.DocCount(); err != nil || n != docs {
		t.Fatalf("DocCount = %d, %v; want %d", n, err, docs)
	}
}
