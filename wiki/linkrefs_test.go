package wiki_test

import (
	"testing"

	"github.com/kdecole-club/clubwiki/wiki"
)

func TestRewriteLinks(t *testing.T) {
	src := "Voir [[club/a|A]] et [[ club/b#x ]], é [[club/a]]."
	refs := []wiki.LinkRef{
		{Start: 5, End: 17, TargetStart: 7, TargetEnd: 13, Path: wiki.MustPath("club/a")},
		{Start: 21, End: 35, TargetStart: 24, TargetEnd: 30, Path: wiki.MustPath("club/b")},
		{Start: 40, End: 50, TargetStart: 42, TargetEnd: 48, Path: wiki.MustPath("club/a")},
	}
	to := func(from, target string) func(wiki.LinkRef) (string, bool) {
		return func(l wiki.LinkRef) (string, bool) { return target, l.Path.String() == from }
	}
	t.Run("the targets of one page", func(t *testing.T) {
		got, err := wiki.RewriteLinks(src, refs, to("club/a", "usages/nouvelle-page"))
		if want := "Voir [[usages/nouvelle-page|A]] et [[ club/b#x ]], é [[usages/nouvelle-page]]."; err != nil || got != want {
			t.Errorf("got %q, %v; want %q", got, err, want)
		}
	})
	t.Run("keeping blanks and anchor", func(t *testing.T) {
		got, err := wiki.RewriteLinks(src, refs, to("club/b", "club/c"))
		if want := "Voir [[club/a|A]] et [[ club/c#x ]], é [[club/a]]."; err != nil || got != want {
			t.Errorf("got %q, %v; want %q", got, err, want)
		}
	})
	t.Run("nothing to rewrite", func(t *testing.T) {
		if got, err := wiki.RewriteLinks(src, refs, to("club/z", "x")); err != nil || got != src {
			t.Errorf("got %q, %v", got, err)
		}
	})
	bad := map[string][]wiki.LinkRef{
		"out of order":       {refs[1], refs[0]},
		"overlapping":        {refs[0], {Start: 15, End: 35, TargetStart: 24, TargetEnd: 30}},
		"past the end":       {{Start: 40, End: 60, TargetStart: 42, TargetEnd: 48}},
		"not a link":         {{Start: 0, End: 10, TargetStart: 2, TargetEnd: 8}},
		"target outside":     {{Start: 5, End: 17, TargetStart: 3, TargetEnd: 13}},
		"negative":           {{Start: -1, End: 17, TargetStart: 7, TargetEnd: 13}},
		"target end reverse": {{Start: 5, End: 17, TargetStart: 13, TargetEnd: 7}},
	}
	for name, refs := range bad {
		t.Run("refused: "+name, func(t *testing.T) {
			got, err := wiki.RewriteLinks(src, refs, func(wiki.LinkRef) (string, bool) { return "x", true })
			if wiki.ErrorCode(err) != wiki.EInternal || got != src {
				t.Errorf("got %q, %v; want src and an internal error", got, err)
			}
		})
	}
}
