package storetest

import (
	"context"
	"slices"
	"testing"

	"github.com/kdecole-club/clubwiki/wiki"
)

// testReviews covers the ReviewStore: the first mark stands, it survives
// later edits, it is one non-page entry in the log, and Reviews reads many.
func testReviews(t *testing.T, open func(t *testing.T) wiki.Store) {
	ctx := context.Background()
	s := open(t)
	p := wiki.MustPath("usages/relue")
	commit(t, s, p.String(), 0, "un")
	t.Run("first mark stands", func(t *testing.T) {
		m, added, err := s.MarkReviewed(ctx, wiki.Review{Path: p, Rev: 1, By: "bob"})
		if err != nil || !added || m.By != "bob" || m.Rev != 1 || m.Time.IsZero() {
			t.Fatalf("MarkReviewed = %+v, %v, %v", m, added, err)
		}
		seq := lastSeq(t, s)
		again, added, err := s.MarkReviewed(ctx, wiki.Review{Path: p, Rev: 1, By: "carole"})
		if err != nil || added || again.By != "bob" || !again.Time.Equal(m.Time) {
			t.Fatalf("second MarkReviewed = %+v, %v, %v", again, added, err)
		}
		if got := lastSeq(t, s); got != seq {
			t.Fatalf("a second mark wrote to the log: %d → %d", seq, got)
		}
	})
	t.Run("one review entry in the log, not a page change", func(t *testing.T) {
		all, err := s.ChangesAfter(ctx, 0, 10)
		if err != nil || len(all) != 2 || all[1].Kind != wiki.KindReview || all[1].Path != p || all[1].Rev != 1 || all[1].Author != "bob" {
			t.Fatalf("ChangesAfter = %+v, %v", all, err)
		}
		if all[1].Kind.IsPage() {
			t.Fatal("a review is a page change")
		}
		pages, _ := s.Changes(ctx, wiki.ChangeQuery{})
		if !slices.Equal(seqs(pages), []uint64{1}) {
			t.Fatalf("Changes = %v, want the creation only", seqs(pages))
		}
	})
	t.Run("missing revision", func(t *testing.T) {
		_, _, err := s.MarkReviewed(ctx, wiki.Review{Path: p, Rev: 9, By: "bob"})
		wantCode(t, err, wiki.ENotFound)
		_, _, err = s.MarkReviewed(ctx, wiki.Review{Path: wiki.MustPath("usages/absente"), Rev: 1, By: "bob"})
		wantCode(t, err, wiki.ENotFound)
	})
	t.Run("survives later edits", func(t *testing.T) {
		commit(t, s, p.String(), 1, "deux")
		got, err := s.Reviews(ctx, []wiki.RevisionKey{{Path: p, Rev: 1}, {Path: p, Rev: 2}, {Path: p, Rev: 0}, {Rev: 1}})
		if err != nil || len(got) != 1 || got[wiki.RevisionKey{Path: p, Rev: 1}].By != "bob" {
			t.Fatalf("Reviews = %+v, %v", got, err)
		}
	})
}

// testChangeFilters covers the filters of recent changes and the sizes.
func testChangeFilters(t *testing.T, open func(t *testing.T) wiki.Store) {
	ctx := context.Background()
	s := open(t)
	commit(t, s, "usages/a", 0, "12345")             // 1 alice, create
	minor := editAs("usages/a", 1, "1234567", "bob") // 2 bob, minor
	minor.Minor = true
	mustCommit(t, s, minor)
	imp := editAs("usages/b", 0, "importé", "alice") // 3 alice, import
	imp.Summary = wiki.ImportSummary
	mustCommit(t, s, imp)
	mustCommit(t, s, editAs("usages/a", 2, "1", "bob")) // 4 bob
	if _, _, err := s.MarkReviewed(ctx, wiki.Review{Path: wiki.MustPath("usages/a"), Rev: 3, By: "carole"}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		q    wiki.ChangeQuery
		want []uint64
	}{
		{"none", wiki.ChangeQuery{}, []uint64{4, 3, 2, 1}},
		{"hide minor", wiki.ChangeQuery{HideMinor: true}, []uint64{4, 3, 1}},
		{"hide imports", wiki.ChangeQuery{HideImports: true}, []uint64{4, 2, 1}},
		{"not mine", wiki.ChangeQuery{NotAuthor: "alice"}, []uint64{4, 2}},
		{"unreviewed", wiki.ChangeQuery{Unreviewed: true}, []uint64{3, 2, 1}},
		{"all at once", wiki.ChangeQuery{HideMinor: true, HideImports: true, NotAuthor: "bob", Unreviewed: true}, []uint64{1}},
		{"limit counts kept ones", wiki.ChangeQuery{HideMinor: true, Limit: 2}, []uint64{4, 3}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := s.Changes(ctx, tc.q)
			if err != nil || !slices.Equal(seqs(got), tc.want) {
				t.Fatalf("Changes(%+v) = %v, %v; want %v", tc.q, seqs(got), err, tc.want)
			}
		})
	}
	t.Run("sizes", func(t *testing.T) {
		got, err := s.Changes(ctx, wiki.ChangeQuery{Sizes: true})
		if err != nil || len(got) != 4 {
			t.Fatalf("Changes = %+v, %v", got, err)
		}
		want := [][2]int{{1, 7}, {len("importé"), 0}, {7, 5}, {5, 0}}
		for i, ch := range got {
			if !ch.Sized || ch.Size != want[i][0] || ch.SizeBefore != want[i][1] {
				t.Errorf("change %d: sized %v %d←%d, want %d←%d", ch.Seq, ch.Sized, ch.Size, ch.SizeBefore, want[i][0], want[i][1])
			}
		}
		plain, _ := s.Changes(ctx, wiki.ChangeQuery{})
		if plain[0].Sized {
			t.Error("sizes filled without being asked for")
		}
	})
}

// testPrefs covers the PrefStore and UserStore.UserNames.
func testPrefs(t *testing.T, open func(t *testing.T) wiki.Store) {
	ctx := context.Background()
	s := open(t)
	addUsers(t, s, "alice", "bob")
	t.Run("zero until chosen", func(t *testing.T) {
		if p, err := s.Prefs(ctx, "alice"); err != nil || p != (wiki.Prefs{}) {
			t.Fatalf("Prefs = %+v, %v", p, err)
		}
	})
	t.Run("put and read back", func(t *testing.T) {
		want := wiki.Prefs{Changes: wiki.ChangeFilters{HideMinor: true, Unreviewed: true}}
		if err := s.PutPrefs(ctx, "alice", want); err != nil {
			t.Fatal(err)
		}
		if p, err := s.Prefs(ctx, "alice"); err != nil || p != want {
			t.Fatalf("Prefs = %+v, %v", p, err)
		}
		if p, _ := s.Prefs(ctx, "bob"); p != (wiki.Prefs{}) {
			t.Fatalf("bob's = %+v", p)
		}
	})
	t.Run("unknown member", func(t *testing.T) {
		wantCode(t, s.PutPrefs(ctx, "personne", wiki.Prefs{}), wiki.ENotFound)
	})
	t.Run("user names", func(t *testing.T) {
		names, err := s.UserNames(ctx, []string{"alice", "personne", "bob", "alice", ""})
		if err != nil || len(names) != 2 {
			t.Fatalf("UserNames = %v, %v", names, err)
		}
		if _, ok := names["alice"]; !ok {
			t.Fatalf("alice missing: %v", names)
		}
	})
}

// editAs is edit by another author.
func editAs(p string, expectRev int, text, author string) wiki.Commit {
	c := edit(p, expectRev, text)
	c.Author = author
	return c
}

func mustCommit(t *testing.T, s wiki.PageStore, c wiki.Commit) {
	t.Helper()
	if _, err := s.Commit(context.Background(), c); err != nil {
		t.Fatalf("Commit(%s): %v", c.Path, err)
	}
}
