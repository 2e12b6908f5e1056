package search

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzSnippet checks that whatever the text and the token offsets, a
// snippet is valid UTF-8, marks only whole spans of the text and never
// leaves a <mark> open.
func FuzzSnippet(f *testing.F) {
	f.Add("Les élèves de l’école n’arrivent pas à se connecter à e-lyco.", 15, 24, 50, 56)
	f.Add("vœux rôle état", 0, 6, 7, 12)
	f.Add(strings.Repeat("é", 200)+" mot "+strings.Repeat("œ", 200), 401, 404, 0, 1)
	f.Fuzz(func(t *testing.T, text string, s1, e1, s2, e2 int) {
		if !utf8.ValidString(text) {
			return // stored text is always valid UTF-8
		}
		sn := snippet(text, []span{{s1, e1}, {s2, e2}}, snippetBytes)
		if !utf8.ValidString(sn) {
			t.Fatalf("snippet is not valid UTF-8: %q", sn)
		}
		if strings.Count(sn, "<mark>") != strings.Count(sn, "</mark>") {
			t.Fatalf("unbalanced marks: %q", sn)
		}
	})
}
