package render_test

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/kdecole-club/clubwiki/render"
	"github.com/kdecole-club/clubwiki/wiki"
)

// The generators below build the hostile pages of issue 7 (points 4 and 5):
// inputs whose rendering once grew much faster than their size. They are
// generated rather than committed, and sized by the caller.

// tableBomb is a table with cols header columns and rows one-cell rows:
// goldmark pads every row to the header's width, so rows×cols cells.
func tableBomb(cols, rows int) string {
	var b strings.Builder
	b.Grow(4*cols + 4*rows)
	b.WriteString(strings.Repeat("|a", cols) + "|\n")
	b.WriteString(strings.Repeat("|-", cols) + "|\n")
	b.WriteString(strings.Repeat("|a\n", rows))
	return b.String()
}

// repeatTo repeats unit until the result holds n bytes or more.
func repeatTo(unit string, n int) string {
	return strings.Repeat(unit, (n+len(unit)-1)/len(unit))
}

// openDestinations is "[a](<" repeated on one line: each "](" made goldmark
// scan the rest of the line for a ">".
func openDestinations(n int) string { return repeatTo("[a](<", n) }

// linkDefinitions is a paragraph of n bytes of link reference definitions:
// goldmark removed each one from the paragraph by copying the lines after it.
func linkDefinitions(n int) string { return repeatTo("[a]: /u\n", n) }

// footnoteRefs is one footnote referenced over and over: each reference
// writes a link and a back link of about 70 bytes for 4 bytes of input.
func footnoteRefs(n int) string { return "[^1]: note\n\n" + repeatTo("[^1]", n) }

// footnoteMany is many footnotes, each referenced: goldmark looks every
// reference up in the list of definitions.
func footnoteMany(n int) string {
	var defs, refs strings.Builder
	for i := 0; defs.Len()+refs.Len() < n; i++ {
		fmt.Fprintf(&defs, "[^%d]: x\n", i)
		fmt.Fprintf(&refs, "[^%d]", i)
	}
	return refs.String() + "\n\n" + defs.String()
}

// nestedLabels is n/2 "[" then n/2 "]": every "]" copied the label between
// it and its "[", which grows by two bytes each time.
func nestedLabels(n int) string { return strings.Repeat("[", n/2) + strings.Repeat("]", n/2) }

// openParens is "[a](x" repeated: each destination ran to the end of the
// line.
func openParens(n int) string { return repeatTo("[a](x", n) }

// escapedPipes is a table whose cells hold code spans with escaped pipes:
// goldmark matched every such cell against every other.
func escapedPipes(n int) string {
	return "| a |\n|---|\n" + repeatTo("| `x\\|y` |\n", n)
}

// bombs returns every hostile page at about n bytes, by name.
func bombs(n int) map[string]string {
	return map[string]string{
		"open destinations": openDestinations(n),
		"open parens":       openParens(n),
		"link definitions":  linkDefinitions(n),
		"footnote refs":     footnoteRefs(n),
		"many footnotes":    footnoteMany(n),
		"nested labels":     nestedLabels(n),
		"escaped pipes":     escapedPipes(n),
		"mixed":             tableBomb(100, 100) + "\n\n" + openDestinations(n/4) + "\n\n" + linkDefinitions(n/4) + "\n" + footnoteRefs(n/4),
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

// TestRenderer_Render_limits renders every hostile page of issue 7 and
// checks that it is refused with the bound it goes past, naming it, within
// a bounded amount of memory. Before the bounds these pages took from
// seconds to minutes and up to gigabytes (or the server died).
func TestRenderer_Render_limits(t *testing.T) {
	tests := []struct {
		name, src, limit, msg string
	}{
		{"table 5000x5000", tableBomb(5000, 5000), wiki.LimitTableColumns, "5000 columns; at most 128"},
		{"table 3000x3000", tableBomb(3000, 3000), wiki.LimitTableColumns, "3000 columns"},
		{"table 2000x2000", tableBomb(2000, 2000), wiki.LimitTableColumns, "2000 columns"},
		{"table 100x2000", tableBomb(100, 2000), wiki.LimitTableCells, "cells"},
		{"escaped pipes", escapedPipes(128 << 10), wiki.LimitTablePipes, "escaped pipes"},
		{"open destinations 400 KB", openDestinations(400 << 10), wiki.LimitLinks, "link syntax"},
		{"open destinations 2 MB", openDestinations(2 << 20), wiki.LimitLinks, "link syntax"},
		{"open parens 2 MB", openParens(2 << 20), wiki.LimitLinks, "link syntax"},
		{"nested labels 2 MB", nestedLabels(2 << 20), wiki.LimitLinks, "link syntax"},
		{"link definitions 2 MB", linkDefinitions(2 << 20), wiki.LimitLines, "lines"},
		{"link definitions 1 MB", linkDefinitions(1 << 20), wiki.LimitLinkDefinitions, "link reference definitions"},
		{"footnote refs 2 MB", footnoteRefs(2 << 20), wiki.LimitFootnoteRefs, "footnote references"},
		{"many footnotes 2 MB", footnoteMany(2 << 20), wiki.LimitFootnotes, "footnotes"},
		{"emphasis 2 MB", repeatTo("*_", 2<<20), wiki.LimitInline, "inline elements"},
		{"headings", repeatTo("# a\n", 128<<10), wiki.LimitHeadings, "headings"},
		{"HTML 2 MB", repeatTo("<", 2<<20), wiki.LimitHTML, "MiB of HTML"},
		{"mixed", bombs(2 << 20)["mixed"], "", ""}, // whichever comes first
	}
	r := render.New(render.Options{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
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
			// Generous: the page itself is up to 2 MiB; before the
			// bounds these took from 400 MB to more than 6 GB.
			if alloc > 256<<20 && !race {
				t.Errorf("allocated %d MiB", alloc>>20)
			}
		})
	}
}

// TestRenderer_Render_withinLimits checks that pages just inside the bounds
// still render.
func TestRenderer_Render_withinLimits(t *testing.T) {
	tests := map[string]string{
		"128 columns":          tableBomb(128, 500),
		"long paragraph lines": strings.Repeat(strings.Repeat("Voir [la page](https://example.fr/a) et [[club/a]]. ", 200)+"\n\n", 100),
		"definitions":          "[a]: /u\n[b]: /v \"titre\"\n\n[a] et [b]\n",
		"1000 footnotes":       footnoteMany(13000),
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
	src := "---\ntitle: x\n---\n# Titre\n\nTexte.\n\n" + tableBomb(200, 2)
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
// and none costs more than a bounded amount of memory.
func TestRenderer_Render_punctuation(t *testing.T) {
	r := render.New(render.Options{})
	for name, src := range punctuation(256 << 10) {
		t.Run(name, func(t *testing.T) {
			var err error
			alloc := allocated(func() {
				_, err = r.Render(context.Background(), []byte(src), testOptions())
			})
			var le *wiki.LimitError
			if err != nil && !errors.As(err, &le) {
				t.Fatalf("err = %v, want none or a bound", err)
			}
			if alloc > 64<<20 && !race {
				t.Errorf("allocated %d MiB for 256 KiB", alloc>>20)
			}
		})
	}
}

// BenchmarkRenderer_Render_bombs measures what refusing each hostile page
// costs (issue 7: the 3,000 × 3,000 table took 9 s and 3.3 GB, 2 MB of
// "[a](<" 187 s).
func BenchmarkRenderer_Render_bombs(b *testing.B) {
	pages := bombs(2 << 20)
	pages["table 5000x5000"] = tableBomb(5000, 5000)
	pages["table 3000x3000"] = tableBomb(3000, 3000)
	pages["table 2000x2000"] = tableBomb(2000, 2000)
	pages["open destinations 400 KB"] = openDestinations(400 << 10)
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
