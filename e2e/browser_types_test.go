package e2e

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowser_TypedPage: a resolution created from /new with the form (no
// YAML typed), saved, shows its banner; marked résolu through the form, the
// banner follows. The form and the YAML stay in step both ways.
func TestBrowser_TypedPage(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests are skipped with -short")
	}
	t.Parallel()
	base := wikiServer(t)
	ctx := newBrowser(t)
	signInAs(t, ctx, base, "camille")
	today := time.Now().UTC().Format("2006-01-02")
	statut := `document.getElementById("meta-resolution-statut")`

	t.Run("a resolution from /new with the form", func(t *testing.T) {
		step(t, ctx, "opening /new", chromedp.Navigate(base+"/new?ns=assistance"),
			chromedp.WaitVisible(chromedp.ID("title")),
			chromedp.Click(chromedp.CSS(`fieldset.kinds input[value="resolution"]`)),
			insertText(chromedp.ID("title"), "Connexion refusée au portail"),
			load(chromedp.Click(chromedp.CSS("#new-form button[type=submit]"))),
			chromedp.WaitVisible(chromedp.ID("metaform")))
		md := evalString(t, ctx, `document.getElementById("markdown").value`)
		if !strings.Contains(md, "type: resolution\n") || !strings.Contains(md, "## Symptômes") {
			t.Fatalf("the editor is not pre-filled:\n%s", md)
		}
		if got := evalString(t, ctx, statut+`.value`); got != "ouvert" {
			t.Errorf("statut in the form = %q", got)
		}
		step(t, ctx, "filling the form",
			chromedp.Click(chromedp.CSS(`.meta-fields[data-type="resolution"] input[value="e-lyco"]`)),
			chromedp.Click(chromedp.CSS(`.meta-fields[data-type="resolution"] input[value="ent-mip"]`)),
			insertText(chromedp.ID("meta-resolution-version"), "5.2"))
		byHand := "---\ntype: resolution\nstatut: ouvert\ndate: " + today + "\nprojets: [ent-mip, e-lyco]\nversion: \"5.2\"\n---\n"
		waitFor(t, ctx, "the front matter written by the form", `document.getElementById("markdown").value.startsWith(`+jsonString(byHand)+`)`)
		if t.Failed() {
			t.Logf("text: %s", evalString(t, ctx, `document.getElementById("markdown").value`))
		}
	})

	t.Run("the YAML refills the form", func(t *testing.T) {
		evalString(t, ctx, `(() => { const t = document.getElementById("markdown");
			t.value = t.value.replace("statut: ouvert", "statut: Contourne"); t.dispatchEvent(new Event("input", {bubbles: true})); return ""; })()`)
		waitFor(t, ctx, "the form following the YAML", statut+`.value === "contourné"`)
		evalString(t, ctx, `(() => { const t = document.getElementById("markdown");
			t.value = t.value.replace("statut: Contourne", "statut: ouvert"); t.dispatchEvent(new Event("input", {bubbles: true})); return ""; })()`)
		waitFor(t, ctx, "the form following the YAML back", statut+`.value === "ouvert"`)
	})

	t.Run("saved, the page shows its banner", func(t *testing.T) {
		step(t, ctx, "saving", load(chromedp.Click(chromedp.CSS("#editor .save-row button.primary"))),
			chromedp.WaitVisible(chromedp.ID("type-banner")))
		wantLocation(t, ctx, "/wiki/assistance/connexion-refusee-au-portail")
		if got := evalString(t, ctx, `document.getElementById("type-banner").textContent`); !strings.Contains(got, "Résolution") || !strings.Contains(got, "ouvert") || !strings.Contains(got, "e-lyco") {
			t.Errorf("banner = %q", got)
		}
	})

	t.Run("marked résolu through the form", func(t *testing.T) {
		step(t, ctx, "editing", load(chromedp.Click(chromedp.CSS(`a.button[href="/edit/assistance/connexion-refusee-au-portail"]`))),
			chromedp.WaitVisible(chromedp.ID("metaform")))
		evalString(t, ctx, `(() => { const s = `+statut+`; s.value = "résolu"; s.dispatchEvent(new Event("change", {bubbles: true})); return ""; })()`)
		waitFor(t, ctx, "the YAML following the form", `document.getElementById("markdown").value.includes("\nstatut: résolu\n")`)
		if t.Failed() {
			t.Logf("text: %s", evalString(t, ctx, `document.getElementById("markdown").value`))
		}
		step(t, ctx, "saving", load(chromedp.Click(chromedp.CSS("#editor .save-row button.primary"))),
			chromedp.WaitVisible(chromedp.CSS("#type-banner .badge.status-resolu")))
		if got := evalString(t, ctx, `document.querySelector("#type-banner .badge.status").textContent`); got != "résolu" {
			t.Errorf("status badge = %q", got)
		}
	})
}

// jsonString is s as a JavaScript string literal, newlines included.
func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
