package store_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/kdecole-club/clubwiki/wiki"
)

func TestDB_CommitBatch(t *testing.T) {
	db, _ := openTest(t)
	ctx := context.Background()
	var cs []wiki.Commit
	for i := range 3 {
		cs = append(cs, wiki.Commit{
			Path: wiki.MustPath(fmt.Sprintf("assistance/page-%d", i)), Kind: wiki.KindCreate, Author: "imp",
			Markdown: fmt.Sprintf("texte %d [[assistance/cible]]", i), Title: fmt.Sprintf("Page %d", i),
			Links: []wiki.Path{wiki.MustPath("assistance/cible")},
		})
	}
	before, _ := db.LastSeq(ctx)
	chs, err := db.CommitBatch(ctx, cs)
	if err != nil {
		t.Fatalf("CommitBatch: %v", err)
	}
	t.Run("one change each, in order", func(t *testing.T) {
		if len(chs) != 3 {
			t.Fatalf("%d changes", len(chs))
		}
		for i, ch := range chs {
			if ch.Seq != before+uint64(i)+1 || ch.Rev != 1 || ch.Path != cs[i].Path {
				t.Errorf("change %d = %+v", i, ch)
			}
		}
		log, _ := db.ChangesAfter(ctx, before, 10)
		if len(log) != 3 {
			t.Errorf("change log has %d new entries, want 3", len(log))
		}
	})
	t.Run("heads, revisions, links and counts as Commit", func(t *testing.T) {
		for _, c := range cs {
			h, err := db.Head(ctx, c.Path)
			if err != nil || h.Rev != 1 || h.Title != c.Title {
				t.Errorf("head %s = %+v, %v", c.Path, h, err)
			}
			if _, text, err := db.Revision(ctx, c.Path, 1); err != nil || text != c.Markdown {
				t.Errorf("revision %s = %q, %v", c.Path, text, err)
			}
		}
		bl, _ := db.Backlinks(ctx, wiki.MustPath("assistance/cible"), nil)
		if len(bl) != 3 {
			t.Errorf("backlinks = %d, want 3", len(bl))
		}
		counts, _ := db.PageCounts(ctx)
		if counts["assistance"] < 3 {
			t.Errorf("counts = %v", counts)
		}
	})
	t.Run("stale head fails the whole batch", func(t *testing.T) {
		seq, _ := db.LastSeq(ctx)
		bad := []wiki.Commit{
			{Path: wiki.MustPath("assistance/neuve"), Kind: wiki.KindCreate, Author: "imp", Markdown: "x"},
			{Path: cs[0].Path, ExpectRev: 0, Kind: wiki.KindCreate, Author: "imp", Markdown: "y"},
		}
		if _, err := db.CommitBatch(ctx, bad); !errors.Is(err, wiki.ErrStaleHead) {
			t.Fatalf("err = %v, want ErrStaleHead", err)
		}
		if _, err := db.Head(ctx, wiki.MustPath("assistance/neuve")); wiki.ErrorCode(err) != wiki.ENotFound {
			t.Errorf("the first commit of a failed batch was written: %v", err)
		}
		if after, _ := db.LastSeq(ctx); after != seq {
			t.Errorf("LastSeq moved from %d to %d", seq, after)
		}
	})
	t.Run("an invalid commit fails the whole batch", func(t *testing.T) {
		seq, _ := db.LastSeq(ctx)
		bad := []wiki.Commit{
			{Path: wiki.MustPath("assistance/valide"), Kind: wiki.KindCreate, Author: "imp", Markdown: "x"},
			{Path: wiki.MustPath("assistance/invalide"), Kind: "rename", Author: "imp", Markdown: "y"},
		}
		if _, err := db.CommitBatch(ctx, bad); wiki.ErrorCode(err) != wiki.EInvalid {
			t.Fatalf("err = %v, want invalid", err)
		}
		if after, _ := db.LastSeq(ctx); after != seq {
			t.Errorf("LastSeq moved from %d to %d", seq, after)
		}
	})
}
