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

func TestCutBytes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		s    string
		n    int
		want string
	}{
		{"short", "abc", 5, "abc"},
		{"ascii", "abcdef", 3, "abc"},
		{"inside a rune", "aé", 2, "a"},
		{"after a rune", "aéb", 3, "aé"},
		{"inside a long rune", "a€", 3, "a"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := cutBytes(tt.s, tt.n)
			if got != tt.want || !utf8.ValidString(got) {
				t.Errorf("cutBytes(%q, %d) = %q, want %q", tt.s, tt.n, got, tt.want)
			}
		})
	}
}
