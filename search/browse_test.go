package search

import (
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/kdecole-club/clubwiki/wiki"
)

// TestIndex_BrowseAsTheIndex checks that a view's list answered from the
// facet table (browse) finds the same pages, in the same order, with the
// same count, titles and dates, as the index's own query: every filter
// field, negations, accents and case, authors named by login, dates, two
// namespaces out of three, offsets; and after pages change, move and go.
func TestIndex_BrowseAsTheIndex(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	types := []string{"Résolution", "bonne-pratique", "compte rendu"}
	statuts := []string{"ouvert", "Résolu", "contourné", ""}
	projets := []string{"[E-lyco]", "[ENT-MIP, e-lyco]", "[Cyber-Collèges 42]"}
	nss := []string{"assistance", "usages", "marches"}
	authors := []string{"camille", "dominique"}
	for i := range 60 {
		md := fmt.Sprintf("---\ntype: %s\nstatus: %s\nprojects: %s\ntags: [messagerie, t%d]\n---\n# Fiche %d\n\nLe cahier de textes, fiche %d.\n",
			types[i%3], statuts[i/3%4], projets[i/12%3], i%5, i, i)
		p := wiki.MustPath(fmt.Sprintf("%s/fiche-%02d", nss[i%3], i))
		c := wiki.Commit{Path: p, Kind: wiki.KindCreate, Author: authors[i/2%2], Markdown: md, Title: fmt.Sprintf("Fiche %d", i)}
		if _, err := e.db.Commit(e.ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	e.sync()
	start := time.Now()
	queries := []string{
		"", "type:resolution", "type:Résolution -statut:resolu", "statut:ouvert", "-statut:ouvert",
		"projet:elyco", "projet:e-lyco projet:ent-mip", "-projet:elyco", "tag:t3", "tag:messagerie -tag:t1",
		"auteur:camille", "auteur:Camille -type:bonne-pratique", "ns:usages", "ns:assistance type:compte-rendu",
		"type:inconnu", "-type:inconnu", "statut:--", "ns:marches",
	}
	compare := func(t *testing.T, within []string, query string, q wiki.SearchQuery) {
		t.Helper()
		parsed := wiki.ParseQuery(query)
		parsed.Since, parsed.Before = q.Since, q.Before
		q.Query, q.Namespaces, q.Bare, q.Sort = parsed, within, true, wiki.SortDate
		if !browsable(q) {
			t.Fatalf("%q is not answered from the facet table", query)
		}
		got, err := e.idx.Search(e.ctx, q)
		if err != nil {
			t.Fatalf("%q: %v", query, err)
		}
		if _, _, ok := e.idx.facets.match(q); !ok {
			t.Fatal("the facet table is not loaded: the index answered both")
		}
		q.Debug = true // the index's own query
		want, err := e.idx.Search(e.ctx, q)
		if err != nil {
			t.Fatalf("%q (index): %v", query, err)
		}
		if got.Total != want.Total {
			t.Errorf("%q in %v: %d pages, the index finds %d", query, within, got.Total, want.Total)
		}
		for i := range want.Hits {
			// A list by facets has no score: the index gives every page
			// the same one.
			want.Hits[i].Matches, want.Hits[i].FieldScores, want.Hits[i].Score = nil, nil, 0
		}
		if !reflect.DeepEqual(paths(got), paths(want)) {
			t.Errorf("%q in %v:\n got %v\nwant %v", query, within, paths(got), paths(want))
		} else if !reflect.DeepEqual(got.Hits, want.Hits) {
			t.Errorf("%q in %v: the hits differ:\n got %+v\nwant %+v", query, within, got.Hits[0], want.Hits[0])
		}
	}
	for _, within := range [][]string{{"assistance", "usages", "marches"}, {"assistance", "usages"}, {}} {
		for _, query := range queries {
			compare(t, within, query, wiki.SearchQuery{Limit: 7})
			compare(t, within, query, wiki.SearchQuery{Limit: 50, Offset: 5})
		}
	}
	all := []string{"assistance", "usages", "marches"}
	compare(t, all, "auteur:cam", wiki.SearchQuery{Limit: 50, Authors: map[string][]string{"cam": {"camille"}}})
	compare(t, all, "type:resolution", wiki.SearchQuery{Limit: 50, Query: wiki.Query{Since: start.Add(-time.Hour), Before: start}})
	compare(t, all, "", wiki.SearchQuery{Limit: 50, Query: wiki.Query{Since: start.Add(time.Hour)}})
	compare(t, all, "", wiki.SearchQuery{Limit: 50, Query: wiki.Query{Since: start, Before: start}})

	// Changes: an edit moves a page to the top and changes its status, a
	// deletion and a move take effect, as they do in the index.
	e.save("assistance/fiche-00", "---\ntype: résolution\nstatus: résolu\n---\n# Fiche 0\n\nRésolue.\n")
	if _, err := e.svc.Delete(e.ctx, e.user, wiki.MustPath("usages/fiche-01"), ""); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Move(e.ctx, e.user, wiki.MoveRequest{From: wiki.MustPath("marches/fiche-02"), To: wiki.MustPath("usages/fiche-deplacee")}); err != nil {
		t.Fatal(err)
	}
	e.sync()
	for _, query := range queries {
		compare(t, all, query, wiki.SearchQuery{Limit: 50})
	}
	res, err := e.idx.Search(e.ctx, wiki.SearchQuery{Query: wiki.ParseQuery("statut:resolu"), Namespaces: all, Bare: true, Sort: wiki.SortDate, Limit: 1})
	if err != nil || len(res.Hits) != 1 || res.Hits[0].Path.String() != "assistance/fiche-00" {
		t.Errorf("the page just edited is not the newest resolved one: %v %v", paths(res), err)
	}
}

// TestIndex_BrowseFallsBack checks that queries the facet table cannot
// answer (words, a front-matter field of its own, another order, facets
// asked for) are not taken from it.
func TestIndex_BrowseFallsBack(t *testing.T) {
	t.Parallel()
	for _, q := range []wiki.SearchQuery{
		{Query: wiki.ParseQuery("messagerie type:resolution"), Bare: true, Sort: wiki.SortDate},
		{Query: wiki.ParseQuery("version:4.2"), Bare: true, Sort: wiki.SortDate},
		{Query: wiki.ParseQuery("type:resolution"), Bare: true},
		{Query: wiki.ParseQuery("type:resolution"), Sort: wiki.SortDate},
		{Query: wiki.ParseQuery(`type:resolution -"cahier de textes"`), Bare: true, Sort: wiki.SortDate},
	} {
		if browsable(q) {
			t.Errorf("%+v is answered from the facet table", q.Query)
		}
	}
}

// BenchmarkFacetTable_Match lists the 20 newest pages of one type and
// status in four namespaces of 20,000 pages, as a view does.
func BenchmarkFacetTable_Match(b *testing.B) {
	t := benchTable()
	q := wiki.SearchQuery{Query: wiki.ParseQuery("type:type1 -statut:status2"), Namespaces: []string{"ns0", "ns1", "ns2", "ns3"},
		Bare: true, Sort: wiki.SortDate, Limit: 20}
	b.ReportAllocs()
	for b.Loop() {
		if _, n, ok := t.match(q); !ok || n == 0 {
			b.Fatal(n, ok)
		}
	}
}

// TestIndex_DocMapAcrossSegments checks the matches' pages and dates read
// from the doc map (docMap) when the index holds many segments, some
// with pages replaced since: a search by date lists every page once,
// newest first, and its facets count each page once, as saved.
func TestIndex_DocMapAcrossSegments(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.sync()
	var want []string // newest first
	for i := range 24 {
		p := fmt.Sprintf("assistance/segment-%02d", i%12)
		statut := "ouvert"
		if i >= 12 {
			statut = "résolu"
		}
		e.save(p, fmt.Sprintf("---\nstatus: %s\n---\n# Segment %d\n\nLa messagerie, version %d.\n", statut, i%12, i))
		e.sync() // one batch, one segment, per save
		if i >= 12 {
			want = append([]string{p}, want...)
		}
	}
	e.save("assistance/segment-03", "---\nstatus: ouvert\n---\n# Segment 3\n\nLa messagerie rouverte.\n")
	e.sync()
	want = append([]string{"assistance/segment-03"}, slices.DeleteFunc(want, func(p string) bool { return p == "assistance/segment-03" })...)
	res, err := e.svc.Search(e.ctx, e.user, wiki.SearchParams{Q: "messagerie", Sort: wiki.SortDate, Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	if got := paths(res); !reflect.DeepEqual(got, want) {
		t.Errorf("by date:\n got %v\nwant %v", got, want)
	}
	if got, w := facetMap(res, "status"), map[string]int{"résolu": 11, "ouvert": 1}; !reflect.DeepEqual(got, w) {
		t.Errorf("status facet = %v, want %v", got, w)
	}
}
