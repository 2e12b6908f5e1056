package web

import (
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
)

// TestServer_SearchBrowse checks the search page without a query: every
// facet as a list of links with counts, which lead in two clicks to the
// open resolutions of one project, at a URL that finds them again.
func TestServer_SearchBrowse(t *testing.T) {
	t.Parallel()
	e, sync := searchUIEnv(t)
	searchPages(e)
	sync()
	b := e.signIn("remi")
	year := strconv.Itoa(time.Now().UTC().Year())

	t.Run("every facet with counts", func(t *testing.T) {
		doc := page(t, b.get("/search"), http.StatusOK)
		if doc.Find("section.browse").Length() != 1 {
			t.Fatal("no browsing section on the empty search page")
		}
		var heads []string
		doc.Find("section.browse .facet h3").Each(func(_ int, s *goquery.Selection) { heads = append(heads, s.Text()) })
		if want := []string{"Espace", "Type", "Statut", "Projet", "Mot-clé", "Auteur", "Année"}; !reflect.DeepEqual(heads, want) {
			t.Errorf("facets %v, want %v", heads, want)
		}
		counts := facetCounts(doc)
		for href, n := range map[string]string{
			"/search?type=resolution": "2", "/search?type=guide": "1", "/search?ns=usages": "1",
			"/search?projet=e-lyco": "2", "/search?status=ouvert": "1", "/search?tag=messagerie": "1",
			"/search?annee=" + year: "4", "/search?auteur=edith": "4",
		} {
			if counts[href] != n {
				t.Errorf("browse link %s: count %q, want %s (all: %v)", href, counts[href], n, counts)
			}
		}
		if got := doc.Find("section.syntax-help").Length(); got != 1 {
			t.Error("the syntax help is gone from the empty page")
		}
	})

	t.Run("two clicks to the open resolutions of a project", func(t *testing.T) {
		doc := page(t, b.get("/search"), http.StatusOK)
		first := linkTo(t, doc, "section.browse .facet a", "e-lyco")
		doc = page(t, b.get(first), http.StatusOK)
		second := linkTo(t, doc, "aside.facets .facet a", "ouvert")
		doc = page(t, b.get(second), http.StatusOK)
		if got := hrefs(doc, "li.hit h3 a"); !reflect.DeepEqual(got, []string{"/wiki/assistance/messagerie-bloquee"}) {
			t.Errorf("hits %v, want the open resolution of e-lyco", got)
		}
		// The URL carries the filters: opened again, it finds the same.
		again := page(t, e.signIn("remi").get(second), http.StatusOK)
		if got := hrefs(again, "li.hit h3 a"); !reflect.DeepEqual(got, []string{"/wiki/assistance/messagerie-bloquee"}) {
			t.Errorf("the bookmarked URL %s finds %v", second, got)
		}
	})

	t.Run("badges of type, status and projects", func(t *testing.T) {
		doc := page(t, b.get("/search?q=messagerie"), http.StatusOK)
		hit := doc.Find("li.hit").First()
		var got []string
		hit.Find(".badges .badge").Each(func(_ int, s *goquery.Selection) { got = append(got, s.Text()) })
		if want := []string{"Résolution", "ouvert", "e-lyco"}; !reflect.DeepEqual(got, want) {
			t.Errorf("badges %v, want %v", got, want)
		}
		if href := hit.Find(".badge-projet").AttrOr("href", ""); href != "/search?projet=e-lyco&q=messagerie" {
			t.Errorf("the project badge links to %q", href)
		}
	})

	t.Run("a year", func(t *testing.T) {
		doc := page(t, b.get("/search?annee="+year), http.StatusOK)
		if got := text(doc, ".total"); got != "4 pages trouvées" {
			t.Errorf("total = %q", got)
		}
		doc = page(t, b.get("/search?annee=1999"), http.StatusOK)
		if doc.Find("li.hit").Length() != 0 {
			t.Error("pages of 1999 found")
		}
	})
}

// linkTo returns the href of the link among sel whose text starts with
// label.
func linkTo(t *testing.T, doc *goquery.Document, sel, label string) string {
	t.Helper()
	var href string
	doc.Find(sel).EachWithBreak(func(_ int, s *goquery.Selection) bool {
		if strings.HasPrefix(strings.TrimSpace(s.Text()), label) {
			href = s.AttrOr("href", "")
			return false
		}
		return true
	})
	if href == "" {
		t.Fatalf("no link %q among %s", label, sel)
	}
	return href
}

func hrefs(doc *goquery.Document, sel string) []string {
	var out []string
	doc.Find(sel).Each(func(_ int, s *goquery.Selection) { out = append(out, s.AttrOr("href", "")) })
	return out
}
