package wiki_test

import (
	"strings"
	"testing"

	"github.com/kdecole-club/clubwiki/wiki"
)

func TestResolveConflicts(t *testing.T) {
	conflict := "# Connexion\n\n<<<<<<< yours\nPhrase de Karim.\n=======\nPhrase de Marie.\n>>>>>>> revision 2\nSuite commune.\n<<<<<<< yours\n=======\nAjout de Marie.\n>>>>>>> revision 2\n"
	tests := []struct {
		name    string
		md      string
		keep    wiki.Resolution
		want    string
		regions int
		ok      bool
	}{
		{"keep both", conflict, wiki.KeepBoth, "# Connexion\n\nPhrase de Karim.\nPhrase de Marie.\nSuite commune.\nAjout de Marie.\n", 2, true},
		{"keep mine", conflict, wiki.KeepMine, "# Connexion\n\nPhrase de Karim.\nSuite commune.\n", 2, true},
		{"browser line endings", strings.ReplaceAll(conflict, "\n", "\r\n"), wiki.KeepBoth, "# Connexion\n\nPhrase de Karim.\nPhrase de Marie.\nSuite commune.\nAjout de Marie.\n", 2, true},
		{"no markers", "# Titre\n\n=======\n", wiki.KeepMine, "# Titre\n\n=======\n", 0, true},
		{"region not closed", "<<<<<<< yours\na\n=======\nb\n", wiki.KeepMine, "", 0, false},
		{"closing without opening", "a\n>>>>>>> revision 3\n", wiki.KeepMine, "", 0, false},
		{"nested opening", "<<<<<<< yours\n<<<<<<< yours\n", wiki.KeepBoth, "", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := wiki.ResolveConflicts(tt.md, tt.keep)
			if ok != tt.ok || got != tt.want {
				t.Errorf("ResolveConflicts = %q, %v; want %q, %v", got, ok, tt.want, tt.ok)
			}
			if n, ok := wiki.ConflictRegions(tt.md); ok != tt.ok || (ok && n != tt.regions) {
				t.Errorf("ConflictRegions = %d, %v; want %d, %v", n, ok, tt.regions, tt.ok)
			}
		})
	}
}

// FuzzResolveConflicts checks that keeping both sides loses no line: the
// result has every line of the text but the marker lines.
func FuzzResolveConflicts(f *testing.F) {
	f.Add("<<<<<<< yours\na\n=======\nb\n>>>>>>> revision 2\nc\n")
	f.Add("x\n=======\ny")
	f.Fuzz(func(t *testing.T, md string) {
		out, ok := wiki.ResolveConflicts(md, wiki.KeepBoth)
		if !ok {
			return
		}
		if got, want := textLines(out), textLines(md); got != want {
			t.Errorf("%d lines kept of %d: %q -> %q", got, want, md, out)
		}
	})
}

// textLines counts the lines of md that are not conflict markers.
func textLines(md string) int {
	n := 0
	for line := range strings.Lines(strings.ReplaceAll(md, "\r\n", "\n")) {
		bare := strings.TrimRight(line, "\n")
		if bare != "<<<<<<< yours" && bare != "=======" && !strings.HasPrefix(bare, ">>>>>>> revision ") {
			n++
		}
	}
	return n
}
