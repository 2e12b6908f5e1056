package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	domain "github.com/kdecole-club/clubwiki/wiki"
)

// mergeDoc is the best-practice page two members edit at once.
const mergeDoc = "# Cahier de textes\n\nLe cahier de textes s'ouvre le matin. Les parents le lisent le soir. L'équipe vérifie le vendredi.\n\n" +
	"Les devoirs sont saisis par l'enseignant. Les élèves les consultent sur l'ENT.\n"

// TestBrowser_MergeFlow has Camille and Marie, each in a browser of their
// own, edit one page from the same revision. Different sentences of one
// paragraph: both saves go through, the second with the merged notice.
// The same words: the second gets the conflict screen, settles it region
// by region (theirs in one, « remplacer sa version » in the other), after
// leaving the page and taking the kept text back, and saves.
func TestBrowser_MergeFlow(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests are skipped with -short")
	}
	t.Parallel()
	base, svc, camille := wikiServerWith(t)
	bg := context.Background()
	if _, err := svc.CreateUser(bg, domain.NewUser{Login: "marie", Name: "Marie Durand", Password: "mot-de-passe-solide"}); err != nil {
		t.Fatal(err)
	}
	p, _ := domain.ParsePath("usages/cahier-de-textes")
	if _, err := svc.Save(bg, camille, domain.SaveRequest{Path: p, Markdown: mergeDoc}); err != nil {
		t.Fatal(err)
	}
	head := func() string {
		t.Helper()
		v, err := svc.Page(bg, camille, p, 0)
		if err != nil {
			t.Fatal(err)
		}
		return v.Markdown
	}
	cam, mar := newBrowser(t), newBrowser(t)
	signInAs(t, cam, base, "camille")
	signInAs(t, mar, base, "marie")
	edit := "/edit/" + p.String()

	t.Run("different sentences of one paragraph", func(t *testing.T) {
		openEditor(t, cam, base+edit)
		openEditor(t, mar, base+edit)
		writeAndSave(t, mar, replaceJS("le soir", "chaque soir"), "Marie's save")
		wantLocation(t, mar, "/wiki/"+p.String())
		writeAndSave(t, cam, replaceJS("le vendredi", "le lundi"), "Camille's save")
		wantLocation(t, cam, "/wiki/"+p.String())
		// The browser asks for English or French: either notice will do.
		waitFor(t, cam, "the merged notice", `/fusionnées automatiquement|merged automatically/.test((document.querySelector(".flash") || {}).textContent)`)
		if got := head(); !strings.Contains(got, "chaque soir") || !strings.Contains(got, "le lundi") {
			t.Fatalf("head = %q, want both sentences changed", got)
		}
	})

	t.Run("same words, the conflict screen", func(t *testing.T) {
		openEditor(t, cam, base+edit)
		openEditor(t, mar, base+edit)
		writeAndSave(t, mar, replaceJS("s'ouvre le matin", "s'ouvre dès 8 h")+replaceJS("par l'enseignant", "par le professeur principal"), "Marie's save")
		wantLocation(t, mar, "/wiki/"+p.String())
		writeAndSave(t, cam, replaceJS("s'ouvre le matin", "s'ouvre à midi")+replaceJS("par l'enseignant", "par chaque enseignant")+
			replaceJS("sur l'ENT", "sur l'application"), "Camille's save")
		waitFor(t, cam, "the conflict screen", `document.querySelectorAll("#conflict-screen .conflict-region").length === 2`)
		if got := evalString(t, cam, `document.querySelector(".conflict-region .theirs h4").textContent`); got != "Celles de Marie Durand" && got != "Those of Marie Durand" {
			t.Errorf("their side is titled %q", got)
		}
		if got := evalString(t, cam, `document.querySelector(".conflict-region .base pre").textContent`); !strings.Contains(got, "le matin") {
			t.Errorf("the base of the first region is %q", got)
		}
		screenshot(t, cam, "conflict-regions")

		// Leaving the page loses nothing: the editor offers the text back.
		// (The editor asks before leaving unsaved text: the member says
		// yes.)
		acceptDialogs(cam)
		openEditor(t, cam, base+edit)
		waitFor(t, cam, "the offer of the kept text", `!!document.querySelector(".conflict-restore .restore-yes")`)
		step(t, cam, "taking the kept text back", chromedp.Click(chromedp.CSS(".conflict-restore .restore-yes")))
		waitFor(t, cam, "the conflict screen again", `document.querySelectorAll("#conflict-screen .conflict-region").length === 2`)

		step(t, cam, "keeping theirs in the first passage",
			chromedp.Click(chromedp.CSS(".conflict-region:nth-of-type(1) .keep-theirs")))
		waitFor(t, cam, "one passage left", `document.querySelectorAll(".conflict-region.settled").length === 1`)
		step(t, cam, "keeping mine in the second passage",
			chromedp.Click(chromedp.CSS(".conflict-region:not(.settled) .keep-mine")))
		waitFor(t, cam, "the explicit replacement", `!document.querySelector(".conflict-region:not(.settled) .conflict-confirm").hidden`)
		step(t, cam, "replacing their version", chromedp.Click(chromedp.CSS(".conflict-region:not(.settled) .replace")))
		waitFor(t, cam, "every passage settled", `!!document.querySelector(".conflict-done") && !document.getElementById("markdown").value.includes("<<<<<<<")`)
		step(t, cam, "saving", chromedp.Click(chromedp.CSS("form#editor button.primary")))
		wantLocation(t, cam, "/wiki/"+p.String())
		waitFor(t, cam, "the saved notice", `!!document.querySelector(".flash")`)
		got := head()
		for _, want := range []string{"s'ouvre dès 8 h", "par chaque enseignant", "sur l'application", "chaque soir", "le lundi"} {
			if !strings.Contains(got, want) {
				t.Errorf("head lacks %q:\n%s", want, got)
			}
		}
		if strings.Contains(got, "<<<<<<<") || strings.Contains(got, "à midi") || strings.Contains(got, "professeur principal") {
			t.Errorf("head = %q", got)
		}
		if kept := evalString(t, cam, `String(localStorage.getItem("clubwiki.conflict.`+p.String()+`"))`); kept != "null" {
			t.Errorf("the kept text outlived its save: %s", kept)
		}
	})
}

// acceptDialogs answers yes to every dialog of the tab from now on, as
// « leave this page? ».
func acceptDialogs(ctx context.Context) {
	dialogs := chromedp.Events(ctx, page.JavascriptDialogOpening)
	go func() {
		for _, err := range dialogs {
			if err != nil {
				return
			}
			_, _ = chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: true})
		}
	}()
}

// openEditor opens the editor at url, fresh.
func openEditor(t *testing.T, ctx context.Context, url string) {
	t.Helper()
	step(t, ctx, "opening the editor", chromedp.Navigate(url), chromedp.WaitVisible(chromedp.ID("markdown")))
	waitFor(t, ctx, "the editor's scripts", `document.readyState === "complete"`)
}

// replaceJS is a statement replacing old by neu in the text area's value.
func replaceJS(old, neu string) string {
	return `t.value = t.value.replace(` + jsString(old) + `, ` + jsString(neu) + `);`
}

// writeAndSave runs the statements edits on the text area t, then saves
// with the form's button.
func writeAndSave(t *testing.T, ctx context.Context, edits, what string) {
	t.Helper()
	step(t, ctx, what,
		run(`(() => { const t = document.getElementById("markdown"); `+edits+` t.dispatchEvent(new Event("input", {bubbles: true})); window.leaving = true; return true; })()`),
		chromedp.Click(chromedp.CSS("form#editor button.primary")))
	waitFor(t, ctx, "the next page", `!window.leaving && document.readyState === "complete"`)
}
