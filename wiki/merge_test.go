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
