package wiki_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/kdecole-club/clubwiki/testdata/hostile"
	"github.com/kdecole-club/clubwiki/wiki"
	"github.com/kdecole-club/clubwiki/wiki/textdiff"
)

// commitText writes a revision straight to the store, without rendering:
// a fixture of large texts that costs their writing only.
func commitText(t testing.TB, f *fixture, path string, rev int, text string) {
	t.Helper()
	kind := wiki.KindEdit
	if rev == 0 {
		kind = wiki.KindCreate
	}
	if _, err := f.db.Commit(f.ctx, wiki.Commit{Path: wiki.MustPath(path), ExpectRev: rev, Kind: kind,
		Author: "camille", Summary: "gros", Markdown: text, Title: "Gros"}); err != nil {
		t.Fatal(err)
	}
}

// TestFeed_Entries_bounds checks the bounds of a feed's diffs: one entry's
// HTML stops at its bound, the text a feed diffs stops at its budget,
// always at the same entries. Both bounds are an eighth of their defaults
// (Config.FeedBytes, Config.FeedEntryBytes: 2 MiB, 8 KiB) and the pages an
// eighth of the size the defaults take, past them by the same factors:
// diffing the pages is the test's time.
func TestFeed_Entries_bounds(t *testing.T) {
	const scale = 8
	// Time enough for a slow machine: the bounds tested here are the
	// others, which hold whatever the machine.
	cfg := wiki.Config{FeedTime: 5 * time.Minute, FeedBytes: 16 << 20 / scale, FeedEntryBytes: wiki.FeedEntryMax / scale}
	f := newFixture(t, cfg)
	const bigLines = 30000 / scale
	big := hostile.NumberedLines("Le cahier de textes de l'ENT, ligne", bigLines) // about 1.3 MB / scale
	for rev := range 8 {
		commitText(t, f, "club/gros", rev, strings.Replace(big, "ligne 7\n", "ligne 7 revue "+string(rune('a'+rev))+"\n", 1))
	}
	commitText(t, f, "club/reecrit", 0, hostile.SameLines(100000/scale, "x <b>"))
	commitText(t, f, "club/reecrit", 1, hostile.SameLines(100000/scale, "y &"))
	feed, err := f.svc.Feed(f.ctx, f.reader, wiki.FeedQuery{Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	entries, err := feed.Entries(f.ctx)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		if len(e.DiffHTML) > cfg.FeedEntryBytes {
			t.Errorf("%s@%d: %d bytes of diff", e.Path, e.Rev, len(e.DiffHTML))
		}
		switch {
		case e.Omitted == wiki.OmittedSize:
			got = append(got, e.Path.String()+"@"+strconv.Itoa(e.Rev)+":size")
		case e.Omitted == wiki.OmittedBusy:
			t.Errorf("%s@%d: out of time", e.Path, e.Rev)
		case e.Truncated:
			got = append(got, e.Path.String()+"@"+strconv.Itoa(e.Rev)+":cut")
		}
	}
	// club/reecrit takes (1.0 + 0.6 MB) / scale of the (16 MiB) / scale
	// budget, each edit of club/gros 2 × 1.25 MB / scale: six fit, then
	// none.
	want := "club/reecrit@2:cut club/reecrit@1:cut club/gros@2:size club/gros@1:size"
	if strings.Join(got, " ") != want {
		t.Errorf("got  %s\nwant %s", strings.Join(got, " "), want)
	}
	// Cut at the entry's bound. Word by word, or coarse (whole lines)
	// when the word diff's time ran out on a slow machine.
	for i, want := range []string{"<del>x &lt;b&gt;", "<ins>x &lt;b&gt;<br>\nx &lt;b&gt;<br>\n"} {
		if c := entries[i].DiffHTML; !strings.Contains(c, want) || strings.Contains(c, "<b>") || !strings.Contains(c[max(0, len(c)-32):], "…") || !strings.HasSuffix(c, "</p>\n</div>\n") {
			t.Errorf("entry %d not escaped or not closed: %.300s … %s", i, c, c[max(0, len(c)-100):])
		}
	}
	// One word changed among the lines: that word marked, the lines
	// around it counted.
	want = `<div class="diff">` + "\n" + `<p class="same">… 7 lignes inchangées …</p>` + "\n" +
		`<p class="changed">Le cahier de textes de l&#39;ENT, ligne 7 revue <del>g</del><ins>h</ins></p>` + "\n" +
		`<p class="same">… ` + strconv.Itoa(bigLines-8) + ` lignes inchangées …</p>` + "\n</div>\n"
	if c := entries[2].DiffHTML; c != want {
		t.Errorf("edit of club/gros: %.600s", c)
	}
}

// stuckDiffer never finishes a diff before its context ends.
type stuckDiffer struct{ textdiff.Differ }

func (stuckDiffer) Diff(ctx context.Context, a, b string) (wiki.Diff, error) {
	<-ctx.Done()
	return wiki.Diff{}, ctx.Err()
}

func (stuckDiffer) Words(ctx context.Context, a, b string) (wiki.WordDiff, error) {
	<-ctx.Done()
	return wiki.WordDiff{}, ctx.Err()
}

// TestFeed_Entries_time checks that a feed's diffs stop at the feed's time
// bound: the entries left say so, and the feed is still answered.
func TestFeed_Entries_time(t *testing.T) {
	f := newFixture(t, wiki.Config{})
	f.save(t, "club/lent", "un\n", 0)
	f.save(t, "club/lent", "deux\n", 1)
	svc := wiki.NewService(f.db, nil, stuckDiffer{}, wiki.Config{FeedTime: 100 * time.Millisecond})
	if err := svc.Init(f.ctx); err != nil {
		t.Fatal(err)
	}
	feed, err := svc.Feed(f.ctx, f.reader, wiki.FeedQuery{Page: wiki.MustPath("club/lent")})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	entries, err := feed.Entries(f.ctx)
	if err != nil || len(entries) != 2 {
		t.Fatalf("Entries = %d, %v", len(entries), err)
	}
	for _, e := range entries {
		if e.Omitted != wiki.OmittedBusy || e.DiffHTML != "" {
			t.Errorf("rev %d: %+v", e.Rev, e)
		}
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("the feed took %v", d)
	}
}

// TestFeed_Entries_longLine: a paragraph is one line; one longer than an
// entry holds shows its start, cut between two characters.
func TestFeed_Entries_longLine(t *testing.T) {
	f := newFixture(t, wiki.Config{})
	commitText(t, f, "club/paragraphe", 0, "court\n")
	commitText(t, f, "club/paragraphe", 1, strings.Repeat("é'", 100000)+"\n")
	feed, err := f.svc.Feed(f.ctx, f.reader, wiki.FeedQuery{Page: wiki.MustPath("club/paragraphe"), Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	entries, err := feed.Entries(f.ctx)
	if err != nil || len(entries) != 1 {
		t.Fatalf("Entries = %d, %v", len(entries), err)
	}
	c := entries[0].DiffHTML
	if !entries[0].Truncated || len(c) > wiki.FeedEntryMax || !utf8.ValidString(c) ||
		!strings.Contains(c, "<del>court</del><ins>é&#39;é") || !strings.HasSuffix(c, "é&#39;…</ins></p>\n</div>\n") {
		t.Errorf("%d bytes, truncated %v: %.200s … %s", len(c), entries[0].Truncated, c, c[max(0, len(c)-100):])
	}
}
