package search

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/kdecole-club/clubwiki/wiki"
)

// A page holding a pasted blob (here a 50,000-letter "word") is indexed
// with that word cut: no term of any field is longer than maxTermRunes,
// and the word, typed whole or as a prefix, still finds the page.
func TestIndex_LongWordCut(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	blob := strings.Repeat("qz", 25000)
	e.save("usages/donnees-brutes", "# Données brutes "+blob+"\n\n## Chaîne "+blob+"\n\nLa chaîne suivante : "+blob+" fin.\n")
	e.save("usages/autre", "# Autre page\n\nRien de long ici.\n")
	e.sync()

	b := e.idx.bleve.b
	fields, err := b.Fields()
	if err != nil {
		t.Fatal(err)
	}
	longest := 0
	for _, f := range fields {
		d, err := b.FieldDict(f)
		if err != nil {
			t.Fatalf("FieldDict(%s): %v", f, err)
		}
		for {
			entry, err := d.Next()
			if err != nil {
				t.Fatalf("FieldDict(%s).Next: %v", f, err)
			}
			if entry == nil {
				break
			}
			if n := utf8.RuneCountInString(entry.Term); n > maxTermRunes {
				t.Errorf("field %s holds a term of %d runes", f, n)
			}
			longest = max(longest, utf8.RuneCountInString(entry.Term))
		}
		_ = d.Close()
	}
	if longest != maxTermRunes {
		t.Errorf("longest term: %d runes, want the blob cut at %d", longest, maxTermRunes)
	}
	for _, q := range []string{blob, blob[:150], blob[:120] + "*", "chaîne " + blob} {
		if got := paths(e.search(q)); !slices.Equal(got, []string{"usages/donnees-brutes"}) {
			t.Errorf("search of the blob (%d letters, %q…) = %v, want the page", len(q), q[:10], got)
		}
	}
	// Its first 60 letters, as the last word typed, are a prefix of the
	// cut word: the match says where, the title included (read from the
	// title itself, as the index cuts it).
	typed := blob[:60]
	if m := matchOf(e.search(typed), "usages/donnees-brutes", typed); m.How != wiki.MatchPrefix || !slices.Contains(m.Fields, "title") {
		t.Errorf("match of a prefix of the blob: %+v, want a prefix found in the title", m)
	}
}
