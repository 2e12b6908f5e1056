package wiki_test

import (
	"strings"
	"testing"

	"github.com/kdecole-club/clubwiki/wiki"
)

func TestWordDiff_Segments(t *testing.T) {
	wd := wiki.WordDiff{Blocks: []wiki.WordBlock{
		{Kind: wiki.BlockSame, Segments: []wiki.Segment{{Op: wiki.SegEqual, Text: "Titre\n\n"}}},
		{Kind: wiki.BlockChanged, Segments: []wiki.Segment{{Op: wiki.SegEqual, Text: "Le "}, {Op: wiki.SegDelete, Text: "chat"}, {Op: wiki.SegInsert, Text: "chien"}, {Op: wiki.SegEqual, Text: ".\n"}}},
		{Kind: wiki.BlockSame, Segments: []wiki.Segment{{Op: wiki.SegEqual, Text: "\nFin.\n"}}},
	}}
	segs := wd.Segments()
	if len(segs) != 4 || segs[0].Text != "Titre\n\nLe " || segs[3].Text != ".\n\nFin.\n" {
		t.Errorf("Segments = %q: adjacent equal segments of two blocks should merge", segs)
	}
	old, neu := wiki.SegmentTexts(segs)
	if old != "Titre\n\nLe chat.\n\nFin.\n" || neu != "Titre\n\nLe chien.\n\nFin.\n" {
		t.Errorf("SegmentTexts = %q, %q", old, neu)
	}
	if segs[1].Op != wiki.SegDelete || segs[2].Op != wiki.SegInsert {
		t.Errorf("ops = %c %c, want - +", segs[1].Op, segs[2].Op)
	}
}

func TestService_DiffWords(t *testing.T) {
	f := newFixture(t, wiki.Config{})
	const p = "usages/cahier-de-textes"
	v1 := "# Cahier de textes\n\nLes enseignants publient le cahier de textes chaque soir.\n\nLes élèves le consultent depuis l'ENT.\n"
	v2 := strings.Replace(v1, "chaque soir", "chaque matin", 1)
	f.save(t, p, v1, 0)
	f.save(t, p, v2, 1)
	t.Run("between two revisions", func(t *testing.T) {
		d, err := f.svc.DiffWords(f.ctx, f.reader, wiki.MustPath(p), 1, 2, true)
		if err != nil {
			t.Fatalf("DiffWords: %v", err)
		}
		if d.Words == nil || d.Added != 1 || d.Removed != 1 {
			t.Fatalf("DiffWords = %+v: want the hunks and the words", d)
		}
		segs := d.Words.Segments()
		if old, neu := wiki.SegmentTexts(segs); old != v1 || neu != v2 {
			t.Errorf("the segments do not rebuild revisions 1 and 2")
		}
		var changed []string
		for _, s := range segs {
			if s.Op != wiki.SegEqual {
				changed = append(changed, string(s.Op)+s.Text)
			}
		}
		if strings.Join(changed, " ") != "-soir +matin" {
			t.Errorf("changed segments = %q, want the one word", changed)
		}
	})
	t.Run("rendered", func(t *testing.T) {
		d, err := f.svc.DiffWords(f.ctx, f.reader, wiki.MustPath(p), 1, 2, true)
		if err != nil {
			t.Fatalf("DiffWords: %v", err)
		}
		var marked []string
		for _, b := range f.svc.RenderedDiff(*d.Words) {
			if b.Marked {
				marked = append(marked, b.Markdown)
			}
		}
		want := "Les enseignants publient le cahier de textes chaque " + string(wiki.MarkDelStart) + "soir" + string(wiki.MarkDelEnd) +
			string(wiki.MarkInsStart) + "matin" + string(wiki.MarkInsEnd) + ".\n"
		if len(marked) != 1 || marked[0] != want {
			t.Errorf("marked blocks = %q, want the paragraph with its one word marked", marked)
		}
	})
	t.Run("from the empty revision 0", func(t *testing.T) {
		d, err := f.svc.DiffWords(f.ctx, f.reader, wiki.MustPath(p), 0, 1, true)
		if err != nil {
			t.Fatalf("DiffWords: %v", err)
		}
		if segs := d.Words.Segments(); len(segs) != 1 || segs[0].Op != wiki.SegInsert || segs[0].Text != v1 {
			t.Errorf("segments = %q, want the whole page inserted", segs)
		}
	})
	t.Run("Diff alone has no words", func(t *testing.T) {
		d, err := f.svc.Diff(f.ctx, f.reader, wiki.MustPath(p), 1, 2, true)
		if err != nil || d.Words != nil {
			t.Errorf("Diff = words %v, %v; want no word diff", d.Words, err)
		}
	})
	t.Run("a missing page", func(t *testing.T) {
		_, err := f.svc.DiffWords(f.ctx, f.reader, wiki.MustPath("usages/absente"), 1, 2, true)
		if wiki.ErrorCode(err) != wiki.ENotFound {
			t.Errorf("err = %v, want not found", err)
		}
	})
}
