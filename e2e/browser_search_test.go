package e2e

import (
	"context"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	domain "github.com/kdecole-club/clubwiki/wiki"
)

func TestBrowser_Search(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests are skipped with -short")
	}
	t.Parallel()
	base, svc, camille := wikiServerWith(t)
	for path, md := range map[string]string{
		"assistance/connexion-ent":      "---\ntype: resolution\n---\n# Connexion impossible à l'ENT\n\nLe lundi matin, la connexion échoue.\n",
		"connecteurs/connecteur-siecle": "---\ntype: guide\n---\n# Connecteur SIECLE\n\nLa connexion du connecteur se règle dans la console.\n",
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

	step(t, ctx, "typing in the header's box", chromedp.SendKeys(chromedp.ID("site-search"), "conn"))
	waitFor(t, ctx, "the suggestions", `document.getElementById("site-search").getAttribute("aria-expanded") === "true" && document.querySelectorAll("[role=listbox] [role=option]").length >= 2`)
	step(t, ctx, "moving down", chromedp.KeyEvent(kb.ArrowDown))
	active := evalString(t, ctx, `(() => { const id = document.getElementById("site-search").getAttribute("aria-activedescendant"); const o = document.getElementById(id); return o && o.getAttribute("aria-selected") === "true" ? o.querySelector(".suggest-path").textContent : ""; })()`)
	if active == "" {
		t.Fatal("ArrowDown selected no option")
	}
	screenshot(t, ctx, "search-suggestions")
	// An answer landing after the arrow key keeps the option chosen when
	// it still lists its page.
	evalString(t, ctx, `document.querySelectorAll("[role=listbox] [role=option]").forEach(o => o.dataset.old = "1"); ""`)
	step(t, ctx, "typing one more letter", chromedp.KeyEvent("e"))
	waitFor(t, ctx, "the new suggestions", `(() => { const o = document.querySelectorAll("[role=listbox] [role=option]"); return o.length >= 2 && !o[0].dataset.old; })()`)
	if still := evalString(t, ctx, `(() => { const id = document.getElementById("site-search").getAttribute("aria-activedescendant"); const o = id && document.getElementById(id); return o && o.getAttribute("aria-selected") === "true" ? o.querySelector(".suggest-path").textContent : ""; })()`); still != active {
		t.Fatalf("after new suggestions the chosen option is %q, want %q", still, active)
	}
	step(t, ctx, "choosing it with Enter", load(chromedp.KeyEvent(kb.Enter)))
	wantLocation(t, ctx, "/wiki/"+active)

	step(t, ctx, "typing again", chromedp.SendKeys(chromedp.ID("site-search"), "conn"))
	waitFor(t, ctx, "the suggestions", `document.getElementById("site-search").getAttribute("aria-expanded") === "true"`)
	step(t, ctx, "closing them with Escape", chromedp.KeyEvent(kb.Escape))
	waitFor(t, ctx, "a closed list", `document.getElementById("site-search").getAttribute("aria-expanded") === "false" && document.querySelector("[role=listbox]").hidden`)
	step(t, ctx, "searching with Enter", load(chromedp.KeyEvent(kb.Enter)))
	wantLocation(t, ctx, "/search?q=conn")
	// What the box suggested, Enter finds: both titles starting with "conn".
	waitFor(t, ctx, "the pages the box suggested", `document.querySelectorAll(".title-hits li a, .hits h3 a").length >= 2 && !document.querySelector(".no-result")`)

	step(t, ctx, "searching connexion", chromedp.Navigate(base+"/search?q=connexion"), chromedp.WaitVisible(chromedp.CSS(".hits")))
	waitFor(t, ctx, "hits with marks", `document.querySelectorAll(".hit").length >= 2 && !!document.querySelector(".hit .snippet mark")`)
	screenshot(t, ctx, "search")
	step(t, ctx, "clicking the type facet", load(chromedp.Click(chromedp.CSS(`.facets a[href*="type=resolution"]`))))
	wantLocation(t, ctx, "/search?q=connexion&type=resolution")
	waitFor(t, ctx, "the resolution and the filter", `document.querySelector(".hit h3 a").getAttribute("href") === "/wiki/assistance/connexion-ent" && !!document.querySelector(".chips a.remove")`)

	step(t, ctx, "a phone's width", chromedp.EmulateViewport(360, 740),
		chromedp.Navigate(base+"/search?q=connexion"), chromedp.WaitVisible(chromedp.CSS(".hits")))
	if w, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); err != nil || w > 360 {
		t.Errorf("search at 360 px: scrollWidth %d (%v)", w, err)
	}
	screenshot(t, ctx, "search-360")
	step(t, ctx, "the editor", chromedp.EmulateViewport(1280, 900), chromedp.Navigate(base+"/edit/usages/liens"), chromedp.WaitVisible(chromedp.ID("markdown")),
		typeAtEnd("markdown", "Voir [[connecteur sie"))
	waitFor(t, ctx, "the link picker", `document.querySelectorAll(".picker-anchor [role=option]").length === 1`)
	step(t, ctx, "picking with the keyboard", chromedp.KeyEvent(kb.ArrowDown), chromedp.KeyEvent(kb.Enter))
	waitFor(t, ctx, "the link inserted", `document.getElementById("markdown").value.endsWith("Voir [[connecteurs/connecteur-siecle|Connecteur SIECLE]]")`)

	// The editor now holds unsaved text: leaving would ask for confirmation.
}
