package web

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/kdecole-club/clubwiki/wiki"
)

// axisEnv is a wiki whose axis "assistance" has an introduction and 500
// pages: 20 folders of 24 pages, the even ones pages too, and 10 pages
// at the top.
func axisEnv(t *testing.T) (*testEnv, *browser) {
	t.Helper()
	e, _ := newUIEnv(t)
	ctx := context.Background()
	save := func(path, md string) {
		if _, err := e.svc.Save(ctx, wiki.System(), wiki.SaveRequest{Path: wiki.MustPath(path), Markdown: md}); err != nil {
			t.Fatal(err)
		}
	}
	save("assistance/accueil", "# Assistance\n\nL'introduction de l'axe.\n")
	for d := range 20 {
		if d%2 == 0 {
			save(fmt.Sprintf("assistance/dossier-%02d", d), fmt.Sprintf("# Dossier %02d\n", d))
		}
		for p := range 24 {
			save(fmt.Sprintf("assistance/dossier-%02d/p%02d", d, p), fmt.Sprintf("# Fiche %02d-%02d\n", d, p))
		}
	}
	for n := range 10 {
		save(fmt.Sprintf("assistance/n%02d", n), fmt.Sprintf("# Note %02d\n", n))
	}
	return e, e.signIn("remi")
}

func treeTitles(doc *goquery.Document) []string {
	var out []string
	for _, s := range doc.Find(".axis-tree li").EachIter() {
		out = append(out, strings.TrimSpace(s.Children().First().Text()))
	}
	return out
}

func TestServer_AxisPage(t *testing.T) {
	t.Parallel()
	e, b := axisEnv(t)
	t.Run("/ns/ leads to the axis page", func(t *testing.T) {
		wantRedirect(t, b.get("/ns/assistance?filtre=x"), http.StatusFound, "/wiki/assistance/accueil?filtre=x")
	})
	doc := page(t, b.get("/wiki/assistance/accueil"), http.StatusOK)
	t.Run("its introduction above the tree", func(t *testing.T) {
		if got := text(doc, ".content p"); got != "L'introduction de l'axe." {
			t.Errorf("introduction %q", got)
		}
		if got := text(doc, "#axis-title"); !strings.Contains(got, "500") {
			t.Errorf("tree heading %q", got)
		}
	})
	t.Run("titles by folder, with counts, in pages", func(t *testing.T) {
		got := treeTitles(doc)
		if len(got) != 102 || got[0] != "Dossier 00" || got[1] != "Fiche 00-00" || got[25] != "dossier 01" || got[101] != "Fiche 04-00" {
			t.Fatalf("%d entries: %v", len(got), got)
		}
		if c := text(doc, ".axis-tree li:first-child .count"); !strings.Contains(c, "24") {
			t.Errorf("folder count %q", c)
		}
		if doc.Find(`.axis-tree a[href="/wiki/assistance/accueil"]`).Length() != 0 {
			t.Error("the introduction is in its own tree")
		}
		if href := doc.Find(`.pager a[rel="next"]`).AttrOr("href", ""); href != "/wiki/assistance/accueil?page=2" {
			t.Errorf("next page link %q", href)
		}
	})
	t.Run("a later page repeats its folder", func(t *testing.T) {
		two := page(t, b.get("/wiki/assistance/accueil?page=2"), http.StatusOK)
		got := treeTitles(two)
		if len(got) < 2 || got[0] != "Dossier 04" || got[1] != "Fiche 04-01" || two.Find(".axis-tree li.context").Length() != 1 {
			t.Fatalf("page 2: %v", got[:min(len(got), 3)])
		}
		last := treeTitles(page(t, b.get("/wiki/assistance/accueil?page=5"), http.StatusOK))
		if len(last) == 0 || last[len(last)-1] != "Note 09" {
			t.Errorf("last page ends with %v", last[max(0, len(last)-2):])
		}
	})
	t.Run("filter without script", func(t *testing.T) {
		got := treeTitles(page(t, b.get("/wiki/assistance/accueil?filtre=fiche+07-1"), http.StatusOK))
		if len(got) != 11 || got[0] != "dossier 07" || got[1] != "Fiche 07-10" {
			t.Errorf("filtered: %v", got)
		}
		even := page(t, b.get("/wiki/assistance/accueil?filtre=FICHE+06-2"), http.StatusOK)
		if got := treeTitles(even); len(got) != 5 || got[0] != "Dossier 06" || even.Find(`.axis-tree a.folder[href="/wiki/assistance/dossier-06"]`).Length() != 1 {
			t.Errorf("filtered, with the folder's page: %v", got)
		}
		if got := treeTitles(page(t, b.get("/wiki/assistance/accueil?filtre=%C3%A9cole"), http.StatusOK)); len(got) != 0 {
			t.Errorf("nothing should match: %v", got)
		}
	})
	t.Run("an old revision has no tree", func(t *testing.T) {
		if _, err := e.svc.Save(context.Background(), wiki.System(), wiki.SaveRequest{Path: wiki.MustPath("assistance/accueil"), Markdown: "# Assistance\n\nAutre.\n", BaseRev: 1}); err != nil {
			t.Fatal(err)
		}
		if page(t, b.get("/wiki/assistance/accueil?rev=1"), http.StatusOK).Find("#axis-tree").Length() != 0 {
			t.Error("tree on an old revision")
		}
	})
}

func TestServer_Breadcrumbs(t *testing.T) {
	t.Parallel()
	e, b := axisEnv(t)
	e.save("assistance/dossier-02/sans-page/fond", "# Au fond\n", 0, http.StatusCreated)
	doc := page(t, b.get("/wiki/assistance/dossier-02/sans-page/fond"), http.StatusOK)
	crumbs := doc.Find("nav.crumbs")
	if got := strings.Join(strings.Fields(crumbs.Text()), " "); got != "Problématiques et dispositifs d'assistance / Dossier 02 / sans page / Au fond" {
		t.Errorf("crumbs %q", got)
	}
	if crumbs.Find(`a[href="/wiki/assistance/dossier-02"]`).Text() != "Dossier 02" || crumbs.Find(`a[href="/ns/assistance"]`).Length() != 1 {
		t.Errorf("crumb links: %s", crumbs.Text())
	}
	t.Run("follow a title change", func(t *testing.T) {
		e.save("assistance/dossier-02", "# Dossier deux\n", 1, http.StatusOK)
		doc := page(t, b.get("/wiki/assistance/dossier-02/sans-page/fond"), http.StatusOK)
		if got := doc.Find(`nav.crumbs a[href="/wiki/assistance/dossier-02"]`).Text(); got != "Dossier deux" {
			t.Errorf("crumb after the title changed: %q", got)
		}
	})
}
