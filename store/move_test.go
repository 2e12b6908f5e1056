package store_test

import (
	"context"
	"encoding/binary"
	"strings"
	"testing"
	"time"

	"github.com/kdecole-club/clubwiki/wiki"
	bolt "go.etcd.io/bbolt"
)

func TestDB_Move(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	p := wiki.MustPath
	move := func(t *testing.T, db interface {
		Move(context.Context, wiki.Move) ([]wiki.Change, error)
	}, from, to string, rev int) {
		t.Helper()
		_, err := db.Move(ctx, wiki.Move{
			Pages:  []wiki.PageMove{{From: p(from), To: p(to), ExpectRev: rev, Markdown: strings.Repeat("texte déplacé\n", 50), Title: "T"}},
			Author: "alice", Summary: "déplacement",
		})
		if err != nil {
			t.Fatalf("Move(%s, %s): %v", from, to, err)
		}
	}
	t.Run("check passes after moves, a move back and a new page at an old path", func(t *testing.T) {
		db, path := openTest(t)
		for rev := range 12 { // long enough for deltas and full snapshots
			commit(t, db, "usages/a", rev, strings.Repeat("ligne\n", 40+rev))
		}
		commit(t, db, "club/lien", 0, "[[usages/a]]", "usages/a")
		move(t, db, "usages/a", "portails/b", 12)
		move(t, db, "portails/b", "usages/a", 13)
		move(t, db, "usages/a", "club/c", 14)
		commit(t, db, "usages/a", 0, "une autre page")
		commit(t, db, "portails/b", 0, "encore une autre")
		db.Close()
		db = reopen(t, path)
		rep, err := db.Check(ctx)
		if err != nil || !rep.OK() {
			t.Fatalf("Check = %+v, %v", rep, err)
		}
		for rev := 1; rev <= 15; rev++ {
			if _, _, err := db.Revision(ctx, p("club/c"), rev); err != nil {
				t.Fatalf("revision %d after the moves: %v", rev, err)
			}
		}
	})
	t.Run("the change log keeps the former path", func(t *testing.T) {
		db, path := openTest(t)
		commit(t, db, "usages/a", 0, "x")
		move(t, db, "usages/a", "club/a", 1)
		db.Close()
		db = reopen(t, path)
		chs, err := db.ChangesAfter(ctx, 1, 10)
		if err != nil || len(chs) != 1 || chs[0].Kind != wiki.KindMove || chs[0].From != p("usages/a") || chs[0].Path != p("club/a") {
			t.Fatalf("ChangesAfter = %+v, %v", chs, err)
		}
	})
	t.Run("watchers and visits from before the migration follow", func(t *testing.T) {
		// PutWatch and PutVisits keep the reverse indexes; the migration
		// fills them for older files (createMoves): both are the same keys.
		db, _ := openTest(t)
		commit(t, db, "usages/a", 0, "x")
		if err := db.PutWatch(ctx, "bob", wiki.Watched{Path: p("usages/a")}, true); err != nil {
			t.Fatal(err)
		}
		if err := db.PutWatch(ctx, "bob", wiki.Watched{Path: p("usages/a")}, false); err != nil {
			t.Fatal(err)
		}
		move(t, db, "usages/a", "club/a", 1)
		if on, _ := db.Watching(ctx, "bob", wiki.Watched{Path: p("club/a")}); on {
			t.Fatal("an unwatched page came back watched")
		}
	})
}

// TestOpen_MigrationFillsMoveIndexes: a file of schema 8 has watches and
// visits but not their indexes by page; migration 12 fills them, so that a
// move takes its members' watches and visits along.
func TestOpen_MigrationFillsMoveIndexes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	p := wiki.MustPath
	db, path := openTest(t)
	commit(t, db, "usages/a", 0, "x")
	if err := db.PutWatch(ctx, "bob", wiki.Watched{Path: p("usages/a")}, true); err != nil {
		t.Fatal(err)
	}
	if err := db.PutVisits(ctx, []wiki.Visit{{Login: "bob", Path: p("usages/a"), Rev: 1}}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	raw, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = raw.Update(func(tx *bolt.Tx) error {
		for _, b := range []string{"redirects", "watchers", "visitors"} {
			if err := tx.DeleteBucket([]byte(b)); err != nil {
				return err
			}
		}
		return tx.Bucket([]byte("meta")).Put([]byte("schema"), binary.BigEndian.AppendUint32(nil, 8))
	})
	if err != nil {
		t.Fatal(err)
	}
	raw.Close()
	db = reopen(t, path)
	_, err = db.Move(ctx, wiki.Move{Pages: []wiki.PageMove{{From: p("usages/a"), To: p("club/a"), ExpectRev: 1, Markdown: "x"}}, Author: "alice"})
	if err != nil {
		t.Fatal(err)
	}
	if on, _ := db.Watching(ctx, "bob", wiki.Watched{Path: p("club/a")}); !on {
		t.Error("the watch did not follow")
	}
	if v, _ := db.Visits(ctx, "bob", []wiki.Path{p("club/a")}); v[p("club/a")] != 1 {
		t.Errorf("the visit did not follow: %v", v)
	}
}

// TestDB_MoveTakesDrafts: a member's draft of a page follows it when
// someone moves the page; other drafts stay where they are.
func TestDB_MoveTakesDrafts(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	p := wiki.MustPath
	db, _ := openTest(t)
	commit(t, db, "usages/a", 0, "x")
	commit(t, db, "usages/b", 0, "y")
	for _, d := range []wiki.Draft{
		{Login: "bob", Path: p("usages/a"), Markdown: "brouillon de Bob", BaseRev: 1, Saved: time.Unix(1, 0)},
		{Login: "bob", Path: p("usages/b"), Markdown: "autre brouillon", BaseRev: 1, Saved: time.Unix(1, 0)},
	} {
		if err := db.PutDraft(ctx, d, 10); err != nil {
			t.Fatal(err)
		}
	}
	_, err := db.Move(ctx, wiki.Move{Pages: []wiki.PageMove{{From: p("usages/a"), To: p("club/a"), ExpectRev: 1, Markdown: "x"}}, Author: "alice"})
	if err != nil {
		t.Fatal(err)
	}
	if d, err := db.Draft(ctx, "bob", p("club/a")); err != nil || d.Markdown != "brouillon de Bob" || d.BaseRev != 1 {
		t.Errorf("draft at the new path: %+v, %v", d, err)
	}
	if _, err := db.Draft(ctx, "bob", p("usages/a")); wiki.ErrorCode(err) != wiki.ENotFound {
		t.Errorf("draft left at the old path: %v", err)
	}
	if d, err := db.Draft(ctx, "bob", p("usages/b")); err != nil || d.Markdown != "autre brouillon" {
		t.Errorf("another page's draft: %+v, %v", d, err)
	}
}
