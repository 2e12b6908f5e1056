package search

import (
	"slices"
	"strings"
	"testing"

	"github.com/kdecole-club/clubwiki/wiki"
)

// TestIndex_SearchBare: a bare search (a view's) finds the same pages in
// the same order, without facets or words marked in snippets
// (a lead at most).
func TestIndex_SearchBare(t *testing.T) {
	t.Parallel()
	e := newCorpusEnv(t)
	for _, q := range []string{"type:resolution", "messagerie", "-statut:resolu acces"} {
		t.Run(q, func(t *testing.T) {
			full := wiki.SearchQuery{Query: wiki.ParseQuery(q), Namespaces: []string{"assistance", "usages", "club", "services", "marches", "portails", "connecteurs", "accompagnement"}, Limit: 50, Sort: wiki.SortDate}
			want, err := e.idx.Search(e.ctx, full)
			if err != nil {
				t.Fatal(err)
			}
			bare := full
			bare.Bare = true
			got, err := e.idx.Search(e.ctx, bare)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(paths(got), paths(want)) || got.Total != want.Total || len(want.Hits) == 0 {
				t.Errorf("bare %v (%d), full %v (%d)", paths(got), got.Total, paths(want), want.Total)
			}
			for _, h := range got.Hits {
				if strings.Contains(h.Snippet, "<mark>") {
					t.Errorf("bare snippet %q quotes the words", h.Snippet)
				}
				if h.Title == "" {
					t.Errorf("no title for %s", h.Path)
				}
			}
			if len(got.Facets["namespace"]) != 0 {
				t.Errorf("facets in a bare search: %v", got.Facets)
			}
		})
	}
}
