package e2e

import (
	"context"
	"testing"

	"github.com/chromedp/chromedp"

	domain "github.com/kdecole-club/clubwiki/wiki"
)

// TestBrowser_Move: a member renames a page through the form, into another
// namespace; the page shows at its new address, the link of another page
// follows, and the old address leads to the new one.
func TestBrowser_Move(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests are skipped with -short")
	}
	t.Parallel()
	base, svc, camille := wikiServerWith(t)
	bg := context.Background()
	for _, pg := range []struct{ path, md string }{
		{"usages/ancien-nom", "# Cahier de textes\n\nLes devoirs sont saisis le soir.\n"},
		{"club/sommaire", "# Sommaire\n\nVoir [[usages/ancien-nom|le cahier de textes]].\n"},
	} {
		if _, err := svc.Save(bg, camille, domain.SaveRequest{Path: domain.MustPath(pg.path), Markdown: pg.md}); err != nil {
			t.Fatal(err)
		}
	}
	ctx := newBrowser(t)
	signInFast(t, ctx, base)
	chooseLanguage(t, ctx, "fr")
	waitFor(t, ctx, "the French interface", `document.documentElement.lang === "fr" && !!document.querySelector(".cards")`)

	step(t, ctx, "viewing the page", chromedp.Navigate(base+"/wiki/usages/ancien-nom"),
		chromedp.WaitVisible(chromedp.CSS(`a[href="/move/usages/ancien-nom"]`)))
	step(t, ctx, "opening the form", load(chromedp.Click(chromedp.CSS(`a[href="/move/usages/ancien-nom"]`))))
	waitFor(t, ctx, "the form", `!!document.querySelector("#move-form")`)
	step(t, ctx, "typing the new address",
		clearInput("to"),
		insertText(chromedp.ID("to"), "Services/Cahier de textes"),
		insertText(chromedp.ID("summary"), "un nom qui dit ce que c'est"),
		load(chromedp.Click(chromedp.CSS("#move-form button[type=submit]"))))
	wantLocation(t, ctx, "/wiki/services/cahier-de-textes")
	waitFor(t, ctx, "the page at its new address with the notice",
		`document.querySelector("h1").textContent === "Cahier de textes" && (document.body.textContent || "").includes("a été déplacée")`)

	step(t, ctx, "the old address", chromedp.Navigate(base+"/wiki/usages/ancien-nom"))
	wantLocation(t, ctx, "/wiki/services/cahier-de-textes")
	waitFor(t, ctx, "the moved page", `document.querySelector("h1").textContent === "Cahier de textes"`)

	step(t, ctx, "the page that linked to it", chromedp.Navigate(base+"/wiki/club/sommaire"))
	waitFor(t, ctx, "its link, label kept, to the new address",
		`(() => { const a = document.querySelector('main a[href="/wiki/services/cahier-de-textes"]'); return !!a && a.textContent === "le cahier de textes" && !a.classList.contains("missing"); })()`)
}

// clearInput empties a text field, as a user selecting its text and
// deleting it would.
func clearInput(id string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := chromedp.Evaluate[bool](`(() => { const e = document.getElementById(`+jsString(id)+`); e.focus(); e.value = ""; return true; })()`)(ctx, tg)
		return err
	})
}
