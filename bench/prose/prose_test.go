package prose

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestLineSentences(t *testing.T) {
	for _, tc := range []struct {
		name, line string
		want       []string
	}{
		{"prose", "Les parents reçoivent une notification dès la saisie. Elle arrive aussi sur le téléphone des élèves.",
			[]string{"Les parents reçoivent une notification dès la saisie.", "Elle arrive aussi sur le téléphone des élèves."}},
		{"heading", "## Une section du guide de l'établissement scolaire", nil},
		{"table row", "| e-lyco | 2.4 | résolu | une ligne de tableau assez longue |", nil},
		{"link", "Voir la page [connexion](https://exemple.fr) pour la marche à suivre complète.", nil},
		{"short", "Trop court.", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := lineSentences(tc.line); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("lineSentences(%q) = %q, want %q", tc.line, got, tc.want)
			}
		})
	}
}

func TestSentences(t *testing.T) {
	dir := t.TempDir()
	line := "L'établissement a ouvert l'ENT aux familles dès la rentrée scolaire.\n"
	if err := os.WriteFile(filepath.Join(dir, "a.md"), []byte(strings.Repeat(line, 120)), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "b.txt"), []byte(strings.Repeat(line, 500)), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := Sentences(dir)
	if err != nil || len(got) != 120 {
		t.Fatalf("Sentences = %d sentences, %v; want the 120 of a.md", len(got), err)
	}
	if _, err := Sentences(t.TempDir()); err == nil {
		t.Error("an empty folder gave no error")
	}
}
