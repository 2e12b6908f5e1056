package search

import (
	"strings"
	"testing"

	"github.com/kdecole-club/clubwiki/wiki"
)

// TestIndex_SearchNeverLeavesAllowedNamespaces runs every kind of query
// with only some namespaces allowed: no hit, count, facet value or snippet
// may come from the others.
func TestIndex_SearchNeverLeavesAllowedNamespaces(t *testing.T) {
	t.Parallel()
	e := newCorpusEnv(t)
	e.save("club/secret", "---\ntype: resolution\nstatus: résolu\nprojects: [e-lyco]\ntags: [messagerie]\n---\n# Messagerie secrète\n\nMessagerie, accès, e-lyco, pédagogie : motsecret.\n")
	e.sync()
	allowed := []string{"assistance", "usages"}
	queries := []string{"", "messagerie", "motsecret", "acces elyco", "pedag*", `"messagerie secrète"`,
		"type:resolution", "projet:e-lyco", "ns:club", "tag:messagerie", "messagerie -jointes", "introuvable messagerie"}
	for _, raw := range queries {
		for _, sort := range []string{wiki.SortRelevance, wiki.SortDate} {
			res, err := e.idx.Search(e.ctx, wiki.SearchQuery{Query: wiki.ParseQuery(raw), Namespaces: allowed, Limit: 100, Sort: sort})
			if err != nil {
				t.Fatalf("%q: %v", raw, err)
			}
			checkScope(t, raw, res, allowed)
		}
	}
	t.Run("no namespace allowed finds nothing", func(t *testing.T) {
		res, err := e.idx.Search(e.ctx, wiki.SearchQuery{Query: wiki.ParseQuery(""), Namespaces: nil, Limit: 10})
		if err != nil || res.Total != 0 || len(res.Hits) != 0 {
			t.Errorf("res = %+v, %v", res, err)
		}
	})
	t.Run("suggestions too", func(t *testing.T) {
		got, err := e.idx.Suggest(e.ctx, "messag", allowed, 10)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range got {
			if !isIn(s.Path.Namespace(), allowed) {
				t.Errorf("suggested %s", s.Path)
			}
		}
	})
}

func checkScope(t *testing.T, raw string, res wiki.SearchResult, allowed []string) {
	t.Helper()
	inScope := 0
	for p := range corpusPages {
		if isIn(wiki.MustPath(p).Namespace(), allowed) {
			inScope++
		}
	}
	if res.Total > inScope {
		t.Errorf("%q: total %d counts pages outside %v", raw, res.Total, allowed)
	}
	for _, h := range res.Hits {
		if !isIn(h.Namespace, allowed) || !isIn(h.Path.Namespace(), allowed) || strings.Contains(h.Snippet, "motsecret") {
			t.Errorf("%q: hit %s outside %v", raw, h.Path, allowed)
		}
	}
	sum := 0
	for _, f := range res.Facets["namespace"] {
		sum += f.Count
		if !isIn(f.Value, allowed) {
			t.Errorf("%q: facet namespace %s", raw, f.Value)
		}
	}
	if sum != res.Total {
		t.Errorf("%q: namespace facet sums to %d, total %d", raw, sum, res.Total)
	}
	for _, name := range []string{"type", "status", "projects", "tags"} {
		for _, f := range res.Facets[name] {
			if f.Count > res.Total {
				t.Errorf("%q: facet %s=%s counts %d > total %d", raw, name, f.Value, f.Count, res.Total)
			}
		}
	}
}

func isIn(s string, list []string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
