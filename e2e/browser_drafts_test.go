package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	domain "github.com/kdecole-club/clubwiki/wiki"
)

// TestBrowser_DraftRestored: Camille types in the editor and closes the
// tab; Marie saves another part of the page meanwhile; reopening the
// editor offers the draft with what it changes, restores it merged onto
// Marie's version, and the save drops the draft.
func TestBrowser_DraftRestored(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests are skipped with -short")
	}
	t.Parallel()
	base, svc, camille := wikiServerWith(t)
	bg := context.Background()
	marie, err := svc.CreateUser(bg, domain.NewUser{Login: "marie", Name: "Marie", Password: "mot-de-passe-solide"})
	if err != nil {
		t.Fatal(err)
	}
	p, _ := domain.ParsePath("usages/brouillon")
	if _, err := svc.Save(bg, camille, domain.SaveRequest{Path: p, Markdown: "# Brouillon\n\nPremière ligne.\n\nDeuxième ligne.\n"}); err != nil {
		t.Fatal(err)
	}
	ctx := newBrowser(t)
	signInAs(t, ctx, base, "camille")

	first, closeFirst := chromedp.NewContext(ctx) // a second tab of the same browser context
	step(t, first, "opening the editor", chromedp.Navigate(base+"/edit/usages/brouillon"),
		chromedp.WaitVisible(chromedp.ID("markdown")),
		typeAtEnd("markdown", "\nUne phrase tapée avant la fermeture.\n"))
	deadline := time.Now().Add(patience)
	for {
		d, err := svc.DraftOf(bg, camille, p)
		if err == nil && strings.Contains(d.Markdown, "Une phrase tapée") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the draft never reached the server: %+v, %v", d, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	closeFirst() // the tab is closed, the browser context stays
	if _, err := svc.Save(bg, &marie, domain.SaveRequest{Path: p, BaseRev: 1, Markdown: "# Brouillon\n\nPremière ligne, revue.\n\nDeuxième ligne.\n"}); err != nil {
		t.Fatal(err)
	}

	second, closeSecond := chromedp.NewContext(ctx)
	defer closeSecond()
	step(t, second, "reopening the editor", chromedp.Navigate(base+"/edit/usages/brouillon"),
		chromedp.WaitVisible(chromedp.ID("markdown")))
	waitFor(t, second, "the draft offered with its changes", `!document.getElementById("draft-offer").hidden && Array.from(document.querySelectorAll("#draft-offer .draft-diff ins")).some(e => e.textContent.includes("Une phrase tapée"))`)
	step(t, second, "restoring it", chromedp.Click(chromedp.ID("draft-restore")))
	waitFor(t, second, "the draft merged onto Marie's version", `(() => { const v = document.getElementById("markdown").value; return v.includes("Une phrase tapée") && v.includes("Première ligne, revue.") && document.querySelector("input[name=base_rev]").value === "2"; })()`)
	step(t, second, "saving", chromedp.Focus(chromedp.ID("markdown")), ctrlS)
	wantLocation(t, second, "/wiki/usages/brouillon")
	waitFor(t, second, "the page", `!!document.querySelector(".flash")`)
	v, err := svc.Page(bg, camille, p, 0)
	if err != nil || !strings.Contains(v.Markdown, "Une phrase tapée") || !strings.Contains(v.Markdown, "Première ligne, revue.") {
		t.Fatalf("head = %q, %v", v.Markdown, err)
	}
	if _, err := svc.DraftOf(bg, camille, p); domain.ErrorCode(err) != domain.ENotFound {
		t.Fatalf("the draft outlived the save: %v", err)
	}
}

// TestBrowser_Presence: Camille and Marie edit the same page in two
// browser contexts; each editor shows the other; when Marie saves,
// Camille's editor says so at once and brings her change into the text.
func TestBrowser_Presence(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests are skipped with -short")
	}
	t.Parallel()
	base, svc, camille := wikiServerEvery(t, editorEvery)
	bg := context.Background()
	marie, err := svc.CreateUser(bg, domain.NewUser{Login: "marie", Name: "Marie Durand", Password: "mot-de-passe-solide"})
	if err != nil {
		t.Fatal(err)
	}
	p, _ := domain.ParsePath("usages/ensemble")
	if _, err := svc.Save(bg, camille, domain.SaveRequest{Path: p, Markdown: "# Ensemble\n\nUn.\n\nDeux.\n"}); err != nil {
		t.Fatal(err)
	}
	c1 := newBrowser(t)
	c2 := newBrowser(t)
	signInAs(t, c1, base, "camille")
	signInAs(t, c2, base, "marie")
	step(t, c1, "Camille opens the editor", chromedp.Navigate(base+"/edit/usages/ensemble"), chromedp.WaitVisible(chromedp.ID("markdown")),
		typeAtEnd("markdown", "\nTrois.\n"))
	step(t, c2, "Marie opens the editor", chromedp.Navigate(base+"/edit/usages/ensemble"), chromedp.WaitVisible(chromedp.ID("markdown")))
	waitFor(t, c2, "Camille shown to Marie, with unsaved changes", `(() => { const e = document.querySelector("#presence .presence-editor[data-login=camille]"); return !!e && !document.getElementById("presence").hidden && e.textContent.includes("Camille Martin") && e.textContent.includes(","); })()`)
	waitFor(t, c1, "Marie shown to Camille", `!!document.querySelector("#presence .presence-editor[data-login=marie]")`)

	if _, err := svc.Save(bg, &marie, domain.SaveRequest{Path: p, BaseRev: 1, Markdown: "# Ensemble\n\nUn, revu par Marie.\n\nDeux.\n"}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, c1, "the news of Marie's save", `!!document.getElementById("bring-in")`)
	step(t, c1, "bringing her change in", chromedp.Click(chromedp.ID("bring-in")))
	waitFor(t, c1, "both changes in the text", `(() => { const v = document.getElementById("markdown").value; return v.includes("Un, revu par Marie.") && v.includes("Trois.") && document.querySelector("input[name=base_rev]").value === "2"; })()`)
}

// TestBrowser_ToolbarAndSection: « Modifier » next to a section heading
// opens that section alone; the toolbar puts the selection in bold; « Voir
// mes modifications » shows it; the save merges with an edit made
// elsewhere meanwhile. A new page's editor offers no « modification
// mineure ».
func TestBrowser_ToolbarAndSection(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests are skipped with -short")
	}
	t.Parallel()
	base, svc, camille := wikiServerWith(t)
	bg := context.Background()
	marie, err := svc.CreateUser(bg, domain.NewUser{Login: "marie", Name: "Marie", Password: "mot-de-passe-solide"})
	if err != nil {
		t.Fatal(err)
	}
	p, _ := domain.ParsePath("usages/guide")
	if _, err := svc.Save(bg, camille, domain.SaveRequest{Path: p, Markdown: "# Guide\n\nIntro.\n\n## Élèves\n\nTexte élèves.\n\n```\n## pas une section\n```\n\n## Parents\n\nTexte parents.\n"}); err != nil {
		t.Fatal(err)
	}
	ctx := newBrowser(t)
	signInAs(t, ctx, base, "camille")
	step(t, ctx, "the page", chromedp.Navigate(base+"/wiki/usages/guide"))
	waitFor(t, ctx, "a « Modifier » per section", `document.querySelectorAll(".content > h2 a.section-edit").length === 2`)
	checkA11y(t, ctx, "a page with section links")
	step(t, ctx, "editing the section « Parents »", chromedp.Click(chromedp.CSS(`.content > h2:last-of-type a.section-edit`)))
	wantLocation(t, ctx, "/edit/usages/guide?section=3")
	waitFor(t, ctx, "the section alone", `document.getElementById("markdown").value === "## Parents\n\nTexte parents.\n" && !document.querySelector(".toolbar").hidden`)
	step(t, ctx, "selecting a word and pressing bold",
		run(`(() => { const t = document.getElementById("markdown"); t.focus(); t.setSelectionRange(12, 17); return true; })()`),
		chromedp.Click(chromedp.CSS(`.toolbar button[data-md=bold]`)))
	checkA11y(t, ctx, "the editor with its toolbar")
	waitFor(t, ctx, "the word in bold", `document.getElementById("markdown").value === "## Parents\n\n**Texte** parents.\n"`)
	step(t, ctx, "a list", run(`(() => { const t = document.getElementById("markdown"); t.setSelectionRange(t.value.length - 3, t.value.length - 3); return true; })()`),
		chromedp.Click(chromedp.CSS(`.toolbar button[data-md=ul]`)))
	waitFor(t, ctx, "the line as a list item", `document.getElementById("markdown").value === "## Parents\n\n- **Texte** parents.\n"`)
	step(t, ctx, "showing my changes", chromedp.Click(chromedp.ID("show-changes")))
	waitFor(t, ctx, "the word diff", `!document.getElementById("changes").hidden && Array.from(document.querySelectorAll("#changes ins")).some(e => e.textContent.includes("**"))`)

	if _, err := svc.Save(bg, &marie, domain.SaveRequest{Path: p, BaseRev: 1, Markdown: "# Guide\n\nIntro, revue par Marie.\n\n## Élèves\n\nTexte élèves.\n\n```\n## pas une section\n```\n\n## Parents\n\nTexte parents.\n"}); err != nil {
		t.Fatal(err)
	}
	step(t, ctx, "saving the section", chromedp.Focus(chromedp.ID("markdown")), ctrlS)
	wantLocation(t, ctx, "/wiki/usages/guide")
	waitFor(t, ctx, "the page", `!!document.querySelector(".flash")`)
	v, err := svc.Page(bg, camille, p, 0)
	if want := "# Guide\n\nIntro, revue par Marie.\n\n## Élèves\n\nTexte élèves.\n\n```\n## pas une section\n```\n\n## Parents\n\n- **Texte** parents.\n"; err != nil || v.Markdown != want {
		t.Fatalf("head = %q, %v; want %q", v.Markdown, err, want)
	}

	step(t, ctx, "« Mes brouillons »", chromedp.Navigate(base+"/drafts"), chromedp.WaitVisible(chromedp.CSS("main h1")))
	checkA11y(t, ctx, "/drafts")
	step(t, ctx, "a new page's editor", chromedp.Navigate(base+"/edit/usages/toute-nouvelle"), chromedp.WaitVisible(chromedp.ID("markdown")))
	if got := evalString(t, ctx, `String(!!document.getElementById("minor"))`); got != "false" {
		t.Errorf("« modification mineure » offered on a new page")
	}
	step(t, ctx, "a phone's width", chromedp.EmulateViewport(360, 740), chromedp.Navigate(base+"/edit/usages/guide"), chromedp.WaitVisible(chromedp.ID("markdown")))
	waitFor(t, ctx, "text and preview as tabs", `getComputedStyle(document.querySelector(".preview-pane")).display === "none" && getComputedStyle(document.querySelector(".edit-tabs")).display !== "none"`)
	// At 740 px high the tabs sit under the sticky save bar, which a
	// click at their place would reach instead (« Voir mes modifications »
	// also shows the preview): the member scrolls them up first, and the
	// tab must say it is the one selected.
	step(t, ctx, "the preview tab",
		run(`(() => { document.getElementById("tab-preview").scrollIntoView({block: "start"}); return true; })()`),
		chromedp.Click(chromedp.ID("tab-preview")))
	waitFor(t, ctx, "the preview shown, the text hidden", `document.getElementById("tab-preview").getAttribute("aria-selected") === "true" && getComputedStyle(document.querySelector(".preview-pane")).display !== "none" && getComputedStyle(document.getElementById("markdown")).display === "none"`)
	if w, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); err != nil || w > 360 {
		t.Errorf("the editor at 360 px: scrollWidth %d, %v", w, err)
	}
	if got := evalString(t, ctx, `(() => { const r = document.querySelector(".save-row").getBoundingClientRect(); return String(r.bottom <= window.innerHeight && r.top >= 0); })()`); got != "true" {
		t.Errorf("the save bar is out of reach on a phone")
	}
}
