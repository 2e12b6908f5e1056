package e2e

import (
	"context"
	"testing"

	"github.com/chromedp/chromedp"

	domain "github.com/kdecole-club/clubwiki/wiki"
)

// TestBrowser_Profile: a member fills in their profile on the settings
// page (display name, academy, presentation) and edits a page; another
// member sees the display name in recent changes and in the history, and
// follows it to the profile, which shows the login too.
func TestBrowser_Profile(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests are skipped with -short")
	}
	t.Parallel()
	base, svc, _ := wikiServerWith(t)
	bg := context.Background()
	amelie, err := svc.CreateUser(bg, domain.NewUser{Login: "amelie", Password: "mot-de-passe-solide"})
	if err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t)
	signInAs(t, b, base, "amelie")
	step(t, b, "her settings", chromedp.Navigate(base+"/settings"),
		chromedp.WaitVisible(chromedp.ID("profile-form")),
		insertText(chromedp.ID("profile-name"), "Amélie Poulain"),
		chromedp.SetValue(chromedp.ID("profile-project"), "academie-nantes"),
		insertText(chromedp.ID("profile-bio"), "Conseillère TICE.\nJ'accompagne les collèges."),
		load(chromedp.Click(chromedp.CSS("#profile-form button[type=submit]"))))
	waitFor(t, b, "the profile saved", `!!document.querySelector("p.flash") && document.getElementById("profile-name").value === "Amélie Poulain"`)

	if _, err := svc.Save(bg, &amelie, domain.SaveRequest{Path: domain.MustPath("usages/tablettes"), Markdown: "# Tablettes\n\nUn parc de tablettes.\n"}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Save(bg, &amelie, domain.SaveRequest{Path: domain.MustPath("usages/tablettes"), BaseRev: 1, Markdown: "# Tablettes\n\nUn parc de tablettes en prêt.\n"}); err != nil {
		t.Fatal(err)
	}

	c := newBrowser(t)
	signInAs(t, c, base, "camille")
	step(t, c, "recent changes", chromedp.Navigate(base+"/changes"))
	waitFor(t, c, "her name in recent changes", `[...document.querySelectorAll('ol.changes a.author[href="/membres/amelie"]')].some(a => a.textContent === "Amélie Poulain")`)
	step(t, c, "the history", chromedp.Navigate(base+"/history/usages/tablettes"))
	waitFor(t, c, "her name in the history", `[...document.querySelectorAll('table a.author[href="/membres/amelie"]')].length === 2 && document.querySelector('table a.author').textContent === "Amélie Poulain"`)
	step(t, c, "following her name", load(chromedp.Click(chromedp.CSS(`table a.author[href="/membres/amelie"]`))))
	waitFor(t, c, "her profile", `!!document.getElementById("profile-login")`)
	wantLocation(t, c, "/membres/amelie")
	got := evalString(t, c, `[document.querySelector("h1").textContent, document.getElementById("profile-login").textContent.trim(), document.getElementById("profile-project").textContent, document.getElementById("profile-bio-text").innerText, String(document.querySelectorAll('#contributions a[href="/wiki/usages/tablettes"]').length)].join(" | ")`)
	if want := "Amélie Poulain | amelie | Académie de Nantes | Conseillère TICE.\nJ'accompagne les collèges. | 2"; got != want {
		t.Errorf("profile = %q, want %q", got, want)
	}
}
