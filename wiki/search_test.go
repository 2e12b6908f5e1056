package wiki_test

import (
	"path/filepath"
	"slices"
	"testing"

	"github.com/kdecole-club/clubwiki/search"
	"github.com/kdecole-club/clubwiki/wiki"
)

func TestService_Search(t *testing.T) {
	f := newFixture(t, wiki.Config{})
	f.save(t, "assistance/connexion-ent", "---\ntype: resolution\ntags: [mise à jour]\n---\n# Connexion à l'ENT\n\nLa connexion échoue.\n", 0)
	f.save(t, "usages/connexion-guide", "---\ntype: guide\n---\n# Guide de connexion\n\nSe connecter.\n", 0)
	idx, _, err := search.Open(filepath.Join(t.TempDir(), "index"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = idx.Close() })
	follower := &search.Follower{Index: idx, Source: f.db, Renderer: fixtureRenderer()}
	if _, err := follower.CatchUp(f.ctx); err != nil {
		t.Fatal(err)
	}
	f.svc.SetSearch(idx)
	found := func(t *testing.T, p wiki.SearchParams) []string {
		t.Helper()
		res, err := f.svc.Search(f.ctx, f.reader, p)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, h := range res.Hits {
			out = append(out, h.Path.String())
		}
		return out
	}
	t.Run("filters given apart from the text", func(t *testing.T) {
		got := found(t, wiki.SearchParams{Q: "connexion", Filters: []wiki.Filter{{Field: wiki.FieldType, Value: "resolution"}}})
		if len(got) != 1 || got[0] != "assistance/connexion-ent" {
			t.Errorf("connexion with type resolution found %v", got)
		}
	})
	t.Run("and those typed both hold", func(t *testing.T) {
		if got := found(t, wiki.SearchParams{Q: "connexion type:guide", Filters: []wiki.Filter{{Field: wiki.FieldType, Value: "resolution"}}}); len(got) != 0 {
			t.Errorf("type guide and type resolution found %v", got)
		}
	})
	t.Run("a value is not query text", func(t *testing.T) {
		// Quotes and spaces in a value given apart need no escaping.
		got := found(t, wiki.SearchParams{Q: "connexion", Filters: []wiki.Filter{{Field: wiki.FieldTags, Value: `mise "à" jour`}}})
		if len(got) != 1 || got[0] != "assistance/connexion-ent" {
			t.Errorf("connexion with tag mise \"à\" jour found %v", got)
		}
	})
	t.Run("a negated filter given apart", func(t *testing.T) {
		got := found(t, wiki.SearchParams{Q: "connexion", Filters: []wiki.Filter{{Field: wiki.FieldType, Value: "resolution", Not: true}}})
		if !slices.Contains(got, "usages/connexion-guide") || slices.Contains(got, "assistance/connexion-ent") {
			t.Errorf("connexion without type resolution found %v", got)
		}
	})
}
