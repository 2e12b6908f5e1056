package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	domain "github.com/kdecole-club/clubwiki/wiki"
)

// TestBrowser_ConflictFlow is issue 7's lost update, in a browser: Karim
// (camille here) gets the conflict form, presses « Enregistrer » again
// without changing anything, and Marie's sentence must still be there;
// keeping both versions is his explicit choice.
func TestBrowser_ConflictFlow(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests are skipped with -short")
	}
	t.Parallel()
	base, svc, karim := wikiServerWith(t)
	bg := context.Background()
	marie, err := svc.CreateUser(bg, domain.NewUser{Login: "marie", Name: "Marie", Password: "mot-de-passe-solide"})
	if err != nil {
		t.Fatal(err)
	}
	p, _ := domain.ParsePath("assistance/connexion")
	if _, err := svc.Save(bg, karim, domain.SaveRequest{Path: p, Markdown: "# Connexion\n\nPour se connecter, ouvrir le portail.\n"}); err != nil {
		t.Fatal(err)
	}
	head := func() string {
		t.Helper()
		v, err := svc.Page(bg, karim, p, 0)
		if err != nil {
			t.Fatal(err)
		}
		return v.Markdown
	}
	ctx := newBrowser(t)
	signInAs(t, ctx, base, "camille")
	step(t, ctx, "opening the editor", chromedp.Navigate(base+"/edit/assistance/connexion"),
		chromedp.WaitVisible(chromedp.ID("markdown")))

	if _, err := svc.Save(bg, &marie, domain.SaveRequest{Path: p, BaseRev: 1, Summary: "précision",
		Markdown: "# Connexion\n\nPour se connecter, ouvrir le portail puis choisir « Élève ».\n"}); err != nil {
		t.Fatal(err)
	}
	step(t, ctx, "writing over the same sentence",
		run(`(() => { const t = document.getElementById("markdown"); t.value = "# Connexion\n\nPour se connecter, ouvrir l'application mobile.\n"; t.dispatchEvent(new Event("input", {bubbles: true})); return true; })()`),
		chromedp.Focus(chromedp.ID("markdown")))
	step(t, ctx, "saving with Ctrl+S", load(ctrlS))
	waitFor(t, ctx, "the conflict form", `!!document.querySelector("input[name=head_rev]") && document.getElementById("markdown").value.includes("<<<<<<< yours")`)
	screenshot(t, ctx, "conflict")

	step(t, ctx, "pressing Save again, unchanged",
		run(`window.beforeSecondSave = true`),
		load(chromedp.Click(chromedp.CSS("form#editor button.primary"))))
	waitFor(t, ctx, "the form again", `!window.beforeSecondSave && document.readyState === "complete" && !!document.querySelector(".error[role=alert]") && document.getElementById("markdown").value.includes("<<<<<<< yours")`)
	if got := head(); !strings.Contains(got, "« Élève »") {
		t.Fatalf("Marie's sentence is gone after the second save:\n%s", got)
	}

	step(t, ctx, "keeping both versions", load(chromedp.Click(chromedp.CSS(`form#editor button[name=resolve][value=both]`))))
	wantLocation(t, ctx, "/wiki/assistance/connexion")
	waitFor(t, ctx, "the notice", `!!document.querySelector(".flash")`)
	if got := head(); !strings.Contains(got, "« Élève »") || !strings.Contains(got, "l'application mobile") || strings.Contains(got, "<<<<<<<") {
		t.Errorf("head = %q, want both sentences", got)
	}
}

// run evaluates a JavaScript expression whose value is true, as a step.
func run(js string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := chromedp.Evaluate[bool](js)(ctx, tg)
		return err
	})
}
