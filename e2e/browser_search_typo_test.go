package e2e

import (
	"context"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	domain "github.com/kdecole-club/clubwiki/wiki"
)

// TestBrowser_SearchTypo types as members type: the start of a word then
// Enter, and a word with a typo (issue 13).
func TestBrowser_SearchTypo(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests are skipped with -short")
	}
	t.Parallel()
	base, svc, camille := wikiServerWith(t)
	for path, md := range map[string]string{
		"assistance/notifications-parents": "---\ntype: resolution\nstatus: resolu\n---\n# Les parents ne reçoivent pas les notifications\n\nActiver l'envoi des notifications aux familles dans l'administration.\n",
		"assistance/connexion-ent":         "---\ntype: resolution\n---\n# Connexion impossible à l'ENT\n\nLe lundi matin, la connexion échoue.\n",
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
	waitFor(t, ctx, "the French interface", `document.documentElement.lang === "fr" && !!document.querySelector(".cards")`)

	step(t, ctx, "typing the start of a word", chromedp.SendKeys(chromedp.ID("site-search"), "notif"))
	waitFor(t, ctx, "the suggestions", `document.getElementById("site-search").getAttribute("aria-expanded") === "true"`)
	step(t, ctx, "closing them with Escape", chromedp.KeyEvent(kb.Escape))
	step(t, ctx, "searching with Enter", load(chromedp.KeyEvent(kb.Enter)))
	wantLocation(t, ctx, "/search?q=notif")
	waitFor(t, ctx, "the resolution first among the hits", `(() => { const a = document.querySelector(".hits .hit h3 a"); return !!a && a.getAttribute("href") === "/wiki/assistance/notifications-parents"; })()`)
	step(t, ctx, "asking why", chromedp.Click(chromedp.CSS(".hits .hit details.why summary")))
	waitFor(t, ctx, "the word completed, in the title", `(() => { const d = document.querySelector(".hits .hit details.why"); return d.open && d.querySelector("li").textContent.includes("« notif » complété en « notifications », dans le titre"); })()`)

	step(t, ctx, "searching a word with a typo", chromedp.Navigate(base+"/search?q=notfication"), chromedp.WaitVisible(chromedp.CSS(".hits")))
	waitFor(t, ctx, "the correction line", `document.querySelector("p.correction").textContent.replace(/\s+/g, " ").trim() === "Résultats pour notification — rechercher plutôt notfication"`)
	waitFor(t, ctx, "the resolution found", `document.querySelector(".hits .hit h3 a").getAttribute("href") === "/wiki/assistance/notifications-parents"`)
	screenshot(t, ctx, "search-typo")
	step(t, ctx, "searching the word as typed", load(chromedp.Click(chromedp.CSS("p.correction a"))))
	waitFor(t, ctx, "no correction, nothing found", `!document.querySelector("p.correction") && !!document.querySelector(".no-result") && document.getElementById("search-q").value === '"notfication"'`)
}
