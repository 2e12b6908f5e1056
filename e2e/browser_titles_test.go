package e2e

import (
	"context"
	"testing"

	"github.com/chromedp/chromedp"

	domain "github.com/kdecole-club/clubwiki/wiki"
)

// TestBrowser_LinksByTitle: a page linking by title shows the target's
// title and leads to it; the "new page" form warns, as the title is typed,
// that a page already has it, and links to it.
func TestBrowser_LinksByTitle(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests are skipped with -short")
	}
	t.Parallel()
	base, svc, camille := wikiServerWith(t)
	bg := context.Background()
	for _, pg := range []struct{ path, md string }{
		{"usages/acces-ent", "# Accès à l'ENT\n\nLe portail s'ouvre avec EduConnect.\n"},
		{"club/sommaire", "# Sommaire\n\nVoir [[accès à l'ENT]].\n"},
	} {
		if _, err := svc.Save(bg, camille, domain.SaveRequest{Path: domain.MustPath(pg.path), Markdown: pg.md}); err != nil {
			t.Fatal(err)
		}
	}
	ctx := newBrowser(t)
	signInAs(t, ctx, base, "camille")
	t.Run("the link shows the title and leads to the page", func(t *testing.T) {
		step(t, ctx, "opening the summary", chromedp.Navigate(base+"/wiki/club/sommaire"),
			chromedp.WaitVisible(chromedp.CSS(`a.wikilink[href="/wiki/usages/acces-ent"]`)))
		if got := evalString(t, ctx, `document.querySelector('a.wikilink[href="/wiki/usages/acces-ent"]').textContent`); got != "Accès à l'ENT" {
			t.Errorf("the link shows %q", got)
		}
		step(t, ctx, "following the link", load(chromedp.Click(chromedp.CSS(`a.wikilink[href="/wiki/usages/acces-ent"]`))))
		wantLocation(t, ctx, "/wiki/usages/acces-ent")
	})
	t.Run("the new page form warns while typing", func(t *testing.T) {
		step(t, ctx, "opening /new", chromedp.Navigate(base+"/new?ns=assistance"),
			chromedp.WaitVisible(chromedp.ID("title")),
			chromedp.SendKeys(chromedp.ID("title"), "accès à l'ENT"))
		waitFor(t, ctx, "the warning", `!document.getElementById("new-exists").hidden && !!document.querySelector('#new-exists-list a[href="/wiki/usages/acces-ent"]')`)
		if got := evalString(t, ctx, `document.getElementById("new-exists-text").textContent`); got == "" {
			t.Error("the warning says nothing")
		}
		step(t, ctx, "submitting", load(chromedp.Click(chromedp.CSS("#new-form button[type=submit]"))),
			chromedp.WaitReady(chromedp.CSS(`#new-form input[name=confirm]`)))
		step(t, ctx, "going on anyway", load(chromedp.Click(chromedp.CSS("#new-form button[type=submit]"))),
			chromedp.WaitVisible(chromedp.ID("markdown")))
		wantLocation(t, ctx, "/edit/assistance/acces-a-l-ent?title=acc%C3%A8s+%C3%A0+l%27ENT")
	})
}
