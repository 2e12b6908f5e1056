package wiki_test

import (
	"errors"
	"reflect"
	"testing"

	"github.com/kdecole-club/clubwiki/wiki"
)

func TestMerge_Markdown(t *testing.T) {
	region := func(base, yours, theirs string) wiki.MergePart {
		return wiki.MergePart{Conflict: &wiki.ConflictRegion{Base: base, Yours: yours, Theirs: theirs}}
	}
	cases := []struct {
		name      string
		m         wiki.Merge
		want      string
		conflicts int
	}{
		{"a clean merge is its text", wiki.Merge{Parts: []wiki.MergePart{{Text: "a\nb\n"}}}, "a\nb\n", 0},
		{"a region between markers, yours first", wiki.Merge{Parts: []wiki.MergePart{
			{Text: "titre\n"}, region("x\n", "mien\n", "sien\n"), {Text: "fin\n"},
		}}, "titre\n<<<<<<< yours\nmien\n=======\nsien\n>>>>>>> revision 5\nfin\n", 1},
		{"sides without final newline get one", wiki.Merge{Parts: []wiki.MergePart{region("", "mien", "")}},
			"<<<<<<< yours\nmien\n=======\n>>>>>>> revision 5\n", 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := c.m.Markdown(5); got != c.want {
				t.Errorf("Markdown = %q, want %q", got, c.want)
			}
			if got := len(c.m.Conflicts()); got != c.conflicts {
				t.Errorf("%d conflicts, want %d", got, c.conflicts)
			}
		})
	}
}

// TestService_SaveConflictRegions checks that an edit conflict carries its
// regions, each with the base's, the member's and the head's text, and
// that its conflict_markdown is written from them.
func TestService_SaveConflictRegions(t *testing.T) {
	f := newFixture(t, wiki.Config{})
	const p = "usages/agenda"
	f.save(t, p, "# Agenda\n\nRéunion lundi.\n\nfin\n", 0)
	f.save(t, p, "# Agenda\n\nRéunion mardi.\n\nfin\n", 1)
	_, err := f.svc.Save(f.ctx, f.editor, wiki.SaveRequest{Path: wiki.MustPath(p), Markdown: "# Agenda\n\nRéunion jeudi.\n\nfin\n", BaseRev: 1})
	var ce *wiki.ConflictError
	if !errors.As(err, &ce) {
		t.Fatalf("err = %v, want a conflict", err)
	}
	want := []wiki.ConflictRegion{{Base: "Réunion lundi.\n", Yours: "Réunion jeudi.\n", Theirs: "Réunion mardi.\n"}}
	if got := ce.Merge.Conflicts(); !reflect.DeepEqual(got, want) {
		t.Errorf("regions = %+v, want %+v", got, want)
	}
	if ce.ConflictMarkdown != ce.Merge.Markdown(ce.HeadRev) {
		t.Errorf("conflict_markdown %q is not the regions' %q", ce.ConflictMarkdown, ce.Merge.Markdown(ce.HeadRev))
	}
}

// TestService_SaveAfterConflictTwice follows an edit conflict the way the
// editor does: the member settles it and saves against the head they were
// shown; the head moved again meanwhile, so a second conflict comes, from
// that head; settled and saved against the newest head, it applies.
func TestService_SaveAfterConflictTwice(t *testing.T) {
	f := newFixture(t, wiki.Config{})
	const p = "usages/agenda2"
	save := func(md string, base int) (wiki.SaveResult, error) {
		return f.svc.Save(f.ctx, f.editor, wiki.SaveRequest{Path: wiki.MustPath(p), Markdown: md, BaseRev: base})
	}
	f.save(t, p, "a\nlundi\nb\nc\nd\ne\nf\nfin\n", 0)
	f.save(t, p, "a\nmardi\nb\nc\nd\ne\nf\nfin\n", 1)
	_, err := save("a\njeudi\nb\nc\nd\ne\nf\nfin\n", 1)
	var ce *wiki.ConflictError
	if !errors.As(err, &ce) || ce.BaseRev != 1 || ce.HeadRev != 2 {
		t.Fatalf("first save: err = %v, want a conflict from 1 with head 2", err)
	}
	settled, ok := wiki.ResolveConflicts(ce.ConflictMarkdown, wiki.KeepBoth)
	if !ok || settled != "a\njeudi\nmardi\nb\nc\nd\ne\nf\nfin\n" {
		t.Fatalf("settled = %q, %v", settled, ok)
	}
	// Meanwhile someone else edits the same passage again.
	f.save(t, p, "a\nvendredi\nb\nc\nd\ne\nf\nfin\n", 2)
	_, err = save(settled, ce.HeadRev)
	if !errors.As(err, &ce) || ce.BaseRev != 2 || ce.HeadRev != 3 {
		t.Fatalf("second save: err = %v, want a conflict from 2 with head 3", err)
	}
	want := []wiki.ConflictRegion{{Base: "mardi\n", Yours: "jeudi\nmardi\n", Theirs: "vendredi\n"}}
	if got := ce.Merge.Conflicts(); !reflect.DeepEqual(got, want) {
		t.Errorf("second regions = %+v, want %+v", got, want)
	}
	settled, ok = wiki.ResolveConflicts(ce.ConflictMarkdown, wiki.KeepMine)
	if !ok {
		t.Fatal("the second conflict's markers are damaged")
	}
	// A third edit elsewhere in the page merges cleanly with the settled text.
	f.save(t, p, "a\nvendredi\nb\nc\nd\ne\nf\nFIN\n", 3)
	res, err := save(settled, ce.HeadRev)
	if err != nil || !res.Merged || res.Rev != 5 {
		t.Fatalf("third save = %+v, %v; want merged as revision 5", res, err)
	}
	pv, err := f.svc.Page(f.ctx, f.editor, wiki.MustPath(p), 0)
	if err != nil || pv.Markdown != "a\njeudi\nmardi\nb\nc\nd\ne\nf\nFIN\n" {
		t.Fatalf("page = %q, %v", pv.Markdown, err)
	}
}
