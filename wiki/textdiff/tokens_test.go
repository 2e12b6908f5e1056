package textdiff

import (
	"reflect"
	"strings"
	"testing"
)

// tokens returns the tokens of s.
func tokens(s string) []string {
	at := tokenStarts(s)
	out := make([]string, 0, len(at)-1)
	for i := 0; i+1 < len(at); i++ {
		out = append(out, s[at[i]:at[i+1]])
	}
	return out
}

func TestTokenStarts_French(t *testing.T) {
	const decomposed = "e\u0301le\u0300ve" // « élève » with combining accents
	for _, c := range []struct {
		name, in string
		want     []string
	}{
		{"accents", "Les élèves, déjà là.", []string{"Les", " ", "élèves", ",", " ", "déjà", " ", "là", "."}},
		{"decomposed accents", "un " + decomposed + " sage", []string{"un", " ", decomposed, " ", "sage"}},
		{"elision", "l'école d'abord", []string{"l'", "école", " ", "d'", "abord"}},
		{"typographic apostrophe", "L’ENT qu’on aime", []string{"L’", "ENT", " ", "qu’", "on", " ", "aime"}},
		{"elisions of long words", "jusqu'ici lorsqu'il", []string{"jusqu'", "ici", " ", "lorsqu'", "il"}},
		{"apostrophe inside a word", "aujourd'hui", []string{"aujourd'hui"}},
		{"apostrophe as a quote", "'cité' l'", []string{"'", "cité", "'", " ", "l", "'"}},
		{"hyphenated compounds", "peut-être compressez-les k-d'école", []string{"peut-être", " ", "compressez-les", " ", "k-d'école"}},
		{"dash between words", "ENT - portail", []string{"ENT", " ", "-", " ", "portail"}},
		{"trailing hyphen", "mi- temps", []string{"mi", "-", " ", "temps"}},
		{"decimal comma and version", "2,5 % en v2.4, fin.", []string{"2,5", " ", "%", " ", "en", " ", "v2.4", ",", " ", "fin", "."}},
		{"comma after a number", "3, 4", []string{"3", ",", " ", "4"}},
		{"guillemets", "« ENT »", []string{"«", " ", "ENT", " ", "»"}},
		{"non-breaking spaces", "mot\u00a0: fin", []string{"mot", "\u00a0", ":", " ", "fin"}},
		{"Markdown", "**gras** [[lien]]", []string{"*", "*", "gras", "*", "*", " ", "[", "[", "lien", "]", "]"}},
		{"newlines and runs of spaces", "a  \t\n\n b\r\n", []string{"a", "  \t", "\n", "\n", " ", "b", "\r", "\n"}},
		{"invalid UTF-8", "a\xffb\xe9", []string{"a", "\xff", "b", "\xe9"}},
		{"empty", "", []string{}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := tokens(c.in)
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("tokens(%q) = %q, want %q", c.in, got, c.want)
			}
			if strings.Join(got, "") != c.in {
				t.Errorf("tokens do not rebuild %q", c.in)
			}
		})
	}
}
