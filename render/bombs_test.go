package render_test

import (
	"context"
	"errors"
	"runtime"
	"strings"
	"testing"

	"github.com/kdecole-club/clubwiki/render"
	"github.com/kdecole-club/clubwiki/testdata/hostile"
	"github.com/kdecole-club/clubwiki/wiki"
)

// The hostile pages of issue 7 (points 4 and 5), inputs whose rendering
// once grew much faster than their size, come from testdata/hostile; they
// are generated rather than committed, and sized by the caller.

// repeatTo repeats unit until the result holds n bytes or more.
func repeatTo(unit string, n int) string {
	return strings.Repeat(unit, (n+len(unit)-1)/len(unit))
}

// scaledBombs is bombs for the bounds of scaledRenderer: the table of
// "mixed" is boundScale times smaller too.
func scaledBombs(n int) map[string]string {
	return map[string]string{
		"mixed": hostile.TableBomb(100, 100/boundScale) + "\n\n" + hostile.OpenLinks(n/4) + "\n\n" + hostile.RefDefinitions(n/4) + "\n" + hostile.FootnoteRefs(n/4),
	}
}

// bombs returns every hostile page at about n bytes, by name.
func bombs(n int) map[string]string {
	return map[string]string{
		"open destinations": hostile.OpenLinks(n),
		"open parens":       hostile.OpenParens(n),
		"link definitions":  hostile.RefDefinitions(n),
		"footnote refs":     hostile.FootnoteRefs(n),
		"many footnotes":    hostile.FootnoteMany(n),
		"nested labels":     hostile.NestedLabels(n),
		"escaped pipes":     hostile.EscapedPipes(n),
		"mixed":             hostile.TableBomb(100, 100) + "\n\n" + hostile.OpenLinks(n/4) + "\n\n" + hostile.RefDefinitions(n/4) + "\n" + hostile.FootnoteRefs(n/4),
	}
}

// punctuation returns, for every ASCII punctuation character c, the pages
// c repeated and "c a" repeated, of about n bytes: each trigger of an inline
// parser failing or nesting as much as it can.
func punctuation(n int) map[string]string {
	out := map[string]string{}
	for c := byte('!'); c <= '~'; c++ {
		if c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' {
			continue
		}
		out["repeat "+string(c)] = repeatTo(string(c), n)
		out["spaced "+string(c)] = repeatTo(string(c)+" a", n)
	}
	return out
}

// boundScale is how many times lower than the defaults the bounds of the
// tests below are (render.Limits), and how many times smaller than the
// hostile pages of issue 7 their pages: past the bounds by the same
// factors, they prove the same refusals in an eighth of the time.
const boundScale = 8

// scaledRenderer returns a renderer whose bounds are the defaults divided
// by boundScale, but for the number of columns of a table.
func scaledRenderer() *render.Renderer {
	d := render.DefaultLimits()
	return render.New(render.Options{Limits: render.Limits{
		// Not the columns: a table's width is not what costs, and the
		// mixed page's table must stay within it.
		Lines: d.Lines / boundScale, TableColumns: d.TableColumns, TableCells: d.TableCells / boundScale,
		TablePipeWork: d.TablePipeWork / boundScale, Footnotes: d.Footnotes / boundScale, FootnoteRefs: d.FootnoteRefs / boundScale,
		LinkScan: d.LinkScan / boundScale, LinkDefinitions: d.LinkDefinitions / boundScale, Inlines: d.Inlines / boundScale,
		Headings: d.Headings / boundScale, Containers: d.Containers / boundScale, HTMLBytes: d.HTMLBytes / boundScale,
	}})
}

// TestRenderer_Render_limits renders every hostile page of issue 7 and
// checks that it is refused with the bound it goes past, naming it, within
// a bounded amount of memory. Before the bounds these pages took from
// seconds to minutes and up to gigabytes (or the server died).
//
// The tables are refused before goldmark parses them, at the default
// bounds. The other pages are parsed up to their bound: they are
// boundScale times smaller than their names say, against bounds (and a
// memory allowance) boundScale times lower.
func TestRenderer_Render_limits(t *testing.T) {
	const k = boundScale
	tests := []struct {
		name, src, limit, msg string
		scaled                bool
	}{
		{"table 5000x5000", hostile.TableBomb(5000, 5000), wiki.LimitTableColumns, "5000 columns; at most 128", false},
		{"table 3000x3000", hostile.TableBomb(3000, 3000), wiki.LimitTableColumns, "3000 columns", false},
		{"table 2000x2000", hostile.TableBomb(2000, 2000), wiki.LimitTableColumns, "2000 columns", false},
		{"table 100x2000", hostile.TableBomb(100, 2000), wiki.LimitTableCells, "cells", false},
		{"escaped pipes", hostile.EscapedPipes(128 << 10), wiki.LimitTablePipes, "escaped pipes", false},
		{"open destinations 400 KB", hostile.OpenLinks(400 << 10 / k), wiki.LimitLinks, "link syntax", true},
		{"open destinations 2 MB", hostile.OpenLinks(2 << 20 / k), wiki.LimitLinks, "link syntax", true},
		{"open parens 2 MB", hostile.OpenParens(2 << 20 / k), wiki.LimitLinks, "link syntax", true},
		{"nested labels 2 MB", hostile.NestedLabels(2 << 20 / k), wiki.LimitLinks, "link syntax", true},
		{"link definitions 2 MB", hostile.RefDefinitions(2 << 20 / k), wiki.LimitLines, "lines", true},
		{"link definitions 1 MB", hostile.RefDefinitions(1 << 20 / k), wiki.LimitLinkDefinitions, "link reference definitions", true},
		{"footnote refs 2 MB", hostile.FootnoteRefs(2 << 20 / k), wiki.LimitFootnoteRefs, "footnote references", true},
		{"many footnotes 2 MB", hostile.FootnoteMany(2 << 20 / k), wiki.LimitFootnotes, "footnotes", true},
		{"emphasis 2 MB", repeatTo("*_", 2<<20/k), wiki.LimitInline, "inline elements", true},
		{"headings", repeatTo("# a\n", 128<<10/k), wiki.LimitHeadings, "headings", true},
		{"lists 31 deep 1.2 MB", hostile.NestedLists(31, 1200<<10/k), wiki.LimitContainers, "lists, list items and block quotes", true},
		{"HTML 2 MB", repeatTo("<", 2<<20/k), wiki.LimitHTML, "MiB of HTML", true},
		{"mixed", scaledBombs(2 << 20 / k)["mixed"], "", "", true}, // whichever comes first
	}
	r, small := render.New(render.Options{}), scaledRenderer()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, maxAlloc := r, uint64(256<<20)
			if tt.scaled {
				r, maxAlloc = small, maxAlloc/k
			}
			var out *wiki.Rendered
			var err error
			alloc := allocated(func() {
				out, err = r.Render(context.Background(), []byte(tt.src), testOptions())
			})
			var we *wiki.Error
			var le *wiki.LimitError
			if !errors.As(err, &we) || we.Code != wiki.ETooLarge || !errors.As(err, &le) {
				t.Fatalf("err = %v (HTML of %d bytes), want ETooLarge with a LimitError", err, htmlLen(out))
			}
			if tt.limit != "" && (le.Limit != tt.limit || !strings.Contains(we.Message, tt.msg)) {
				t.Errorf("refused for %q (%q), want %q naming %q", le.Limit, we.Message, tt.limit, tt.msg)
			}
			// The refusal says how far past which maximum the page went.
			if le.Max <= 0 || le.Count <= le.Max {
				t.Errorf("LimitError %+v: want a maximum and a count past it", le)
			}
			// Generous: the page itself is up to 2 MiB (at the default
			// bounds); before the bounds these took from 400 MB to more
			// than 6 GB.
			if alloc > maxAlloc && !race {
				t.Errorf("allocated %d MiB", alloc>>20)
			}
		})
	}
}

// TestRenderer_Render_withinLimits checks that pages just inside the bounds
// still render.
func TestRenderer_Render_withinLimits(t *testing.T) {
	tests := map[string]string{
		"128 columns":          hostile.TableBomb(128, 500),
		"long paragraph lines": strings.Repeat(strings.Repeat("Voir [la page](https://example.fr/a) et [[club/a]]. ", 200)+"\n\n", 100),
		"definitions":          "[a]: /u\n[b]: /v \"titre\"\n\n[a] et [b]\n",
		"1000 footnotes":       hostile.FootnoteMany(13000),
		"a long list of lists": strings.Repeat("- Étape à suivre pour l'ENT\n  - détail\n    > citation\n", 10000),
	}
	r := render.New(render.Options{})
	for name, src := range tests {
		t.Run(name, func(t *testing.T) {
			if _, err := r.Render(context.Background(), []byte(src), testOptions()); err != nil {
				t.Fatalf("Render: %v", err)
			}
		})
	}
}

// TestRenderer_Render_lineOfLimit checks that a refusal names the line of
// the page, front matter included.
func TestRenderer_Render_lineOfLimit(t *testing.T) {
	src := "---\ntitle: x\n---\n# Titre\n\nTexte.\n\n" + hostile.TableBomb(200, 2)
	_, err := render.New(render.Options{}).Render(context.Background(), []byte(src), testOptions())
	var le *wiki.LimitError
	if !errors.As(err, &le) || le.Line != 9 {
		t.Fatalf("err = %v, want a LimitError on line 9", err)
	}
}

func htmlLen(out *wiki.Rendered) int {
	if out == nil {
		return 0
	}
	return len(out.HTML)
}

// allocated returns the bytes f allocated.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// TestRenderer_Render_punctuation renders every ASCII punctuation character
// repeated, alone and spaced: each page renders or is refused for a bound,
// and none costs more than a bounded amount of memory. The pages are
// boundScale times smaller than 256 KiB, against bounds and a memory
// allowance boundScale times lower (scaledRenderer).
func TestRenderer_Render_punctuation(t *testing.T) {
	r := scaledRenderer()
	for name, src := range punctuation(256 << 10 / boundScale) {
		t.Run(name, func(t *testing.T) {
			var err error
			alloc := allocated(func() {
				_, err = r.Render(context.Background(), []byte(src), testOptions())
			})
			var le *wiki.LimitError
			if err != nil && !errors.As(err, &le) {
				t.Fatalf("err = %v, want none or a bound", err)
			}
			if alloc > 64<<20/boundScale && !race {
				t.Errorf("allocated %d KiB for %d KiB", alloc>>10, len(src)>>10)
			}
		})
	}
}

// BenchmarkRenderer_Render_bombs measures what refusing each hostile page
// costs (issue 7: the 3,000 × 3,000 table took 9 s and 3.3 GB, 2 MB of
// "[a](<" 187 s).
func BenchmarkRenderer_Render_bombs(b *testing.B) {
	pages := bombs(2 << 20)
	pages["table 5000x5000"] = hostile.TableBomb(5000, 5000)
	pages["table 3000x3000"] = hostile.TableBomb(3000, 3000)
	pages["table 2000x2000"] = hostile.TableBomb(2000, 2000)
	pages["open destinations 400 KB"] = hostile.OpenLinks(400 << 10)
	r := render.New(render.Options{})
	for name, src := range pages {
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(src)))
			b.ReportAllocs()
			for b.Loop() {
				_, _ = r.Render(context.Background(), []byte(src), testOptions())
			}
		})
	}
}
