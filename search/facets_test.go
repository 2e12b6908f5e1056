package search

import (
	"reflect"
	"strconv"
	"testing"
	"time"

	"github.com/kdecole-club/clubwiki/wiki"
)

// facetPages saves resolutions and notes of two projects in two namespaces.
func facetPages(e *env) {
	e.save("assistance/mail-lent", "---\ntype: résolution\nstatus: ouvert\nprojects: [E-lyco]\ntags: [mail]\n---\n# Mail lent\n\nLa messagerie est lente.\n")
	e.save("assistance/mail-perdu", "---\ntype: résolution\nstatus: Résolu\nprojects: [e-lyco, ENT-MIP]\n---\n# Mail perdu\n\nLa messagerie perd un mail.\n")
	e.save("assistance/cahier", "---\ntype: résolution\nstatus: ouvert\nprojects: [ENT-MIP]\n---\n# Cahier de textes\n\nLe cahier de textes ne s'ouvre pas.\n")
	e.save("accompagnement/messagerie", "---\ntype: note\n---\n# Former à la messagerie\n\nUne séance sur la messagerie.\n")
}

func facetMap(res wiki.SearchResult, name string) map[string]int {
	out := map[string]int{}
	for _, f := range res.Facets[name] {
		out[f.Value] = f.Count
	}
	return out
}

func TestIndex_FacetTable(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	facetPages(e)
	e.sync()
	year := strconv.Itoa(time.Now().UTC().Year())
	check := func(t *testing.T, res wiki.SearchResult) {
		t.Helper()
		want := map[string]map[string]int{
			"namespace": {"assistance": 2, "accompagnement": 1},
			"type":      {"résolution": 2, "note": 1},
			"status":    {"ouvert": 1, "Résolu": 1},
			"projects":  {"E-lyco": 2, "ENT-MIP": 1},
			"tags":      {"mail": 1},
			"authors":   {"clubwiki": 3},
			"year":      {year: 3},
		}
		for name, w := range want {
			if got := facetMap(res, name); !reflect.DeepEqual(got, w) {
				t.Errorf("facet %s = %v, want %v", name, got, w)
			}
		}
	}
	t.Run("counted from the hits", func(t *testing.T) {
		check(t, e.search("messagerie"))
	})
	t.Run("loaded again from the index after a restart", func(t *testing.T) {
		_ = e.idx.Close()
		e.open()
		e.sync()
		check(t, e.search("messagerie"))
	})
	t.Run("follows changes", func(t *testing.T) {
		e.save("assistance/mail-lent", "---\ntype: résolution\nstatus: résolu\nprojects: [E-lyco]\n---\n# Mail lent\n\nLa messagerie est lente.\n")
		if _, err := e.svc.Delete(e.ctx, e.user, wiki.MustPath("accompagnement/messagerie"), ""); err != nil {
			t.Fatalf("Delete: %v", err)
		}
		e.sync()
		res := e.search("messagerie")
		if got, want := facetMap(res, "status"), map[string]int{"Résolu": 2}; !reflect.DeepEqual(got, want) {
			t.Errorf("status = %v, want %v", got, want)
		}
		if got := facetMap(res, "type"); got["note"] != 0 {
			t.Errorf("a deleted page still counts: %v", got)
		}
	})
}

func TestIndex_FacetsBrowse(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	facetPages(e)
	e.sync()
	browse := func(ns string) wiki.SearchResult {
		res, err := e.svc.Search(e.ctx, e.user, wiki.SearchParams{NS: ns, FacetsOnly: true})
		if err != nil {
			t.Fatalf("Search: %v", err)
		}
		return res
	}
	t.Run("every page", func(t *testing.T) {
		res := browse("")
		if len(res.Hits) != 0 {
			t.Errorf("facets only, got %d hits", len(res.Hits))
		}
		if got := facetMap(res, "type"); got["résolution"] != 3 || got["note"] != 1 {
			t.Errorf("type = %v, want 3 résolutions and 1 note", got)
		}
		if res.Total < 4 {
			t.Errorf("total = %d, want every page", res.Total)
		}
	})
	t.Run("only the namespaces asked", func(t *testing.T) {
		res := browse("assistance")
		if got, want := facetMap(res, "namespace"), map[string]int{"assistance": 3}; !reflect.DeepEqual(got, want) {
			t.Errorf("namespace = %v, want %v", got, want)
		}
		if res.Total != 3 {
			t.Errorf("total = %d, want 3", res.Total)
		}
	})
	t.Run("two facets lead to the open resolutions of a project", func(t *testing.T) {
		res, err := e.svc.Search(e.ctx, e.user, wiki.SearchParams{Filters: []wiki.Filter{
			{Field: wiki.FieldProjects, Value: "e-lyco"}, {Field: wiki.FieldStatus, Value: "ouvert"}}, Limit: 50})
		if err != nil {
			t.Fatalf("Search: %v", err)
		}
		if got := paths(res); !reflect.DeepEqual(got, []string{"assistance/mail-lent"}) {
			t.Errorf("hits = %v", got)
		}
	})
	t.Run("a year", func(t *testing.T) {
		now := time.Now().UTC().Year()
		for year, want := range map[int]int{now: 3, now - 1: 0} {
			res, err := e.svc.Search(e.ctx, e.user, wiki.SearchParams{NS: "assistance", Year: year, Limit: 50})
			if err != nil {
				t.Fatalf("Search: %v", err)
			}
			if res.Total != want {
				t.Errorf("year %d: %d pages, want %d", year, res.Total, want)
			}
		}
	})
}

func TestIndex_SearchBadges(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	facetPages(e)
	e.sync()
	res := e.search("perd")
	if len(res.Hits) != 1 {
		t.Fatalf("hits = %v", paths(res))
	}
	h := res.Hits[0]
	if !reflect.DeepEqual(h.Type, []string{"résolution"}) || !reflect.DeepEqual(h.Status, []string{"Résolu"}) ||
		!reflect.DeepEqual(h.Projects, []string{"E-lyco", "ENT-MIP"}) {
		t.Errorf("badges = %v %v %v", h.Type, h.Status, h.Projects)
	}
}

// benchTable is a facet table of 20,000 pages over 8 namespaces, 5 types,
// 4 statuses, 20 projects, 200 tags, 50 authors and 4 years.
func benchTable() *facetTable {
	t := &facetTable{}
	t.reset(1)
	t.loaded = true
	for i := range 20000 {
		var k [nFacets][]string
		k[facetNamespace] = []string{"ns" + strconv.Itoa(i%8)}
		k[facetType] = []string{"type" + strconv.Itoa(i%5)}
		k[facetStatus] = []string{"status" + strconv.Itoa(i%4)}
		k[facetProjects] = []string{"projet" + strconv.Itoa(i%20), "projet" + strconv.Itoa(i%7)}
		k[facetTags] = []string{"tag" + strconv.Itoa(i%200), "tag" + strconv.Itoa(i%31)}
		k[facetAuthors] = []string{"membre" + strconv.Itoa(i%50)}
		k[facetYear] = []string{strconv.Itoa(2023 + i%4)}
		t.set("ns/page-"+strconv.Itoa(i), &k, int64(i)*int64(time.Minute))
	}
	return t
}

// BenchmarkFacetTable_Browse counts every facet over 20,000 pages, as the
// empty search page does.
func BenchmarkFacetTable_Browse(b *testing.B) {
	t := benchTable()
	ns := []string{"ns0", "ns1", "ns2", "ns3", "ns4", "ns5", "ns6", "ns7"}
	b.ReportAllocs()
	for b.Loop() {
		c, _ := t.browse(ns)
		for f := range nFacets {
			c.top(f, facetSize)
		}
	}
}

// BenchmarkFacetTable_CountHits counts the facets of 20,000 hits one by
// one, as a search of a common word does.
func BenchmarkFacetTable_CountHits(b *testing.B) {
	t := benchTable()
	paths := make([]string, 20000)
	for i := range paths {
		paths[i] = "ns/page-" + strconv.Itoa(i)
	}
	b.ReportAllocs()
	for b.Loop() {
		c := &facetCounter{t: t}
		for _, p := range paths {
			c.add(t.row(p))
		}
	}
}
