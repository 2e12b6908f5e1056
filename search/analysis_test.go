package search

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
)

// analyzer returns one of the index's analyzers, as the mapping builds it.
func analyzer(t testing.TB, name string) analysis.Analyzer {
	t.Helper()
	m, err := newMapping()
	if err != nil {
		t.Fatalf("newMapping: %v", err)
	}
	a := m.AnalyzerNamed(name)
	if a == nil {
		t.Fatalf("no analyzer %q", name)
	}
	return a
}

func termsOf(a analysis.Analyzer, s string) []string {
	var out []string
	for _, tok := range a.Analyze([]byte(s)) {
		out = append(out, string(tok.Term))
	}
	return out
}

// sameTerms reports whether a query spelling and a text spelling meet.
func shareTerm(a analysis.Analyzer, query, text string) bool {
	q := termsOf(a, query)
	for _, t := range termsOf(a, text) {
		if slices.Contains(q, t) {
			return true
		}
	}
	return false
}

func TestAnalyzer_French(t *testing.T) {
	t.Parallel()
	a := analyzer(t, textAnalyzer)
	tests := []struct {
		name, query, text string
	}{
		{"case", "ECOLE", "école"},
		{"accent", "acces", "accès"},
		{"accent etat", "etat", "État"},
		{"ligature", "voeux", "vœux"},
		{"circumflex", "role", "rôle"},
		{"cedilla", "francais", "Français"},
		{"elision apostrophe", "ecole", "l'école"},
		{"elision typographic apostrophe", "ecole", "l’école"},
		{"elision d'", "espace", "d’espace"},
		{"elision qu'", "usage", "qu'usage"},
		{"elision jusqu'", "alors", "jusqu’alors"},
		{"elision lorsqu'", "internet", "lorsqu'Internet"},
		{"elision puisqu'", "orleans", "puisqu’Orléans"},
		{"elision n'", "existe", "n'existe"},
		{"elision s'", "inscrire", "s'inscrire"},
		{"elision c'", "ent", "c'ENT"},
		{"elision j'", "ouvre", "j'ouvre"},
		{"elision m'", "appelle", "m’appelle"},
		{"elision t'", "inscris", "t'inscris"},
		{"plural", "pratique", "pratiques"},
		{"plural -aux", "journal", "journaux"},
		{"pedagogie", "pédagogie", "pédagogiques"},
		{"pedagogique unaccented", "pedagogiques", "pédagogie"},
		{"hyphen joined", "elyco", "e-lyco"},
		{"hyphen upper", "entmip", "ENT-MIP"},
		{"hyphen part", "lyco", "e-lyco"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !shareTerm(a, tt.query, tt.text) {
				t.Errorf("%q → %v and %q → %v share no term", tt.query, termsOf(a, tt.query), tt.text, termsOf(a, tt.text))
			}
		})
	}
}

func TestAnalyzer_StopWords(t *testing.T) {
	t.Parallel()
	a := analyzer(t, textAnalyzer)
	for _, s := range []string{"le", "la", "les", "de", "des", "et", "à", "où", "été"} {
		if got := termsOf(a, s); len(got) != 0 {
			t.Errorf("%q → %v, want a stop word", s, got)
		}
	}
}

func TestAnalyzer_OffsetsKept(t *testing.T) {
	t.Parallel()
	a := analyzer(t, textAnalyzer)
	in := "Vœux à l’École ENT-MIP"
	for _, tok := range a.Analyze([]byte(in)) {
		word := in[tok.Start:tok.End]
		switch string(tok.Term) {
		case "voeu":
			wantWord(t, word, "Vœux")
		case "ecol":
			wantWord(t, word, "l’École")
		case "entmip":
			wantWord(t, word, "ENT-MIP")
		}
	}
}

func wantWord(t *testing.T, got, want string) {
	t.Helper()
	if got != want {
		t.Errorf("token covers %q, want %q", got, want)
	}
}

func TestAnalyzer_Prefix(t *testing.T) {
	t.Parallel()
	a := analyzer(t, prefixAnalyze)
	got := termsOf(a, "Les Pédagogiques d'État e-lyco")
	want := []string{"les", "pedagogiques", "etat", "e", "lyco", "elyco"}
	if !slices.Equal(got, want) {
		t.Errorf("prefix terms = %v, want %v (folded, unstemmed, stop words kept)", got, want)
	}
}

func TestAnalyzer_Keyword(t *testing.T) {
	t.Parallel()
	a := analyzer(t, keyAnalyzer)
	for _, in := range []string{"E-lyco", "elyco", "e lyco", " ÉLYCO "} {
		if got := termsOf(a, in); !slices.Equal(got, []string{"elyco"}) {
			t.Errorf("%q → %v, want [elyco]", in, got)
		}
	}
	if got, want := KeyOf("Résolu"), "resolu"; got != want {
		t.Errorf("KeyOf = %q, want %q", got, want)
	}
}

func TestFold(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"Pédag": "pedag", "VŒUX": "voeux", "Straße": "strasse", "ça": "ca", "naïf": "naif", "abc": "abc",
	} {
		if got := Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestAnalyzer_LongWordsCut(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("ab", 25000)        // a 50,000-letter "word", as pasted data
	accented := strings.Repeat("é", 150) + "z" // two bytes a letter, cut on a letter
	for _, name := range []string{textAnalyzer, prefixAnalyze, keyAnalyzer} {
		t.Run(name, func(t *testing.T) {
			a := analyzer(t, name)
			for _, word := range []string{long, accented} {
				// The keyword analyzer takes the whole value as one term.
				input, text := "avant "+word+" après", "texte "+word
				if name == keyAnalyzer {
					input, text = word, word
				}
				var cut string
				for _, term := range termsOf(a, input) {
					if n := utf8.RuneCountInString(term); n > maxTermRunes {
						t.Errorf("a term of %d runes, want at most %d", n, maxTermRunes)
					}
					if !utf8.ValidString(term) {
						t.Errorf("term %q is not valid UTF-8", term)
					}
					if len(term) > len(cut) {
						cut = term
					}
				}
				if utf8.RuneCountInString(cut) != maxTermRunes {
					t.Errorf("longest term has %d runes, want the word cut at %d", utf8.RuneCountInString(cut), maxTermRunes)
				}
				// The same word typed in a query meets the indexed one.
				if !shareTerm(a, word, text) {
					t.Errorf("the long word typed in a query does not meet the indexed one")
				}
			}
		})
	}
	if got := termsOf(analyzer(t, prefixAnalyze), "anticonstitutionnellement"); !slices.Equal(got, []string{"anticonstitutionnellement"}) {
		t.Errorf("the longest French word was cut: %q", got)
	}
	if got := KeyOf(long); len(got) != maxTermRunes {
		t.Errorf("KeyOf of a long value: %d bytes, want %d", len(got), maxTermRunes)
	}
	if got := prefixTerm(accented); utf8.RuneCountInString(got) != maxTermRunes || !utf8.ValidString(got) {
		t.Errorf("prefixTerm of a long word: %d runes, want %d", utf8.RuneCountInString(got), maxTermRunes)
	}
}
