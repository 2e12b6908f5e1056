package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	domain "github.com/kdecole-club/clubwiki/wiki"
)

// TestBrowser_DiffViews opens the diff of a one-word change: the word is
// marked in the word view and in the rendered view; the view chosen with
// the switch is still the one shown after a reload and on the next diff.
func TestBrowser_DiffViews(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests are skipped with -short")
	}
	t.Parallel()
	base, svc, camille := wikiServerWith(t)
	bg := context.Background()
	p, _ := domain.ParsePath("usages/cahier-de-textes")
	for i, md := range []string{
		"# Cahier de textes\n\nLe professeur saisit les devoirs **le soir** dans le cahier de textes.\n\n| Projet | Usage |\n|--|--|\n| e-lyco | quotidien |\n",
		"# Cahier de textes\n\nLe professeur saisit les devoirs **le soir** dans le cahier de textes numérique.\n\n| Projet | Usage |\n|--|--|\n| e-lyco | quotidien |\n",
	} {
		if _, err := svc.Save(bg, camille, domain.SaveRequest{Path: p, BaseRev: i, Markdown: md, Summary: "précision"}); err != nil {
			t.Fatal(err)
		}
	}
	ctx := newBrowser(t)
	signInAs(t, ctx, base, "camille")
	diff := base + "/diff/usages/cahier-de-textes?from=1&to=2"
	step(t, ctx, "opening the diff", chromedp.Navigate(diff), chromedp.WaitVisible(chromedp.CSS(".wdiff")))
	if got := evalString(t, ctx, `[...document.querySelectorAll(".wdiff ins.diff-ins")].map(e => e.textContent).join("|")`); strings.TrimSpace(got) != "numérique" {
		t.Errorf("word view: inserted %q, want numérique", got)
	}
	if got := evalString(t, ctx, `document.querySelector(".diff-rev-to .author").textContent`); got != "Camille Martin" {
		t.Errorf("author %q", got)
	}
	screenshot(t, ctx, "diff-words")

	step(t, ctx, "switching to the rendered view",
		load(chromedp.Click(chromedp.CSS(`.diff-views a[href$="view=rendu"]`))),
		chromedp.WaitVisible(chromedp.CSS(".rdiff")))
	check := func(when string) {
		t.Helper()
		if got := evalString(t, ctx, `[...document.querySelectorAll(".rdiff p ins.diff-ins")].map(e => e.textContent).join("|")`); strings.TrimSpace(got) != "numérique" {
			t.Errorf("%s: rendered view inserted %q, want numérique", when, got)
		}
		if got := evalString(t, ctx, `String(document.querySelectorAll(".rdiff strong, .rdiff table").length)`); got != "2" {
			t.Errorf("%s: %s formatted elements, want the bold words and the table", when, got)
		}
	}
	check("after the switch")
	screenshot(t, ctx, "diff-rendered")

	step(t, ctx, "reloading the diff without a view", chromedp.Navigate(diff), chromedp.WaitVisible(chromedp.CSS(".rdiff")))
	check("after a reload")
	if got := evalString(t, ctx, `document.querySelector(".diff-views a[aria-current=page]").getAttribute("href")`); !strings.HasSuffix(got, "view=rendu") {
		t.Errorf("current view link %q", got)
	}
	step(t, ctx, "walking to the previous change", load(chromedp.Click(chromedp.CSS(`a[rel=prev]`))),
		chromedp.WaitVisible(chromedp.CSS(".rdiff")))
	wantLocation(t, ctx, "/diff/usages/cahier-de-textes?from=0&to=1")
}
