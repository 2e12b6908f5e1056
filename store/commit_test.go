package store_test

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/kdecole-club/clubwiki/store"
	"github.com/kdecole-club/clubwiki/wiki"
)

// pageText makes a distinct text per page and revision; long enough every
// few revisions to take the compressed path.
func pageText(p string, rev int) string {
	s := fmt.Sprintf("# %s\n\nRévision %d : l'élève consulte le cahier de textes de l'ENT.\n", p, rev)
	if rev%3 == 0 {
		s += strings.Repeat(fmt.Sprintf("Paragraphe %d sur la messagerie et la vie scolaire.\n", rev), 40)
	}
	return s
}

// TestDB_Commit keeps what only a file shows: commits surviving a close and
// reopen. What any store must do on a commit is in wiki/storetest.
func TestDB_Commit(t *testing.T) {
	t.Parallel()
	t.Run("acknowledged commits survive close and reopen", testCommitDurable)
	t.Run("failed commits leave nothing behind", testCommitFailedLeavesNothing)
}

func testCommitDurable(t *testing.T) {
	ctx := context.Background()
	db, path := openTest(t)
	pages := []string{"assistance/connexion", "usages/cahier-de-textes", "club/accueil", "assistance/mots-de-passe"}
	const revs = 12
	var seqs []uint64
	for rev := 1; rev <= revs; rev++ {
		for _, p := range pages {
			ch := commit(t, db, p, rev-1, pageText(p, rev))
			if ch.Rev != rev || ch.Path.String() != p {
				t.Fatalf("Commit returned %+v, want rev %d of %s", ch, rev, p)
			}
			seqs = append(seqs, ch.Seq)
		}
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db = reopen(t, path)
	for i, s := range seqs {
		if s != uint64(i+1) {
			t.Fatalf("seq #%d = %d, want contiguous from 1", i, s)
		}
	}
	for _, p := range pages {
		verifyPage(t, db, p, revs)
	}
	changes, err := db.Changes(ctx, wiki.ChangeQuery{Limit: 500})
	if err != nil || len(changes) != len(seqs) {
		t.Fatalf("Changes: %d entries, %v; want %d", len(changes), err, len(seqs))
	}
	for i, c := range changes {
		if want := uint64(len(seqs) - i); c.Seq != want {
			t.Fatalf("change #%d has seq %d, want %d", i, c.Seq, want)
		}
	}
	last, err := db.LastSeq(ctx)
	if err != nil || last != uint64(len(seqs)) {
		t.Fatalf("LastSeq = %d, %v", last, err)
	}
}

func testCommitFailedLeavesNothing(t *testing.T) {
	ctx := context.Background()
	db, path := openTest(t)
	commit(t, db, "club/accueil", 0, "v1")
	commit(t, db, "club/accueil", 1, "v2")
	bad := []struct {
		name string
		c    wiki.Commit
		code wiki.Code
		is   error
	}{
		{"stale expect rev", wiki.Commit{Path: wiki.MustPath("club/accueil"), ExpectRev: 1, Kind: wiki.KindEdit, Markdown: "perdu"}, wiki.EConflict, wiki.ErrStaleHead},
		{"expect rev ahead of head", wiki.Commit{Path: wiki.MustPath("club/accueil"), ExpectRev: 5, Kind: wiki.KindEdit, Markdown: "perdu"}, wiki.EConflict, wiki.ErrStaleHead},
		{"create over existing", wiki.Commit{Path: wiki.MustPath("club/accueil"), Kind: wiki.KindCreate, Markdown: "perdu"}, wiki.EConflict, wiki.ErrStaleHead},
		{"new page with expect rev", wiki.Commit{Path: wiki.MustPath("club/autre"), ExpectRev: 1, Kind: wiki.KindEdit, Markdown: "perdu"}, wiki.EConflict, wiki.ErrStaleHead},
		{"zero path", wiki.Commit{Kind: wiki.KindCreate, Markdown: "perdu"}, wiki.EInvalid, nil},
		{"negative expect rev", wiki.Commit{Path: wiki.MustPath("club/autre"), ExpectRev: -1, Kind: wiki.KindCreate}, wiki.EInvalid, nil},
		{"unknown kind", wiki.Commit{Path: wiki.MustPath("club/autre"), Kind: "rename", Markdown: "x"}, wiki.EInvalid, nil},
		{"deletion with text", wiki.Commit{Path: wiki.MustPath("club/accueil"), ExpectRev: 2, Kind: wiki.KindDelete, Deleted: true, Markdown: "x"}, wiki.EInvalid, nil},
	}
	for _, b := range bad {
		t.Run(b.name, func(t *testing.T) {
			_, err := db.Commit(ctx, b.c)
			wantCode(t, err, b.code)
			if b.is != nil && !errors.Is(err, b.is) {
				t.Fatalf("err = %v, want errors.Is %v", err, b.is)
			}
		})
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db = reopen(t, path)
	h, err := db.Head(ctx, wiki.MustPath("club/accueil"))
	if err != nil || h.Rev != 2 {
		t.Fatalf("head = %+v, %v; want rev 2", h, err)
	}
	if _, _, err := db.Revision(ctx, wiki.MustPath("club/accueil"), 3); wiki.ErrorCode(err) != wiki.ENotFound {
		t.Fatalf("revision 3: %v, want not found", err)
	}
	if _, err := db.Head(ctx, wiki.MustPath("club/autre")); wiki.ErrorCode(err) != wiki.ENotFound {
		t.Fatalf("club/autre head: %v, want not found", err)
	}
	if last, _ := db.LastSeq(ctx); last != 2 {
		t.Fatalf("LastSeq = %d, want 2", last)
	}
	// The next good commit takes the next number: no hole in the log.
	if ch := commit(t, db, "club/autre", 0, "ok"); ch.Seq != 3 {
		t.Fatalf("next seq = %d, want 3", ch.Seq)
	}
}

// verifyPage checks every revision of p (text, size, hash), its head and its
// history against what pageText generated.
func verifyPage(t *testing.T, db *store.DB, p string, revs int) {
	t.Helper()
	ctx := context.Background()
	for rev := 1; rev <= revs; rev++ {
		r, text, err := db.Revision(ctx, wiki.MustPath(p), rev)
		if err != nil {
			t.Fatalf("Revision(%s, %d): %v", p, rev, err)
		}
		want := pageText(p, rev)
		if text != want || r.Rev != rev || r.Size != len(want) || r.SHA256 != sha256.Sum256([]byte(want)) {
			t.Fatalf("Revision(%s, %d) = %+v, text %d bytes; want %d bytes and its hash", p, rev, r, len(text), len(want))
		}
	}
	h, err := db.Head(ctx, wiki.MustPath(p))
	if err != nil || h.Rev != revs || h.Size != len(pageText(p, revs)) || h.Deleted {
		t.Fatalf("Head(%s) = %+v, %v", p, h, err)
	}
	hist, err := db.History(ctx, wiki.MustPath(p), 0, 0)
	if err != nil || len(hist) != revs || hist[0].Rev != revs || hist[revs-1].Rev != 1 {
		t.Fatalf("History(%s): %d revisions, %v", p, len(hist), err)
	}
}
