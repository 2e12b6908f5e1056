package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	domain "github.com/kdecole-club/clubwiki/wiki"
)

// TestBrowser_ReviewFlow: an editor opens the diff of a change, marks it
// reviewed, and the history and recent changes say so.
func TestBrowser_ReviewFlow(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests are skipped with -short")
	}
	t.Parallel()
	base, svc, camille := wikiServerWith(t)
	bg := context.Background()
	marie, err := svc.CreateUser(bg, domain.NewUser{Login: "marie", Name: "Marie Durand", Password: "mot-de-passe-solide"})
	if err != nil {
		t.Fatal(err)
	}
	p, _ := domain.ParsePath("assistance/connexion")
	if _, err := svc.Save(bg, camille, domain.SaveRequest{Path: p, Markdown: "# Connexion\n\nOuvrir le portail.\n"}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Save(bg, &marie, domain.SaveRequest{Path: p, BaseRev: 1, Summary: "précision",
		Markdown: "# Connexion\n\nOuvrir le portail académique.\n"}); err != nil {
		t.Fatal(err)
	}
	ctx := newBrowser(t)
	signInAs(t, ctx, base, "camille")
	step(t, ctx, "opening the diff", chromedp.Navigate(base+"/diff/assistance/connexion"),
		chromedp.WaitVisible(chromedp.CSS("form.review button")))
	// The browser's language picks French or English: the checks below
	// hold in both.
	if got := evalString(t, ctx, `document.querySelector("form.review button").textContent`); got != "Marquer comme relue" && got != "Mark as reviewed" {
		t.Fatalf("button = %q", got)
	}
	step(t, ctx, "marking it reviewed", load(chromedp.Click(chromedp.CSS("form.review button"))))
	waitFor(t, ctx, "the mark", `!!document.querySelector("p.reviewed")`)
	if got := evalString(t, ctx, `document.querySelector("p.reviewed").textContent`); !strings.Contains(got, "Camille Martin") {
		t.Fatalf("mark = %q", got)
	}
	step(t, ctx, "opening the history", chromedp.Navigate(base+"/history/assistance/connexion"),
		chromedp.WaitVisible(chromedp.CSS("table.history")))
	if got := evalString(t, ctx, `document.querySelector("table.history tbody tr .reviewed").textContent`); !strings.HasSuffix(got, "by Camille Martin") && !strings.HasSuffix(got, "par Camille Martin") {
		t.Fatalf("history = %q", got)
	}
	if got := evalString(t, ctx, `document.querySelector("table.history tbody tr td:nth-child(5)").textContent`); got != "Marie Durand" {
		t.Fatalf("author = %q", got)
	}
	step(t, ctx, "keeping only unreviewed changes", chromedp.Navigate(base+"/changes"),
		chromedp.WaitVisible(chromedp.CSS("form.changefilters")),
		chromedp.Click(chromedp.CSS(`input[name=unreviewed]`)),
		load(chromedp.Click(chromedp.CSS("form.changefilters button"))))
	waitFor(t, ctx, "the filtered list", `!!document.querySelector("input[name=unreviewed][checked]")`)
	got := evalString(t, ctx, `Array.from(document.querySelectorAll("ol.changes li")).map(li => li.querySelector("a").getAttribute("href") + " " + li.querySelector(".author").textContent).join("\n")`)
	if strings.Contains(got, "Marie Durand") || !strings.Contains(got, "/wiki/assistance/connexion Camille Martin") {
		t.Fatalf("unreviewed changes:\n%s", got)
	}
}
