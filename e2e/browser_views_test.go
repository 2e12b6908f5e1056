package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	domain "github.com/kdecole-club/clubwiki/wiki"
)

// TestBrowser_AxisViews: the seeded axis page's "Difficultés ouvertes"
// lists an open resolution; once it is saved résolu from the editor it
// leaves that view for "Résolues récemment".
func TestBrowser_AxisViews(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests are skipped with -short")
	}
	t.Parallel()
	base, svc, camille := wikiServerWith(t)
	open := "---\ntype: resolution\nstatut: ouvert\nprojets: [e-lyco]\n---\n# Connexion lente le lundi matin\n\nLe portail met une minute à répondre.\n"
	if _, err := svc.Save(context.Background(), camille, domain.SaveRequest{Path: domain.MustPath("assistance/connexion-lente"), Markdown: open}); err != nil {
		t.Fatal(err)
	}
	waitIndexed(t, base)
	ctx := newBrowser(t)
	signInAs(t, ctx, base, "camille")
	link := `a.wikilink[href="/wiki/assistance/connexion-lente"]`
	// in returns a condition: the view under the heading titled heading
	// lists the page. Headings are found by their ids: an editor's have
	// a section edit link in their text.
	ids := map[string]string{"Difficultés ouvertes": "h-difficultes-ouvertes", "Résolues récemment": "h-resolues-recemment"}
	in := func(heading string) string {
		return `(() => { const h = document.getElementById(` + jsString(ids[heading]) + `);
			const v = h && h.nextElementSibling; return !!(v && v.classList.contains("wiki-view") && v.querySelector(` + jsString(link) + `)); })()`
	}
	t.Run("an open resolution is in Difficultés ouvertes", func(t *testing.T) {
		step(t, ctx, "opening the axis", chromedp.Navigate(base+"/ns/assistance"), chromedp.WaitVisible(chromedp.ID("axis-tree")))
		wantLocation(t, ctx, "/wiki/assistance/accueil")
		waitFor(t, ctx, "the open resolution in its view", in("Difficultés ouvertes"))
		if got := evalString(t, ctx, `document.querySelector(`+jsString(link)+`).closest("tr").textContent`); !strings.Contains(got, "ouvert") || !strings.Contains(got, "e-lyco") {
			t.Errorf("its row says %q", got)
		}
		if evalString(t, ctx, `String(`+in("Résolues récemment")+`)`) != "false" {
			t.Error("an open resolution is among the solved ones")
		}
	})
	t.Run("saved résolu, it moves to Résolues récemment", func(t *testing.T) {
		solved := strings.Replace(open, "statut: ouvert", "statut: résolu", 1)
		step(t, ctx, "opening the editor", chromedp.Navigate(base+"/edit/assistance/connexion-lente"),
			chromedp.WaitVisible(chromedp.ID("markdown")),
			chromedp.SetValue(chromedp.ID("markdown"), solved),
			chromedp.Focus(chromedp.ID("markdown")), ctrlS)
		wantLocation(t, ctx, "/wiki/assistance/connexion-lente")
		waitFor(t, ctx, "the saved page", `!!document.querySelector(".flash")`)
		step(t, ctx, "opening the axis again", chromedp.Navigate(base+"/wiki/assistance/accueil"), chromedp.WaitVisible(chromedp.ID("axis-tree")))
		waitFor(t, ctx, "the resolution among the solved ones", in("Résolues récemment"))
		if evalString(t, ctx, `String(`+in("Difficultés ouvertes")+`)`) != "false" {
			t.Error("a solved resolution is still among the open ones")
		}
	})
}
