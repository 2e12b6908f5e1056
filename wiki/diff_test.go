package wiki_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kdecole-club/clubwiki/wiki"
)

// Pages of issue 7: 60,000 distinct lines (past what a rune-per-line diff
// can number) and one line repeated 140,000 times (a page may have at most 150,000 lines). Generated, not stored.

// numberedLines returns n distinct lines "tag i".
func numberedLines(tag string, n int) string {
	var sb strings.Builder
	for i := range n {
		sb.WriteString(tag + " " + strconv.Itoa(i) + "\n")
	}
	return sb.String()
}

// withLine returns text with line i replaced by s.
func withLine(text string, i int, s string) string {
	lines := strings.SplitAfter(text, "\n")
	lines[i] = s + "\n"
	return strings.Join(lines, "")
}

// hangLimit only catches hangs; speed is measured by the benchmarks.
const hangLimit = 30 * time.Second

func TestService_DiffHugePage(t *testing.T) {
	f := newFixture(t, wiki.Config{})
	const p = "assistance/page-immense"
	v1 := numberedLines("ligne", 60000)
	f.save(t, p, v1, 0)
	f.save(t, p, withLine(withLine(v1, 10, "début modifié"), 59000, "fin modifiée"), 1)
	start := time.Now()
	d, err := f.svc.Diff(f.ctx, f.reader, wiki.MustPath(p), 1, 2, true)
	if err != nil {
		t.Fatalf("Diff: %v", err)
	}
	if el := time.Since(start); el > hangLimit {
		t.Errorf("Diff took %v", el)
	}
	if d.Added != 2 || d.Removed != 2 || !strings.Contains(d.Unified, "-ligne 59000\n+fin modifiée\n") {
		t.Errorf("Diff = +%d -%d\n%.500s", d.Added, d.Removed, d.Unified)
	}
}

func TestService_SaveMergeHugePage(t *testing.T) {
	f := newFixture(t, wiki.Config{})
	save := func(path, md string, base int) (wiki.SaveResult, error) {
		start := time.Now()
		res, err := f.svc.Save(f.ctx, f.editor, wiki.SaveRequest{Path: wiki.MustPath(path), Markdown: md, BaseRev: base})
		if el := time.Since(start); el > hangLimit {
			t.Errorf("Save took %v", el)
		}
		return res, err
	}
	t.Run("60000 distinct lines, disjoint edits merge", func(t *testing.T) {
		const p = "assistance/merge-immense"
		v1 := numberedLines("ligne", 60000)
		f.save(t, p, v1, 0)
		f.save(t, p, withLine(v1, 50000, "modifié par Marie"), 1)
		res, err := save(p, withLine(v1, 100, "modifié par Karim"), 1)
		if err != nil || !res.Merged || res.Rev != 3 {
			t.Fatalf("Save = %+v, %v; want a merge", res, err)
		}
		if got, want := f.text(t, p, 0), withLine(withLine(v1, 50000, "modifié par Marie"), 100, "modifié par Karim"); got != want {
			t.Errorf("the merged text lost an edit")
		}
	})
	t.Run("60000 distinct lines, same line conflicts", func(t *testing.T) {
		const p = "assistance/conflit-immense"
		v1 := numberedLines("ligne", 60000)
		f.save(t, p, v1, 0)
		f.save(t, p, withLine(v1, 30000, "Marie"), 1)
		_, err := save(p, withLine(v1, 30000, "Karim"), 1)
		var ce *wiki.ConflictError
		if !errors.As(err, &ce) || !strings.Contains(ce.ConflictMarkdown, "<<<<<<< yours\nKarim\n=======\nMarie\n>>>>>>> revision 2\n") {
			t.Fatalf("err = %v, want a conflict on line 30000", err)
		}
	})
	t.Run("140000 lines (near the renderer's 150,000-line bound) rewritten against one edit", func(t *testing.T) {
		const p = "assistance/reecriture"
		v1 := strings.Repeat("x\n", 140000)
		f.save(t, p, v1, 0)
		theirs := withLine(v1, 0, "Marie")
		f.save(t, p, theirs, 1)
		mine := strings.Repeat("y\n", 140000)
		_, err := save(p, mine, 1)
		var ce *wiki.ConflictError
		if !errors.As(err, &ce) || !strings.Contains(ce.ConflictMarkdown, mine) || !strings.Contains(ce.ConflictMarkdown, theirs) {
			t.Fatalf("err = %v, want a conflict holding both texts", err)
		}
	})
	t.Run("cancelled request saves nothing", func(t *testing.T) {
		const p = "assistance/annule"
		v1 := numberedLines("ligne", 1000)
		f.save(t, p, v1, 0)
		f.save(t, p, withLine(v1, 900, "Marie"), 1)
		ctx, cancel := context.WithCancel(f.ctx)
		cancel()
		_, err := f.svc.Save(ctx, f.editor, wiki.SaveRequest{Path: wiki.MustPath(p), Markdown: withLine(v1, 5, "Karim"), BaseRev: 1})
		if err == nil {
			t.Fatal("a cancelled save succeeded")
		}
		if h, _ := f.svc.History(f.ctx, f.editor, wiki.MustPath(p), 10, 0); len(h) != 2 {
			t.Errorf("%d revisions after a cancelled save, want 2", len(h))
		}
	})
}
