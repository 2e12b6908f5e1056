package e2e

import (
	"context"
	"testing"

	"github.com/chromedp/chromedp"

	domain "github.com/kdecole-club/clubwiki/wiki"
)

// TestBrowser_SearchFacets browses without typing: the empty search page's
// facets lead to the open resolutions of one project in two clicks, each
// hit with its badges, at a URL that opens the same results again.
func TestBrowser_SearchFacets(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests are skipped with -short")
	}
	t.Parallel()
	base, svc, camille := wikiServerWith(t)
	for path, md := range map[string]string{
		"assistance/mail-lent":    "---\ntype: résolution\nstatus: ouvert\nprojects: [e-lyco]\n---\n# La messagerie est lente\n\nLes mails arrivent en retard.\n",
		"assistance/mail-perdu":   "---\ntype: résolution\nstatus: résolu\nprojects: [e-lyco]\n---\n# Un mail perdu\n\nLe mail est retrouvé.\n",
		"assistance/cahier-vide":  "---\ntype: résolution\nstatus: ouvert\nprojects: [ent-mip]\n---\n# Cahier de textes vide\n\nLe cahier ne s'affiche pas.\n",
		"usages/mail-aux-parents": "---\ntype: guide\nprojects: [e-lyco]\n---\n# Écrire aux parents\n\nUn guide.\n",
	} {
		p, _ := domain.ParsePath(path)
		if _, err := svc.Save(context.Background(), camille, domain.SaveRequest{Path: p, Markdown: md}); err != nil {
			t.Fatal(err)
		}
	}
	waitIndexed(t, base)
	ctx := newBrowser(t)
	signInFast(t, ctx, base)
	chooseLanguage(t, ctx, "fr")

	step(t, ctx, "the empty search page", chromedp.Navigate(base+"/search"))
	waitFor(t, ctx, "every facet, e-lyco among the projects",
		`document.querySelectorAll(".browse .facet").length >= 6 && !!document.querySelector('.browse a[href="/search?projet=e-lyco"]')`)
	screenshot(t, ctx, "search-browse")
	step(t, ctx, "clicking the project", load(chromedp.Click(chromedp.CSS(`.browse a[href="/search?projet=e-lyco"]`))))
	wantLocation(t, ctx, "/search?projet=e-lyco")
	waitFor(t, ctx, "the project's pages and the status facet",
		`[...document.querySelectorAll(".hit h3 a")].filter(a => !a.getAttribute("href").startsWith("/wiki/club/")).length === 3 && !!document.querySelector('aside.facets a[href="/search?projet=e-lyco&status=ouvert"]')`)
	step(t, ctx, "clicking the open status", load(chromedp.Click(chromedp.CSS(`aside.facets a[href="/search?projet=e-lyco&status=ouvert"]`))))
	wantLocation(t, ctx, "/search?projet=e-lyco&status=ouvert")
	waitFor(t, ctx, "the one open resolution of e-lyco, with its badges",
		`document.querySelectorAll(".hit").length === 1 && document.querySelector(".hit h3 a").getAttribute("href") === "/wiki/assistance/mail-lent" && `+
			`[...document.querySelectorAll(".hit .badge")].map(b => b.textContent).join("|") === "Résolution|ouvert|e-lyco"`)
	screenshot(t, ctx, "search-browse-open")

	// The URL carries the filters: opened again, as a bookmark would.
	step(t, ctx, "opening the URL again", chromedp.Navigate(base+"/search?status=ouvert&projet=e-lyco"))
	waitFor(t, ctx, "the same resolution",
		`document.querySelectorAll(".hit").length === 1 && document.querySelector(".hit h3 a").getAttribute("href") === "/wiki/assistance/mail-lent"`)
}
