package wiki_test

import (
	"reflect"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/kdecole-club/clubwiki/wiki"
)

func TestParseQueryText_Spans(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string // each part as typed, in order
	}{
		{"words and filters", "connexion ns:assistance ENT", []string{"connexion", "ns:assistance", "ENT"}},
		{"quoted value with a space", `auteur:"Marie Blanchard" messagerie`, []string{`auteur:"Marie Blanchard"`, "messagerie"}},
		{"accents", `tag:"mise à jour" élève  "pièce  jointe"`, []string{`tag:"mise à jour"`, "élève", `"pièce  jointe"`}},
		{"negations", "-status:resolu -spam", []string{"-status:resolu", "-spam"}},
		{"dates", "depuis:2026-01-01 avant:2026-03", []string{"depuis:2026-01-01", "avant:2026-03"}},
		{"not a filter", "depuis:hier https://ent.fr", []string{"depuis:hier", "https://ent.fr"}},
		{"stray quote goes with its part", `ns:x"foo bar"`, []string{`ns:x"`, "foo", `bar"`}},
		{"unbalanced quote", `"connexion ENT`, []string{`"connexion`, "ENT"}},
		{"empty parts are not parts", `a "" - b`, []string{"a", "b"}},
		{"invalid bytes", "a\xff\xfeb ns:x\xff", []string{"a", "b", "ns:x"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			qt := wiki.ParseQueryText(tt.in)
			var got []string
			for _, p := range qt.Parts {
				got = append(got, tt.in[p.Span.Start:p.Span.End])
				if qt.Typed(p) != got[len(got)-1] {
					t.Errorf("Typed(%+v) = %q", p, qt.Typed(p))
				}
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("parts of %q as typed = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
	t.Run("long query", func(t *testing.T) {
		in := strings.Repeat("é", 600) + " ns:assistance"
		qt := wiki.ParseQueryText(in)
		if len(qt.Parts) != 1 || qt.Parts[0].Span != (wiki.Span{Start: 0, End: 1000}) || qt.Parts[0].Value != strings.Repeat("é", 500)+"…" {
			t.Errorf("a query cut at 1000 bytes: %+v", qt.Parts)
		}
	})
	t.Run("cut between parts", func(t *testing.T) {
		qt := wiki.ParseQueryText(strings.Repeat("a", 999) + " ns:assistance")
		if len(qt.Parts) != 2 || qt.Parts[0].Span != (wiki.Span{Start: 0, End: 999}) || qt.Parts[1].Span != (wiki.Span{Start: 1000, End: 1000}) || qt.Parts[1].Value != "…" {
			t.Errorf("a query cut after a space: %+v", qt.Parts)
		}
	})
	t.Run("long query with invalid bytes", func(t *testing.T) {
		in := "\xff" + strings.Repeat("é", 600) + " ns:assistance"
		qt := wiki.ParseQueryText(in)
		if len(qt.Parts) != 1 || qt.Parts[0].Span != (wiki.Span{Start: 1, End: 999}) || qt.Parts[0].Value != strings.Repeat("é", 499)+"…" {
			t.Errorf("a query cut at 1000 bytes: %+v", qt.Parts)
		}
	})
}

func TestParseQueryText_Filters(t *testing.T) {
	qt := wiki.ParseQueryText(`mot ns:assistance "une phrase" auteur:"Marie Blanchard" http://exemple.fr -type:x depuis:2026-01`)
	var got []string
	for _, p := range qt.Filters() {
		got = append(got, qt.Typed(p))
	}
	if want := []string{"ns:assistance", `auteur:"Marie Blanchard"`, "-type:x", "depuis:2026-01"}; !reflect.DeepEqual(got, want) {
		t.Errorf("filters = %q, want %q", got, want)
	}
	f := qt.Filters()
	if f[1].Filter != (wiki.Filter{Field: wiki.FieldAuthor, Value: "Marie Blanchard"}) || !f[2].Filter.Not || f[3].Kind != wiki.PartSince || f[3].Day.Month() != 1 {
		t.Errorf("filters read as %+v", f)
	}
}

func TestQueryText_Without(t *testing.T) {
	in := `mot  ns:assistance "une  phrase" auteur:"Marie Blanchard" élève -type:x`
	qt := wiki.ParseQueryText(in)
	f := qt.Filters()
	tests := []struct {
		name  string
		parts []wiki.QueryPart
		want  string
	}{
		{"first filter", f[:1], `mot "une  phrase" auteur:"Marie Blanchard" élève -type:x`},
		{"quoted filter", f[1:2], `mot  ns:assistance "une  phrase" élève -type:x`},
		{"last part", f[2:3], `mot  ns:assistance "une  phrase" auteur:"Marie Blanchard" élève`},
		{"every filter", f, `mot "une  phrase" élève`},
		{"first word", qt.Parts[:1], `ns:assistance "une  phrase" auteur:"Marie Blanchard" élève -type:x`},
		{"nothing", nil, in},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := qt.Without(tt.parts...); got != tt.want {
				t.Errorf("Without = %q\nwant      %q", got, tt.want)
			}
		})
	}
	t.Run("the rest reads the same", func(t *testing.T) {
		rest := wiki.ParseQuery(qt.Without(f[1]))
		all := qt.Query()
		all.Filters = append(all.Filters[:1], all.Filters[2:]...)
		if !reflect.DeepEqual(rest, all) {
			t.Errorf("without auteur: %+v, want %+v", rest, all)
		}
	})
	t.Run("a stray quote leaves with its filter", func(t *testing.T) {
		qt := wiki.ParseQueryText(`ns:x"foo bar"`)
		if got := wiki.ParseQuery(qt.Without(qt.Filters()...)); !reflect.DeepEqual(got.Words, []string{"foo", "bar"}) || len(got.Phrases) > 0 {
			t.Errorf("without ns:x\": %+v", got)
		}
	})
}

// checkSpans fails unless the parts of s lie in s in order, apart, each
// its text as typed with no space around.
func checkSpans(t *testing.T, s string, qt wiki.QueryText) {
	t.Helper()
	last := 0
	for _, p := range qt.Parts {
		empty := p.Span.End == p.Span.Start && p.Value == "…" // the cut, between parts
		if p.Span.Start < last || p.Span.End <= p.Span.Start && !empty || p.Span.End > len(s) {
			t.Fatalf("ParseQueryText(%q): span %+v after %d, out of order or out of bounds", s, p.Span, last)
		}
		last = p.Span.End
		typed := qt.Typed(p)
		if r, _ := utf8.DecodeRuneInString(typed); unicode.IsSpace(r) {
			t.Fatalf("ParseQueryText(%q): part %q starts with a space", s, typed)
		}
		if r, _ := utf8.DecodeLastRuneInString(typed); unicode.IsSpace(r) {
			t.Fatalf("ParseQueryText(%q): part %q ends with a space", s, typed)
		}
	}
}

// checkRemoval fails unless cutting a filter out of s leaves the other
// filters read as before, when the query is small enough that no bound of
// the parser decides what is kept.
func checkRemoval(t *testing.T, s string, qt wiki.QueryText) {
	t.Helper()
	if len(s) > 500 || len(strings.Fields(s)) > 12 {
		return
	}
	filters := qt.Filters()
	for i, p := range filters {
		if alone := wiki.ParseQueryText(qt.Typed(p)).Parts; len(alone) != 1 || alone[0].Filter != p.Filter || alone[0].Kind != p.Kind {
			t.Fatalf("ParseQueryText(%q): filter %q alone reads as %+v, not %+v", s, qt.Typed(p), alone, p)
		}
		rest := wiki.ParseQueryText(qt.Without(p)).Filters()
		want := append(append([]wiki.QueryPart{}, filters[:i]...), filters[i+1:]...)
		if len(rest) != len(want) {
			t.Fatalf("ParseQueryText(%q) without %q: filters %+v, want %+v", s, qt.Typed(p), rest, want)
		}
		for j := range rest {
			if rest[j].Filter != want[j].Filter || rest[j].Kind != want[j].Kind || !rest[j].Day.Equal(want[j].Day) {
				t.Fatalf("ParseQueryText(%q) without %q: filter %+v, want %+v", s, qt.Typed(p), rest[j], want[j])
			}
		}
	}
}
