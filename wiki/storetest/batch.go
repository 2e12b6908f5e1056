package storetest

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"testing"

	"github.com/kdecole-club/clubwiki/wiki"
)

// testBatch covers the commit of several pages at once: each written as
// Commit writes it, all or nothing.
func testBatch(t *testing.T, open func(t *testing.T) wiki.Store) {
	ctx := context.Background()
	s := open(t)
	commit(t, s, "assistance/cible", 0, "cible")
	var cs []wiki.Commit
	for i := range 3 {
		cs = append(cs, edit(fmt.Sprintf("assistance/page-%d", i), 0, fmt.Sprintf("texte %d [[assistance/cible]]", i), "assistance/cible"))
	}
	cs = append(cs, edit("assistance/cible", 1, "cible v2"))
	before := lastSeq(t, s)
	chs, err := s.Commit(ctx, cs...)
	if err != nil {
		t.Fatalf("Commit of %d pages: %v", len(cs), err)
	}
	t.Run("one change each, in order", func(t *testing.T) {
		testBatchChanges(t, s, before, cs, chs)
	})
	t.Run("heads, revisions, links and counts as Commit", func(t *testing.T) {
		for i, c := range cs {
			h, err := s.Head(ctx, c.Path)
			if err != nil || h.Rev != chs[i].Rev || h.Title != c.Title || !h.Updated.Equal(chs[i].Time) {
				t.Errorf("head %s = %+v, %v", c.Path, h, err)
			}
			if _, text, err := s.Revision(ctx, c.Path, chs[i].Rev); err != nil || text != c.Markdown {
				t.Errorf("revision %s = %q, %v", c.Path, text, err)
			}
		}
		bl, err := s.Backlinks(ctx, wiki.MustPath("assistance/cible"), nil)
		if want := []string{"assistance/page-0", "assistance/page-1", "assistance/page-2"}; err != nil || !slices.Equal(paths(bl), want) {
			t.Errorf("backlinks = %v, %v; want %v", paths(bl), err, want)
		}
		if counts, err := s.PageCounts(ctx); err != nil || !maps.Equal(counts, map[string]int{"assistance": 4}) {
			t.Errorf("counts = %v, %v", counts, err)
		}
	})
	t.Run("an empty batch writes nothing", func(t *testing.T) {
		before := lastSeq(t, s)
		if got, err := s.Commit(ctx); err != nil || len(got) != 0 {
			t.Fatalf("Commit() = %+v, %v", got, err)
		}
		if after := lastSeq(t, s); after != before {
			t.Fatalf("LastSeq moved from %d to %d", before, after)
		}
	})
	testBatchFails(t, s)
}

// testBatchChanges checks the batch's changes against the commits and the
// change log, which stood at before.
func testBatchChanges(t *testing.T, s wiki.Store, before uint64, cs []wiki.Commit, chs []wiki.Change) {
	t.Helper()
	if len(chs) != len(cs) {
		t.Fatalf("%d changes for %d commits", len(chs), len(cs))
	}
	first := before + 1
	for i, ch := range chs {
		if ch.Seq != first+uint64(i) || ch.Rev != cs[i].ExpectRev+1 || ch.Path != cs[i].Path || ch.Kind != cs[i].Kind || ch.Title != cs[i].Title {
			t.Errorf("change %d = %+v", i, ch)
		}
	}
	log, err := s.ChangesAfter(context.Background(), first-1, 10)
	if err != nil || len(log) != len(chs) {
		t.Fatalf("change log has %d new entries, %v; want %d", len(log), err, len(chs))
	}
	for i := range log {
		if log[i] != chs[i] {
			t.Errorf("log entry %d = %+v, returned %+v", i, log[i], chs[i])
		}
	}
	if last := lastSeq(t, s); last != chs[len(chs)-1].Seq {
		t.Errorf("LastSeq = %d, want %d", last, chs[len(chs)-1].Seq)
	}
}

// testBatchFails has a batch fail on its last commit, which must leave
// nothing of the ones before it.
func testBatchFails(t *testing.T, s wiki.Store) {
	ctx := context.Background()
	neuve, existing := wiki.MustPath("assistance/neuve"), wiki.MustPath("assistance/page-0")
	cases := []struct {
		name string
		last wiki.Commit
		code wiki.Code
		is   error
	}{
		{"a stale head fails the whole batch", wiki.Commit{Path: existing, Kind: wiki.KindCreate, Author: "imp", Markdown: "y"}, wiki.EConflict, wiki.ErrStaleHead},
		{"an invalid commit fails the whole batch", wiki.Commit{Path: wiki.MustPath("assistance/invalide"), Kind: "rename", Author: "imp", Markdown: "y"}, wiki.EInvalid, nil},
		{"a cancelled context fails the whole batch", wiki.Commit{Path: wiki.MustPath("assistance/autre"), Kind: wiki.KindCreate, Markdown: "z"}, "", context.Canceled},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			seq := lastSeq(t, s)
			bad := []wiki.Commit{
				{Path: neuve, Kind: wiki.KindCreate, Author: "imp", Markdown: "x", Links: []wiki.Path{existing}},
				{Path: existing, ExpectRev: 1, Kind: wiki.KindEdit, Author: "imp", Markdown: "écrasé"},
				c.last,
			}
			bctx := ctx
			if c.is == context.Canceled {
				cctx, cancel := context.WithCancel(ctx)
				cancel()
				bctx = cctx
			}
			_, err := s.Commit(bctx, bad...)
			if c.code != "" {
				wantCode(t, err, c.code)
			}
			if err == nil || (c.is != nil && !errors.Is(err, c.is)) {
				t.Fatalf("err = %v, want %v", err, c.is)
			}
			wantBatchUndone(t, s, seq)
		})
	}
	t.Run("the next commit takes the next number", func(t *testing.T) {
		seq := lastSeq(t, s)
		chs, err := s.Commit(ctx, edit("assistance/page-0", 1, "v2"))
		if err != nil || len(chs) != 1 || chs[0].Seq != seq+1 || chs[0].Rev != 2 {
			t.Fatalf("next commit = %+v, %v; want rev 2, seq %d", chs, err, seq+1)
		}
	})
}

// wantBatchUndone checks that the failed batches of testBatchFails left
// nothing: no new page, no new revision, no link, no change, no sequence.
func wantBatchUndone(t *testing.T, s wiki.Store, seq uint64) {
	t.Helper()
	ctx := context.Background()
	_, err := s.Head(ctx, wiki.MustPath("assistance/neuve"))
	wantCode(t, err, wiki.ENotFound)
	if h, err := s.Head(ctx, wiki.MustPath("assistance/page-0")); err != nil || h.Rev != 1 {
		t.Fatalf("head of page-0 = %+v, %v; want rev 1", h, err)
	}
	_, _, err = s.Revision(ctx, wiki.MustPath("assistance/page-0"), 2)
	wantCode(t, err, wiki.ENotFound)
	if bl, err := s.Backlinks(ctx, wiki.MustPath("assistance/page-0"), nil); err != nil || len(bl) != 0 {
		t.Fatalf("backlinks of page-0 = %v, %v", paths(bl), err)
	}
	if after := lastSeq(t, s); after != seq {
		t.Fatalf("LastSeq moved from %d to %d", seq, after)
	}
	if chs, err := s.ChangesAfter(ctx, seq, 10); err != nil || len(chs) != 0 {
		t.Fatalf("change log grew: %v, %v", seqs(chs), err)
	}
	if counts, err := s.PageCounts(ctx); err != nil || counts["assistance"] != 4 {
		t.Fatalf("counts = %v, %v", counts, err)
	}
}
