package e2e

import (
	"context"
	"testing"

	"github.com/chromedp/chromedp"

	domain "github.com/kdecole-club/clubwiki/wiki"
)

// TestBrowser_SinceLastVisit: a member views and watches a page, another
// changes one word; the first sees the banner, opens the diff since their
// visit, and their watchlist shows the change unseen, then seen.
func TestBrowser_SinceLastVisit(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests are skipped with -short")
	}
	t.Parallel()
	base, svc, _ := wikiServerWith(t)
	bg := context.Background()
	anne, err := svc.CreateUser(bg, domain.NewUser{Login: "anne", Name: "Anne Durand", Password: "mot-de-passe-solide"})
	if err != nil {
		t.Fatal(err)
	}
	p := domain.MustPath("usages/suivi-des-absences")
	save := func(md string, base int) {
		t.Helper()
		if _, err := svc.Save(bg, &anne, domain.SaveRequest{Path: p, Markdown: md, BaseRev: base}); err != nil {
			t.Fatal(err)
		}
	}
	save("# Suivi des absences\n\nLes parents reçoivent un message le matin.\n", 0)
	ctx := newBrowser(t)
	signInFast(t, ctx, base)
	chooseLanguage(t, ctx, "fr")
	waitFor(t, ctx, "the French interface", `document.documentElement.lang === "fr" && !!document.querySelector(".cards")`)

	step(t, ctx, "viewing the page", chromedp.Navigate(base+"/wiki/"+p.String()),
		chromedp.WaitVisible(chromedp.CSS("form.watch button")))
	waitFor(t, ctx, "no banner on a first visit", `!document.querySelector(".banner.since")`)
	step(t, ctx, "watching it", load(chromedp.Click(chromedp.CSS("form.watch button"))))
	waitFor(t, ctx, "the star on", `(document.querySelector("form.watch button") || {}).textContent === "★ Ne plus suivre"`)

	save("# Suivi des absences\n\nLes parents reçoivent un SMS le matin.\n", 1)

	step(t, ctx, "the watchlist", chromedp.Navigate(base+"/watchlist"))
	waitFor(t, ctx, "the change unseen", `!!document.querySelector('li.watch-group.unseen[data-path="`+p.String()+`"] .unseen-mark')`)

	step(t, ctx, "back to the page", chromedp.Navigate(base+"/wiki/"+p.String()))
	waitFor(t, ctx, "the banner", `((document.querySelector(".banner.since") || {}).textContent || "").includes("Modifiée depuis votre dernière visite par Anne Durand.")`)
	step(t, ctx, "opening the changes since", load(chromedp.Click(chromedp.CSS(".banner.since a"))))
	wantLocation(t, ctx, "/diff/"+p.String()+"?from=1&to=2")
	// The word view (the default): the one word changed, marked.
	waitFor(t, ctx, "the diff", `[...document.querySelectorAll(".wdiff ins.diff-ins")].map(e => e.textContent.trim()).join("|") === "SMS"`)

	step(t, ctx, "the watchlist again", chromedp.Navigate(base+"/watchlist"))
	waitFor(t, ctx, "the change seen", `!!document.querySelector('li.watch-group[data-path="`+p.String()+`"]') && !document.querySelector(".unseen")`)
}
