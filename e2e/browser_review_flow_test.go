package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	domain "github.com/kdecole-club/clubwiki/wiki"
)

// TestBrowser_ReviewSinceLastVisit is issue 9's flow in one browser run,
// with two members in two browser contexts of their own: B (camille)
// views and watches a page; A (anne) changes one word of a paragraph in
// the editor; B's watchlist shows the change unseen; B's page says who
// changed it since the last visit and links to the diff since then, where
// that one word, and only it, is marked in the word view and in the
// rendered view; B marks the revision reviewed, and the watchlist then
// shows the change seen.
func TestBrowser_ReviewSinceLastVisit(t *testing.T) {
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
	p := domain.MustPath("usages/appel-en-classe")
	// The changed paragraph has bold words, so that the rendered view is
	// the formatted page; the unchanged ones are folded in the word view.
	const before = "# Appel en classe\n\nL'enseignant fait l'appel au début de l'heure.\n\n" +
		"Les parents d'élèves reçoivent **le jour même** un message de l'établissement.\n\n" +
		"## Retards\n\nUn retard est noté à part.\n"
	if _, err := svc.Save(bg, &anne, domain.SaveRequest{Path: p, Markdown: before, Summary: "création"}); err != nil {
		t.Fatal(err)
	}
	page := base + "/wiki/" + p.String()

	b := newBrowser(t)
	signInFast(t, b, base)
	french(t, b)
	step(t, b, "B views the page", chromedp.Navigate(page),
		chromedp.WaitVisible(chromedp.CSS("form.watch button")))
	waitFor(t, b, "no banner on a first visit", `!document.querySelector(".banner.since")`)
	step(t, b, "B watches it", load(chromedp.Click(chromedp.CSS("form.watch button"))))
	waitFor(t, b, "the star on", `(document.querySelector("form.watch button") || {}).textContent === "★ Ne plus suivre"`)

	a := newBrowser(t)
	signInAs(t, a, base, "anne")
	step(t, a, "A opens the editor", chromedp.Navigate(base+"/edit/"+p.String()),
		chromedp.WaitVisible(chromedp.ID("markdown")))
	if got := evalString(t, a, `(() => { const t = document.getElementById("markdown"); t.value = t.value.replace("un message", "un SMS"); t.dispatchEvent(new Event("input", {bubbles: true})); return t.value; })()`); got != strings.Replace(before, "un message", "un SMS", 1) {
		t.Fatalf("A's text:\n%s", got)
	}
	step(t, a, "A saves", insertText(chromedp.ID("summary"), "SMS plutôt que message"),
		load(chromedp.Click(chromedp.CSS("#editor button.primary[type=submit]"))))
	wantLocation(t, a, "/wiki/"+p.String())
	waitFor(t, a, "A's saved page", `!!document.querySelector(".flash") && document.querySelector(".content").textContent.includes("un SMS")`)

	group := `document.querySelector('li.watch-group[data-path="` + p.String() + `"]')`
	step(t, b, "B opens the watchlist", chromedp.Navigate(base+"/watchlist"))
	waitFor(t, b, "the change listed unseen", `!!`+group+` && `+group+`.classList.contains("unseen") && !!`+group+`.querySelector(".unseen-mark") && `+group+`.querySelector("li.unseen").textContent.includes("Anne Durand")`)

	step(t, b, "B views the page again", chromedp.Navigate(page))
	waitFor(t, b, "the banner", `((document.querySelector(".banner.since") || {}).textContent || "").includes("Modifiée depuis votre dernière visite par Anne Durand.")`)
	step(t, b, "B opens the changes since the last visit", load(chromedp.Click(chromedp.CSS(".banner.since a"))))
	wantLocation(t, b, "/diff/"+p.String()+"?from=1&to=2")
	waitFor(t, b, "the word view", `!!document.querySelector(".wdiff")`)
	marked(t, b, "word view", ".wdiff")
	if got := evalString(t, b, `String(document.querySelectorAll(".wdiff details.wd-same").length)`); got == "0" {
		t.Errorf("word view: no folded unchanged paragraph")
	}
	if got := evalString(t, b, `document.querySelector(".diff-rev-to .author").textContent + " | " + document.querySelector(".diff-rev-to .summary").textContent`); got != "Anne Durand | SMS plutôt que message" {
		t.Errorf("revision named %q", got)
	}

	step(t, b, "B switches to the rendered view",
		load(chromedp.Click(chromedp.CSS(`.diff-views a[href$="view=rendu"]`))),
		chromedp.WaitVisible(chromedp.CSS(".rdiff")))
	marked(t, b, "rendered view", ".rdiff")
	if got := evalString(t, b, `[...document.querySelectorAll(".rdiff strong")].map(e => e.textContent).join("|")`); got != "le jour même" {
		t.Errorf("rendered view: bold words %q, want the formatted paragraph", got)
	}

	step(t, b, "B marks the revision reviewed", load(chromedp.Click(chromedp.CSS("form.review button"))))
	waitFor(t, b, "the reviewed mark", `((document.querySelector("p.reviewed") || {}).textContent || "").includes("Camille Martin")`)

	step(t, b, "B opens the watchlist again", chromedp.Navigate(base+"/watchlist"))
	waitFor(t, b, "the change listed seen", `!!`+group+` && !`+group+`.classList.contains("unseen") && !`+group+`.querySelector(".unseen, .unseen-mark") && `+group+`.textContent.includes("Anne Durand")`)

	step(t, b, "B opens the history", chromedp.Navigate(base+"/history/"+p.String()),
		chromedp.WaitVisible(chromedp.CSS("table.history")))
	if got := evalString(t, b, `document.querySelector("table.history tbody tr .reviewed").textContent`); got != "relue par Camille Martin" {
		t.Errorf("history: %q", got)
	}
}

// marked checks that the diff under sel marks exactly one word inserted,
// SMS, and one deleted, message, each in a mark of its own.
func marked(t *testing.T, ctx context.Context, what, sel string) {
	t.Helper()
	list := func(mark string) string {
		return evalString(t, ctx, `[...document.querySelectorAll("`+sel+` `+mark+`")].map(e => "["+e.textContent+"]").join("")`)
	}
	if got := list("ins.diff-ins"); got != "[SMS]" {
		t.Errorf("%s: inserted %s, want [SMS]", what, got)
	}
	if got := list("del.diff-del"); got != "[message]" {
		t.Errorf("%s: deleted %s, want [message]", what, got)
	}
}

// french switches a signed-in tab's interface to French.
func french(t *testing.T, ctx context.Context) {
	t.Helper()
	chooseLanguage(t, ctx, "fr")
	waitFor(t, ctx, "the French interface", `document.documentElement.lang === "fr" && !!document.querySelector(".cards")`)
}
