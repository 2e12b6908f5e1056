package storetest

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/kdecole-club/clubwiki/wiki"
)

// testFailedCommits covers refused commits: the error says why (a stale
// head is a conflict, a malformed commit is invalid) and nothing of the
// commit is left: no head, no revision, no change-log entry, no sequence
// number used up.
func testFailedCommits(t *testing.T, open func(t *testing.T) wiki.Store) {
	ctx := context.Background()
	s := open(t)
	commit(t, s, "club/accueil", 0, "v1")
	commit(t, s, "club/accueil", 1, "v2")
	accueil, autre := wiki.MustPath("club/accueil"), wiki.MustPath("club/autre")
	bad := []struct {
		name string
		c    wiki.Commit
		code wiki.Code
		is   error
	}{
		{"stale expect rev", wiki.Commit{Path: accueil, ExpectRev: 1, Kind: wiki.KindEdit, Markdown: "perdu"}, wiki.EConflict, wiki.ErrStaleHead},
		{"expect rev ahead of head", wiki.Commit{Path: accueil, ExpectRev: 5, Kind: wiki.KindEdit, Markdown: "perdu"}, wiki.EConflict, wiki.ErrStaleHead},
		{"create over existing", wiki.Commit{Path: accueil, Kind: wiki.KindCreate, Markdown: "perdu"}, wiki.EConflict, wiki.ErrStaleHead},
		{"new page with expect rev", wiki.Commit{Path: autre, ExpectRev: 1, Kind: wiki.KindEdit, Markdown: "perdu"}, wiki.EConflict, wiki.ErrStaleHead},
		{"zero path", wiki.Commit{Kind: wiki.KindCreate, Markdown: "perdu"}, wiki.EInvalid, nil},
		{"negative expect rev", wiki.Commit{Path: autre, ExpectRev: -1, Kind: wiki.KindCreate}, wiki.EInvalid, nil},
		{"unknown kind", wiki.Commit{Path: autre, Kind: "rename", Markdown: "x"}, wiki.EInvalid, nil},
		{"move with a former path (reserved)", wiki.Commit{Path: autre, From: accueil, ExpectRev: 0, Kind: wiki.KindMove, Markdown: "v2"}, wiki.EInvalid, nil},
		{"deletion with text", wiki.Commit{Path: accueil, ExpectRev: 2, Kind: wiki.KindDelete, Deleted: true, Markdown: "x"}, wiki.EInvalid, nil},
	}
	for _, b := range bad {
		t.Run(b.name, func(t *testing.T) {
			_, err := s.Commit(ctx, b.c)
			wantCode(t, err, b.code)
			if b.is != nil && !errors.Is(err, b.is) {
				t.Fatalf("err = %v, want errors.Is %v", err, b.is)
			}
		})
	}
	t.Run("a cancelled context writes nothing", func(t *testing.T) {
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		if _, err := s.Commit(cctx, wiki.Commit{Path: autre, Kind: wiki.KindCreate, Markdown: "x"}); !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v, want context.Canceled", err)
		}
	})
	t.Run("nothing is left behind", func(t *testing.T) {
		wantUntouched(t, s, accueil, 2, autre)
		// The next good commit takes the next number: no hole in the log.
		if ch := commit(t, s, "club/autre", 0, "ok"); ch.Seq != 3 {
			t.Fatalf("next seq = %d, want 3", ch.Seq)
		}
	})
	t.Run("concurrent commits on one head: one wins", func(t *testing.T) {
		testRace(t, s)
	})
}

// wantUntouched checks that the store holds only the two revisions of
// "club/accueil" that testFailedCommits wrote, and nothing at absent.
func wantUntouched(t *testing.T, s wiki.Store, p wiki.Path, rev int, absent wiki.Path) {
	t.Helper()
	ctx := context.Background()
	h, err := s.Head(ctx, p)
	if err != nil || h.Rev != rev || h.Deleted {
		t.Fatalf("head = %+v, %v; want rev %d", h, err, rev)
	}
	_, _, err = s.Revision(ctx, p, rev+1)
	wantCode(t, err, wiki.ENotFound)
	_, err = s.Head(ctx, absent)
	wantCode(t, err, wiki.ENotFound)
	if last := lastSeq(t, s); last != uint64(rev) {
		t.Fatalf("LastSeq = %d, want %d", last, rev)
	}
	if chs, err := s.Changes(ctx, wiki.ChangeQuery{}); err != nil || len(chs) != rev {
		t.Fatalf("Changes = %v, %v; want %d entries", seqs(chs), err, rev)
	}
}

// testRace has eight writers create one page at once: exactly one wins and
// the others get ErrStaleHead.
func testRace(t *testing.T, s wiki.Store) {
	const n = 8
	before := lastSeq(t, s)
	errs := make(chan error, n)
	for i := range n {
		go func() {
			_, err := s.Commit(context.Background(), wiki.Commit{
				Path: wiki.MustPath("club/course"), Kind: wiki.KindCreate, Markdown: fmt.Sprint("version ", i),
			})
			errs <- err
		}()
	}
	won := 0
	for range n {
		err := <-errs
		switch {
		case err == nil:
			won++
		case !errors.Is(err, wiki.ErrStaleHead):
			t.Errorf("loser got %v, want ErrStaleHead", err)
		}
	}
	if won != 1 {
		t.Fatalf("%d commits won, want exactly 1", won)
	}
	if last := lastSeq(t, s); last != before+1 {
		t.Fatalf("LastSeq = %d, want %d", last, before+1)
	}
}
