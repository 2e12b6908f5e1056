package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/kdecole-club/clubwiki/assets"
	"github.com/kdecole-club/clubwiki/search"
	"github.com/kdecole-club/clubwiki/wiki"
)

// searchUIEnv is a UI test wiki whose index is kept in step by a running
// follower, as in the server; sync waits until every commit is indexed.
func searchUIEnv(t *testing.T) (e *testEnv, sync func()) {
	t.Helper()
	e, _ = newUIEnv(t)
	idx, _, err := search.Open(filepath.Join(t.TempDir(), "index"))
	if err != nil {
		t.Fatalf("search.Open: %v", err)
	}
	t.Cleanup(func() { _ = idx.Close() })
	e.svc.SetSearch(idx)
	f := &search.Follower{Index: idx, Source: e.store, Renderer: sharedRenderer(), Watch: e.store.Watch}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- f.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("follower: %v", err)
		}
	})
	return e, func() {
		t.Helper()
		for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
			want, err := e.store.LastSeq(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if got, _ := idx.LastSeq(); got == want && !idx.Partial() {
				return
			}
		}
		t.Fatal("the index did not catch up within 5 s")
	}
}

// searchPages saves a small French wiki: two resolutions, a guide, a page
// whose text and title hold markup.
func searchPages(e *testEnv) {
	e.save("assistance/connexion-ent", "---\ntype: resolution\nstatus: resolu\nprojects: [e-lyco]\ntags: [connexion, ENT]\n---\n# Connexion impossible à l'ENT\n\nLe lundi matin, la connexion à l'ENT échoue pour les familles. Vider le cache du navigateur règle le problème.\n", 0, http.StatusCreated)
	e.save("assistance/messagerie-bloquee", "---\ntype: resolution\nstatus: ouvert\nprojects: [e-lyco]\ntags: [messagerie]\n---\n# Messagerie bloquée\n\nLa messagerie refuse la connexion des élèves depuis la mise à jour.\n", 0, http.StatusCreated)
	e.save("usages/cahier-de-textes", "---\ntype: guide\ntags: [cahier]\n---\n# Cahier de textes\n\nAprès la connexion, le professeur saisit les devoirs de la semaine.\n", 0, http.StatusCreated)
	e.save("assistance/balises", "---\ntitle: \"<img src=x onerror=alert(1)> Balises piégées\"\n---\nLe texte `<script>alert('piège')</script>` est affiché tel quel dans la fiche.\n", 0, http.StatusCreated)
}

func TestServer_SearchPage(t *testing.T) {
	t.Parallel()
	e, sync := searchUIEnv(t)
	searchPages(e)
	sync()
	b := e.signIn("remi")
	get := func(t *testing.T, target string) *goquery.Document {
		t.Helper()
		return page(t, b.get(target), http.StatusOK)
	}

	t.Run("results with marks", func(t *testing.T) {
		doc := get(t, "/search?q=connexion")
		if got := text(doc, ".total"); got != "3 pages trouvées" {
			t.Errorf("total = %q", got)
		}
		if n := doc.Find("ol.hits li.hit").Length(); n != 3 {
			t.Fatalf("%d hits, want 3", n)
		}
		first := doc.Find("li.hit").First()
		if href := first.Find("h3 a").AttrOr("href", ""); href != "/wiki/assistance/connexion-ent" {
			t.Errorf("first hit links to %q", href)
		}
		if got := strings.TrimSpace(first.Find(".snippet mark").First().Text()); !strings.EqualFold(got, "connexion") {
			t.Errorf("first mark = %q", got)
		}
		tm := first.Find(".meta time")
		at, err := time.Parse(time.RFC3339, tm.AttrOr("datetime", ""))
		if err != nil || tm.Text() != e.srv.ui.cats["fr"].Date(at) {
			t.Errorf("last update %q (%v), want the date in French", tm.Text(), err)
		}
		if doc.Find(".banner").Length() != 0 || doc.Find(".notice").Length() != 0 {
			t.Error("a partial or relaxed notice on a plain search")
		}
		if got := doc.Find("#search-q").AttrOr("value", ""); got != "connexion" {
			t.Errorf("query box holds %q", got)
		}
	})

	t.Run("facets and counts", func(t *testing.T) {
		doc := get(t, "/search?q=connexion")
		counts := facetCounts(doc)
		want := map[string]string{
			"/search?q=connexion&type=resolution": "2",
			"/search?q=connexion&type=guide":      "1",
			"/search?ns=assistance&q=connexion":   "2",
			"/search?ns=usages&q=connexion":       "1",
			"/search?projet=e-lyco&q=connexion":   "2",
			"/search?q=connexion&status=resolu":   "1",
			"/search?q=connexion&tag=ENT":         "1",
		}
		for href, n := range want {
			if counts[href] != n {
				t.Errorf("facet link %s: count %q, want %s (all: %v)", href, counts[href], n, counts)
			}
		}
	})

	t.Run("filter click and removal", func(t *testing.T) {
		doc := get(t, "/search?q=connexion&type=resolution")
		if got := text(doc, ".total"); got != "2 pages trouvées" {
			t.Errorf("total = %q", got)
		}
		chip := doc.Find(".chips li").First()
		if !strings.Contains(chip.Text(), "Type : resolution") || chip.Find("a.remove").AttrOr("href", "") != "/search?q=connexion" {
			t.Errorf("active filter = %q → %q", chip.Text(), chip.Find("a.remove").AttrOr("href", ""))
		}
		if _, ok := facetCounts(doc)["/search?q=connexion&type=resolution&type=resolution"]; ok {
			t.Error("an active filter is offered again")
		}
		if doc.Find(`form.search-form input[type=hidden][name=type][value=resolution]`).Length() != 1 {
			t.Error("the form does not keep the active filter")
		}
		doc = get(t, "/search?q=connexion&type=resolution&status=resolu")
		if got := text(doc, ".total"); got != "1 page trouvée" {
			t.Errorf("two filters: total = %q", got)
		}
		if got := doc.Find(".chips li.clear a").AttrOr("href", ""); got != "/search?q=connexion" {
			t.Errorf("clear-all link = %q", got)
		}
		doc = get(t, "/search?q=messagerie&ns=assistance")
		if got := text(doc, ".chips li"); !strings.Contains(got, "Espace") {
			t.Errorf("namespace chip = %q", got)
		}
	})

	t.Run("typed filters are those the search reads", func(t *testing.T) {
		chips := func(t *testing.T, q string) map[string]string {
			t.Helper()
			out := map[string]string{}
			get(t, "/search?q="+url.QueryEscape(q)).Find(".chips li code").Each(func(_ int, s *goquery.Selection) {
				out[s.Text()] = s.Parent().Find("a.remove").AttrOr("href", "")
			})
			return out
		}
		tests := []struct {
			name, q string
			want    map[string]string // chip → the query of its removal link
		}{
			{"quoted value with a space", `connexion auteur:"Marie Blanchard" ns:assistance`, map[string]string{
				`auteur:"Marie Blanchard"`: "connexion ns:assistance", "ns:assistance": `connexion auteur:"Marie Blanchard"`}},
			{"removal keeps the rest as typed", `"pièce  jointe"  ns:assistance  élève`, map[string]string{"ns:assistance": `"pièce  jointe" élève`}},
			{"negated and dated", "-status:resolu depuis:2026-01", map[string]string{"-status:resolu": "depuis:2026-01", "depuis:2026-01": "-status:resolu"}},
			{"a filter inside a phrase is not one", `"accès ns:assistance" connexion`, map[string]string{}},
			{"a day that is not one is words", "connexion depuis:hier", map[string]string{}},
			{"an excluded date is words", "connexion -depuis:2026-01-01", map[string]string{}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				want := map[string]string{}
				for chip, q := range tt.want {
					want[chip] = "/search?q=" + url.QueryEscape(q)
				}
				if got := chips(t, tt.q); !reflect.DeepEqual(got, want) {
					t.Errorf("chips of %q = %q, want %q", tt.q, got, want)
				}
			})
		}
	})

	t.Run("sort by date", func(t *testing.T) {
		doc := get(t, "/search?q=connexion&sort=date")
		if got := doc.Find(".sort a.current").AttrOr("href", ""); got != "/search?q=connexion&sort=date" {
			t.Errorf("current sort link = %q", got)
		}
		var times []string
		doc.Find("li.hit time").Each(func(_ int, s *goquery.Selection) { times = append(times, s.AttrOr("datetime", "")) })
		for i := 1; i < len(times); i++ {
			if times[i] > times[i-1] {
				t.Errorf("not newest first: %v", times)
			}
		}
		if got := text(doc, "li.hit h3 a"); got != "Cahier de textes" {
			t.Errorf("newest first is %q, want the last saved", got)
		}
		if doc.Find(`form.search-form input[name=sort][value=date]`).Length() != 1 {
			t.Error("the form does not keep the sort")
		}
	})

	t.Run("relaxed", func(t *testing.T) {
		doc := get(t, "/search?q=connexion+zebre")
		if got := text(doc, ".notice"); !strings.Contains(got, "Aucune page ne contient tous les mots") {
			t.Errorf("relaxed notice = %q", got)
		}
	})

	t.Run("empty query shows the syntax", func(t *testing.T) {
		doc := get(t, "/search")
		if doc.Find(".syntax-help dl.syntax dt").Length() != 12 || doc.Find("ol.hits").Length() != 0 {
			t.Fatalf("no syntax help: %s", text(doc, "main"))
		}
		for _, code := range []string{`"mot de passe"`, "-mot", "ns:assistance", "type:resolution", "status:resolu", "-status:resolu", "projet:e-lyco", "tag:messagerie", "auteur:camille", "depuis:AAAA-MM-JJ"} {
			if !strings.Contains(doc.Find(".syntax code").Text(), code) {
				t.Errorf("help lacks %s", code)
			}
		}
	})

	t.Run("no result help", func(t *testing.T) {
		doc := get(t, "/search?q=connzzzz+ns:usages&type=guide")
		if got := text(doc, ".no-result h2"); got != "Aucune page ne correspond à votre recherche." {
			t.Errorf("heading = %q", got)
		}
		var without []string
		doc.Find(".no-result > ul:not(.closest) a").Each(func(_ int, s *goquery.Selection) { without = append(without, s.AttrOr("href", "")) })
		want := []string{"/search?q=connzzzz+ns%3Ausages", "/search?q=connzzzz&type=guide"}
		if !reflect.DeepEqual(without, want) {
			t.Errorf("filter-removal links = %v, want %v", without, want)
		}
		if got := doc.Find(".closest a").AttrOr("href", ""); got != "/wiki/assistance/connexion-ent" {
			t.Errorf("closest title = %q (%s)", got, text(doc, ".closest"))
		}
	})

	t.Run("closest titles once each", func(t *testing.T) {
		// "conn" and "impo" both find the page; the words are too far
		// from any indexed word to be corrected.
		doc := get(t, "/search?q=connzzzz+impozzzz")
		if got := doc.Find(".closest a").Length(); got != 1 {
			t.Errorf("%d closest titles, want the page once (%s)", got, text(doc, ".closest"))
		}
	})

	t.Run("XSS in snippets and titles", func(t *testing.T) {
		rec := b.get("/search?q=piege")
		body := rec.Body.String()
		doc := page(t, rec, http.StatusOK)
		hit := doc.Find("li.hit").First()
		if hit.Find("script, img").Length() != 0 || doc.Find("main script, main img").Length() != 0 {
			t.Fatal("markup from the page reached the search page as markup")
		}
		if !strings.Contains(hit.Find(".snippet").Text(), "<script>alert(") || !strings.Contains(body, "&lt;script&gt;alert(") {
			t.Errorf("snippet = %q", hit.Find(".snippet").Text())
		}
		if got := strings.TrimSpace(hit.Find(".snippet mark").First().Text()); got != "piège" {
			t.Errorf("mark = %q", got)
		}
		if got := text(doc, "li.hit h3 a"); !strings.HasPrefix(got, "<img src=x") {
			t.Errorf("title = %q", got)
		}
	})

	t.Run("bad parameters are lenient", func(t *testing.T) {
		for _, q := range []string{"page=abc&q=connexion", "page=-3&q=connexion", "sort=title&q=connexion", "q=%22connexion", "q=type%3A%22"} {
			page(t, b.get("/search?"+q), http.StatusOK)
		}
	})

	t.Run("English", func(t *testing.T) {
		en := e.signIn("remi")
		en.header.Set("Accept-Language", "en")
		doc := page(t, en.get("/search?q=connexion"), http.StatusOK)
		if got := text(doc, ".total"); got != "3 pages found" {
			t.Errorf("total = %q", got)
		}
	})
}

// facetCounts maps each facet link to its count.
func facetCounts(doc *goquery.Document) map[string]string {
	out := map[string]string{}
	doc.Find(".facets a").Each(func(_ int, s *goquery.Selection) {
		out[s.AttrOr("href", "")] = strings.TrimSpace(s.Find(".count").Text())
	})
	return out
}

func TestServer_SearchPagination(t *testing.T) {
	t.Parallel()
	e, sync := searchUIEnv(t)
	for i := 1; i <= 45; i++ {
		e.save(fmt.Sprintf("usages/fiche-%02d", i), fmt.Sprintf("# Fiche %d\n\nUtiliser le tableau numérique en classe, fiche %d.\n", i, i), 0, http.StatusCreated)
	}
	sync()
	b := e.signIn("remi")
	hrefs := func(doc *goquery.Document, sel string) []string {
		var out []string
		doc.Find(sel).Each(func(_ int, s *goquery.Selection) { out = append(out, s.AttrOr("href", "")) })
		return out
	}
	doc := page(t, b.get("/search?q=tableau"), http.StatusOK)
	if n := doc.Find("li.hit").Length(); n != 20 || text(doc, ".total") != "45 pages trouvées" {
		t.Fatalf("page 1: %d hits, %q", n, text(doc, ".total"))
	}
	want := []string{"/search?q=tableau", "/search?page=2&q=tableau", "/search?page=3&q=tableau", "/search?page=2&q=tableau"}
	if got := hrefs(doc, ".pager a"); !reflect.DeepEqual(got, want) {
		t.Errorf("page 1 links = %v, want %v", got, want)
	}
	doc = page(t, b.get("/search?q=tableau&page=2"), http.StatusOK)
	if got := doc.Find(".pager a[aria-current=page]").Text(); got != "2" {
		t.Errorf("current page = %q", got)
	}
	if doc.Find(".pager a[rel=prev]").Length() != 1 || doc.Find(".pager a[rel=next]").Length() != 1 {
		t.Error("page 2 lacks previous or next")
	}
	doc = page(t, b.get("/search?q=tableau&page=3"), http.StatusOK)
	if n := doc.Find("li.hit").Length(); n != 5 || doc.Find(".pager a[rel=next]").Length() != 0 {
		t.Errorf("page 3: %d hits, next link %d", n, doc.Find(".pager a[rel=next]").Length())
	}
	doc = page(t, b.get("/search?q=tableau&page=9"), http.StatusOK)
	if text(doc, ".no-result h2") != "Il n'y a pas de résultat sur cette page." || doc.Find(".pager a[rel=prev]").AttrOr("href", "") != "/search?page=3&q=tableau" {
		t.Errorf("past the end: %q", text(doc, "main"))
	}
}

func TestPager(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		page, total int
		want        string // page numbers, 0 for a gap
	}{
		{1, 0, ""},
		{1, 20, ""},
		{1, 21, "[1 2]"},
		{1, 200, "[1 2 3 0 10]"},
		{5, 200, "[1 2 3 4 5 6 7 0 10]"},
		{10, 200, "[1 0 8 9 10]"},
		{4, 200, "[1 2 3 4 5 6 0 10]"},
		{7, 200, "[1 0 5 6 7 8 9 10]"},
	} {
		p := pager(searchState{Q: "x", Page: tc.page}, tc.total)
		var ns []int
		for _, l := range p.Pages {
			ns = append(ns, l.N)
		}
		got := ""
		if len(ns) > 0 {
			got = fmt.Sprint(ns)
		}
		if got != tc.want {
			t.Errorf("page %d of %d results: %s, want %s", tc.page, tc.total, got, tc.want)
		}
	}
}

func TestTypedFilters(t *testing.T) {
	t.Parallel()
	filters, rest := typedFilters(`mot ns:assistance "une phrase" tag:"mise à jour" http://exemple.fr -type:x`)
	// "-type:x" is a negated filter: removable like the others.
	if want := []string{"ns:assistance", `tag:"mise à jour"`, "-type:x"}; !reflect.DeepEqual(filters, want) {
		t.Errorf("filters = %q, want %q", filters, want)
	}
	if want := `mot "une phrase" tag:"mise à jour" http://exemple.fr -type:x`; len(rest) == 0 || rest[0] != want {
		t.Errorf("rest = %q", rest)
	}
}

func TestSearchState_Params(t *testing.T) {
	t.Parallel()
	st := parseSearchState(url.Values{"q": {" acces "}, "ns": {"usages", "assistance"}, "tag": {`mise "à" jour`, "MISE à jour"}, "page": {"3"}, "sort": {"date"}})
	p := st.params()
	if p.NS != "assistance" || p.Q != "acces" || p.Offset != 40 || p.Limit != 20 || p.Sort != "date" {
		t.Errorf("params = %+v", p)
	}
	if want := []wiki.Filter{{Field: wiki.FieldTags, Value: `mise "à" jour`}}; !reflect.DeepEqual(p.Filters, want) {
		t.Errorf("params' filters = %+v, want %+v", p.Filters, want)
	}
	if got := st.url(); got != "/search?ns=assistance&page=3&q=acces&sort=date&tag=mise+%22%C3%A0%22+jour" {
		t.Errorf("url = %s", got)
	}
}

func TestServer_SearchPartial(t *testing.T) {
	t.Parallel()
	e, _ := newUIEnv(t)
	idx, _, err := search.Open(filepath.Join(t.TempDir(), "index")) // nothing follows it: partial
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = idx.Close() })
	e.svc.SetSearch(idx)
	doc := page(t, e.signIn("remi").get("/search?q=connexion"), http.StatusOK)
	if got := text(doc, ".banner[role=status]"); !strings.Contains(got, "reconstruction") {
		t.Errorf("partial notice = %q", got)
	}
}

func TestServer_SearchAccess(t *testing.T) {
	t.Parallel()
	e, _ := searchUIEnv(t)
	e.save("assistance/connexion-ent", "# Connexion\n\nTexte.\n", 0, http.StatusCreated)
	wantRedirect(t, e.browser().get("/search?q=connexion"), http.StatusSeeOther, "/login?next=%2Fsearch%3Fq%3Dconnexion")
	t.Run("search box on every page", func(t *testing.T) {
		b := e.signIn("edith")
		for _, u := range []string{"/", "/changes", "/ns/assistance", "/wiki/assistance/connexion-ent", "/edit/assistance/connexion-ent", "/history/assistance/connexion-ent", "/search", "/settings", "/new", "/wiki/assistance/absente"} {
			rec := b.get(u)
			doc, err := goquery.NewDocumentFromReader(rec.Body)
			if err != nil {
				t.Fatal(err)
			}
			form := doc.Find(`header #search-slot form[role=search][method=get][action="/search"]`)
			if form.Find(`input#site-search[name=q]`).Length() != 1 || form.Find(`label[for=site-search]`).Length() != 1 {
				t.Errorf("%s: no labelled search box in the header", u)
			}
		}
		doc := page(t, b.get("/edit/assistance/connexion-ent"), http.StatusOK)
		if doc.Find("textarea#markdown[data-link-picker]").Length() != 1 || doc.Find("#picker-hint[hidden]").Length() != 1 {
			t.Error("the editor has no link-picker hook")
		}
	})
}

// TestSearchFacets_Labels keeps the facet names, used through a table
// rather than literal T calls, in both catalogues.
func TestSearchFacets_Labels(t *testing.T) {
	t.Parallel()
	cats, err := loadCatalogs(assets.I18n(), time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cats {
		for _, f := range searchFacets {
			if _, ok := c.msgs[f.Label]; !ok {
				t.Errorf("%s: no %q", c.lang, f.Label)
			}
		}
	}
}

func BenchmarkTypedFilters(b *testing.B) {
	q := `connexion "mot de passe" -spam ns:assistance auteur:"Marie Blanchard" depuis:2026-01 pédag*`
	b.ReportAllocs()
	for b.Loop() {
		typedFilters(q)
	}
}
