package wiki_test

import (
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/kdecole-club/clubwiki/wiki"
)

func TestParseQuery(t *testing.T) {
	day := func(s string) time.Time { d, _ := time.Parse("2006-01-02", s); return d }
	tests := []struct {
		name, in string
		want     wiki.Query
	}{
		{"words", "  connexion  ENT ", wiki.Query{Words: []string{"connexion", "ENT"}}},
		{"phrase", `"mot de passe" oublié`, wiki.Query{Words: []string{"oublié"}, Phrases: []string{"mot de passe"}}},
		{"exclusion", "messagerie -spam", wiki.Query{Words: []string{"messagerie"}, Exclude: []string{"spam"}}},
		{"excluded phrase", `-"pièce jointe"`, wiki.Query{Exclude: []string{"pièce jointe"}}},
		{"negated filter", "connexion -status:resolu", wiki.Query{Words: []string{"connexion"}, Filters: []wiki.Filter{{Field: wiki.FieldStatus, Value: "resolu", Not: true}}}},
		{"hyphenated word is not an exclusion", "e-lyco", wiki.Query{Words: []string{"e-lyco"}}},
		{"prefix", "pédag*", wiki.Query{Prefixes: []string{"pédag"}}},
		{"one-letter prefix is a word", "p*", wiki.Query{Words: []string{"p*"}}},
		{"two-letter prefix is a word", "pr* la*", wiki.Query{Words: []string{"pr*", "la*"}}},
		{"three-letter prefix", "pro*", wiki.Query{Prefixes: []string{"pro"}}},
		{"filters", "ns:assistance type:resolution status:resolu projet:e-lyco tag:cdt auteur:marie",
			wiki.Query{Filters: []wiki.Filter{
				{Field: wiki.FieldNamespace, Value: "assistance"}, {Field: wiki.FieldType, Value: "resolution"},
				{Field: wiki.FieldStatus, Value: "resolu"}, {Field: wiki.FieldProjects, Value: "e-lyco"},
				{Field: wiki.FieldTags, Value: "cdt"}, {Field: wiki.FieldAuthor, Value: "marie"}}}},
		{"quoted filter value", `tag:"mot de passe"`, wiki.Query{Filters: []wiki.Filter{{Field: wiki.FieldTags, Value: "mot de passe"}}}},
		{"front-matter filter", "kdecole_version:5.2", wiki.Query{Filters: []wiki.Filter{{Field: "meta.kdecole_version", Value: "5.2"}}}},
		{"dates", "depuis:2026-01-01 avant:2026-03", wiki.Query{Since: day("2026-01-01"), Before: day("2026-03-01")}},
		{"bad date is words", "depuis:hier", wiki.Query{Words: []string{"depuis", "hier"}}},
		{"negated date is an exclusion", "-depuis:2026-01-01", wiki.Query{Exclude: []string{"depuis 2026-01-01"}}},
		{"url is words", "https://ent.fr", wiki.Query{Words: []string{"https://ent.fr"}}},
		{"empty value is words", "ns:", wiki.Query{Words: []string{"ns:"}}},
		{"unbalanced quote", `"connexion ENT`, wiki.Query{Words: []string{"connexion", "ENT"}}},
		{"lone dash", "-", wiki.Query{Words: []string{"-"}}},
		{"empty", "   ", wiki.Query{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := wiki.ParseQuery(tt.in); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("ParseQuery(%q) =\n %+v\nwant\n %+v", tt.in, got, tt.want)
			}
		})
	}
}

func TestParseQuery_Bounds(t *testing.T) {
	q := wiki.ParseQuery(strings.Repeat("mot ", 500))
	if len(q.Words) > 32 {
		t.Errorf("%d words kept", len(q.Words))
	}
	phrase := wiki.ParseQuery(`"` + strings.Repeat("mot ", 200) + `"`)
	if n := countWords(phrase); n > wiki.MaxQueryWords {
		t.Errorf("a quoted phrase of 200 words kept %d words", n)
	}
	mixed := wiki.ParseQuery(strings.Repeat("mot ", 20) + `-"` + strings.Repeat("spam ", 30) + `"`)
	if n := countWords(mixed); n != wiki.MaxQueryWords || len(mixed.Exclude) != 1 {
		t.Errorf("20 words and an excluded phrase of 30 kept %d words, exclusions %q", n, mixed.Exclude)
	}
	long := wiki.ParseQuery(strings.Repeat("é", 5000))
	if len(long.Words) != 1 || len(long.Words[0]) > 1000+len("…") || !utf8.ValidString(long.Words[0]) {
		t.Errorf("a 10 000-byte word kept as %d words of %d bytes", len(long.Words), len(strings.Join(long.Words, "")))
	}
}

func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{`"a b" -c d* ns:x depuis:2026-01-01`, `-"`, `tag:"`, "a:b:c", "\xff\xfe", `""""`, "-:x", "é-è*",
		`auteur:"Marie Blanchard" -ns:assistance`, `ns:x"foo bar"`, "a\xffns:b\xfe tag:c", "- tag:x",
		strings.Repeat("a", 999) + " tag:x", "\xff" + strings.Repeat("é", 600)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q := wiki.ParseQuery(s)
		all := append(append(append(append([]string{}, q.Words...), q.Prefixes...), q.Phrases...), q.Exclude...)
		for _, fl := range q.Filters {
			all = append(all, fl.Field, fl.Value)
		}
		for _, part := range all {
			if part == "" || !utf8.ValidString(part) {
				t.Fatalf("ParseQuery(%q) gave an empty or invalid part %q: %+v", s, part, q)
			}
		}
		if n := len(q.Words) + len(q.Prefixes) + len(q.Phrases) + len(q.Exclude) + len(q.Filters); n > 32*8 {
			t.Fatalf("%d parts", n)
		}
		if n := countWords(q); n > wiki.MaxQueryWords {
			t.Fatalf("ParseQuery(%q) kept %d words", s, n)
		}
		qt := wiki.ParseQueryText(s)
		checkSpans(t, s, qt)
		checkRemoval(t, s, qt)
	})
}

// countWords counts the words a query searches for, inside phrases and
// exclusions too.
func countWords(q wiki.Query) int {
	n := len(q.Words) + len(q.Prefixes)
	for _, ph := range append(append([]string{}, q.Phrases...), q.Exclude...) {
		n += len(strings.Fields(ph))
	}
	return n
}

func BenchmarkParseQuery(b *testing.B) {
	for name, q := range map[string]string{
		"typical": `connexion "mot de passe" -spam ns:assistance auteur:"Marie Blanchard" depuis:2026-01 pédag*`,
		"long":    strings.Repeat("connexion élève ", 70),
	} {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				wiki.ParseQuery(q)
			}
		})
	}
}
