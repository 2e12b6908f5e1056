package wiki_test

import (
	"testing"

	"github.com/kdecole-club/clubwiki/wiki"
)

func TestTitleKey(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"case folded", "Accès à l'ENT", "accès à l'ent"},
		{"blanks trimmed and collapsed", "  Accès \t à  l'ENT \n", "accès à l'ent"},
		{"NFD composed", "Acce\u0300s", "accès"},
		{"accents count", "Acces", "acces"},
		{"only blanks", " \t ", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := wiki.TitleKey(tt.in); got != tt.want {
				t.Errorf("TitleKey(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
