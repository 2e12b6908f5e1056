package web

import (
	"strings"
	"testing"

	"github.com/kdecole-club/clubwiki/wiki"
)

func TestLinkWords(t *testing.T) {
	from, _ := wiki.ParsePath("assistance/accueil")
	target, _ := wiki.ParsePath("assistance/probleme-de-connexion-a-l-ent")
	tests := []struct{ name, md, want string }{
		{"relative", "Voir [[Problème de connexion à l'ENT]].", "Problème de connexion à l'ENT"},
		{"with namespace and anchor", "[[assistance/Problème de connexion à l'ENT#Cause|la cause]]", "Problème de connexion à l'ENT"},
		{"slug with a label", "[[probleme-de-connexion-a-l-ent|Connexion à l'ENT]]", "Connexion à l'ENT"},
		{"slug alone", "[[assistance/probleme-de-connexion-a-l-ent]]", ""},
		{"another page first", "[[Autre page]] puis [[Problème de connexion à l'ENT]]", "Problème de connexion à l'ENT"},
		{"not closed on its line", "[[Problème de connexion\nà l'ENT]]", ""},
		{"none", "Pas de lien.", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := linkWords(tt.md, from, target); got != tt.want {
				t.Errorf("linkWords = %q, want %q", got, tt.want)
			}
		})
	}
}

func FuzzLinkWords(f *testing.F) {
	from, _ := wiki.ParsePath("assistance/accueil")
	target, _ := wiki.ParsePath("assistance/probleme-de-connexion-a-l-ent")
	f.Add("Voir [[Problème de connexion à l'ENT|x]] [[")
	f.Add("[[[[]]]]")
	f.Fuzz(func(t *testing.T, md string) {
		got := linkWords(md, from, target)
		if got != "" && !strings.Contains(md, got) {
			t.Errorf("linkWords(%q) = %q, not from the text", md, got)
		}
	})
}
