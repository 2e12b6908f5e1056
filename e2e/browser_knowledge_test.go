package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowser_Knowledge: the whole life of a resolution, in the browser
// only. Created from /new with the form (no YAML typed), with a screenshot
// pasted into the editor, saved, the page shows its banner and the image;
// the axis page's « Difficultés ouvertes » lists it; marked résolu through
// the form, it leaves that view for « Résolues récemment ».
func TestBrowser_Knowledge(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests are skipped with -short")
	}
	t.Parallel()
	base := wikiServer(t)
	ctx := newBrowser(t)
	signInAs(t, ctx, base, "camille")
	const (
		slug   = "assistance/imprimante-bloquee-en-salle-12"
		statut = `document.getElementById("meta-resolution-statut")`
		link   = `a.wikilink[href="/wiki/` + slug + `"]`
	)
	// knowledgeIn returns a condition: the view under the axis page's
	// heading with that id lists the resolution. Headings are found by
	// their ids: an editor's have a section edit link in their text.
	knowledgeIn := func(id string) string {
		return `(() => { const h = document.getElementById(` + jsString(id) + `);
			const v = h && h.nextElementSibling; return !!(v && v.classList.contains("wiki-view") && v.querySelector(` + jsString(link) + `)); })()`
	}
	const open, solved = "h-difficultes-ouvertes", "h-resolues-recemment"

	t.Run("created from /new with the form and a pasted screenshot", func(t *testing.T) {
		step(t, ctx, "opening /new", chromedp.Navigate(base+"/new?ns=assistance"),
			chromedp.WaitVisible(chromedp.ID("title")),
			chromedp.Click(chromedp.CSS(`fieldset.kinds input[value="resolution"]`)),
			insertText(chromedp.ID("title"), "Imprimante bloquée en salle 12"),
			load(chromedp.Click(chromedp.CSS("#new-form button[type=submit]"))),
			chromedp.WaitVisible(chromedp.ID("metaform")),
			chromedp.WaitVisible(chromedp.ID("editor-files")))
		if got := evalString(t, ctx, statut+`.value`); got != "ouvert" {
			t.Errorf("statut in the form = %q", got)
		}
		step(t, ctx, "filling the form",
			chromedp.Click(chromedp.CSS(`.meta-fields[data-type="resolution"] input[value="e-lyco"]`)))
		waitFor(t, ctx, "the front matter written by the form", `/\nprojets: \[e-lyco\]\n/.test(document.getElementById("markdown").value)`)
		step(t, ctx, "typing", typeAtEnd("markdown", "\nVoici la capture :\n\n"))
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](pasteScreenshot, chromedp.EvalAwaitPromise)); err != nil {
			t.Fatalf("pasting: %v", err)
		}
		waitFor(t, ctx, "the image inserted", `/!\[\]\(capture-\d{8}-\d{6}\.png\)/.test(document.getElementById("markdown").value)`)
		md := evalString(t, ctx, `document.getElementById("markdown").value`)
		if !strings.HasPrefix(md, "---\ntype: resolution\nstatut: ouvert\n") {
			t.Errorf("the front matter is lost:\n%s", md)
		}
	})

	t.Run("saved, the page shows the banner and the image", func(t *testing.T) {
		step(t, ctx, "saving", load(chromedp.Click(chromedp.CSS("#editor .save-row button.primary"))),
			chromedp.WaitVisible(chromedp.ID("type-banner")))
		wantLocation(t, ctx, "/wiki/"+slug)
		if got := evalString(t, ctx, `document.getElementById("type-banner").textContent`); !strings.Contains(got, "Résolution") || !strings.Contains(got, "ouvert") || !strings.Contains(got, "e-lyco") {
			t.Errorf("banner = %q", got)
		}
		waitFor(t, ctx, "the screenshot shown inline", `(() => { const i = document.querySelector(".content img"); return !!i && i.complete && i.naturalWidth === 40 && /^\/files\/`+strings.ReplaceAll(slug, "/", `\/`)+`\/capture-\d{8}-\d{6}\.png$/.test(i.getAttribute("src")); })()`)
	})

	t.Run("the axis page lists it among the open difficulties", func(t *testing.T) {
		// The views are searches: the index's follower catches up with
		// the save a moment later, hence reloads until it is listed.
		knowledgeAxisUntil(t, ctx, base, "the resolution in « Difficultés ouvertes »", knowledgeIn(open))
		if got := evalString(t, ctx, `document.querySelector(`+jsString(link)+`).closest("tr").textContent`); !strings.Contains(got, "ouvert") || !strings.Contains(got, "e-lyco") {
			t.Errorf("its row says %q", got)
		}
		if evalString(t, ctx, `String(`+knowledgeIn(solved)+`)`) != "false" {
			t.Error("an open resolution is among the solved ones")
		}
	})

	t.Run("marked résolu through the form, it moves to Résolues récemment", func(t *testing.T) {
		step(t, ctx, "opening the page", load(chromedp.Click(chromedp.CSS(link))),
			chromedp.WaitVisible(chromedp.ID("type-banner")))
		wantLocation(t, ctx, "/wiki/"+slug)
		step(t, ctx, "editing", load(chromedp.Click(chromedp.CSS(`a.button[href="/edit/`+slug+`"]`))),
			chromedp.WaitVisible(chromedp.ID("metaform")))
		evalString(t, ctx, `(() => { const s = `+statut+`; s.value = "résolu"; s.dispatchEvent(new Event("change", {bubbles: true})); return ""; })()`)
		waitFor(t, ctx, "the YAML following the form", `document.getElementById("markdown").value.includes("\nstatut: résolu\n")`)
		step(t, ctx, "saving", load(chromedp.Click(chromedp.CSS("#editor .save-row button.primary"))),
			chromedp.WaitVisible(chromedp.CSS("#type-banner .badge.status-resolu")))
		wantLocation(t, ctx, "/wiki/"+slug)
		waitFor(t, ctx, "the screenshot still shown", `!!document.querySelector(".content img[src*='capture-']")`)
		knowledgeAxisUntil(t, ctx, base, "the resolution in « Résolues récemment »", knowledgeIn(solved))
		if evalString(t, ctx, `String(`+knowledgeIn(open)+`)`) != "false" {
			t.Error("a solved resolution is still among the open ones")
		}
	})
}

// knowledgeAxisUntil opens the assistance axis page until cond holds: its
// views are searches, and the index follows the saves a moment later.
func knowledgeAxisUntil(t *testing.T, ctx context.Context, base, what, cond string) {
	t.Helper()
	for deadline := time.Now().Add(patience); ; time.Sleep(100 * time.Millisecond) {
		step(t, ctx, "opening the axis", chromedp.Navigate(base+"/wiki/assistance/accueil"), chromedp.WaitVisible(chromedp.ID("axis-tree")))
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](cond))
		if err != nil {
			t.Fatalf("evaluating %s: %v", what, err)
		}
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("waiting for %s: not there after %v", what, patience)
		}
	}
}
