package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	domain "github.com/kdecole-club/clubwiki/wiki"
)

// TestBrowser_Rules: an admin keeps marches to e-lyco on the admin page; a
// member signed in beforehand sees nothing of it anywhere (page, search,
// recent changes, backlinks, the axes on the home page, a link to it); the
// admin adds them to e-lyco; they see it at their next click, without
// signing in again.
func TestBrowser_Rules(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests are skipped with -short")
	}
	t.Parallel()
	base, svc, _ := wikiServerWith(t)
	bg := context.Background()
	chef, err := svc.CreateUser(bg, domain.NewUser{Login: "chef", Name: "Chef", Role: domain.RoleAdmin, Password: "mot-de-passe-solide"})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []struct{ path, md string }{
		{"marches/contrat-hebergeur", "# Contrat zorglub de l'hébergeur\n\nLe prix zorglub du contrat.\n"},
		{"usages/liens-utiles", "# Liens utiles\n\nVoir [[marches/contrat-hebergeur]].\n"},
	} {
		if _, err := svc.Save(bg, &chef, domain.SaveRequest{Path: domain.MustPath(p.path), Markdown: p.md}); err != nil {
			t.Fatal(err)
		}
	}
	waitIndexed(t, base)
	member := newBrowser(t)
	signInFast(t, member, base)
	admin := newBrowser(t)
	signInAs(t, admin, base, "chef")
	step(t, admin, "the admin searches", chromedp.Navigate(base+"/search?q=zorglub"))
	waitFor(t, admin, "the page indexed", `!!document.querySelector('ol.hits a[href="/wiki/marches/contrat-hebergeur"]')`)

	step(t, admin, "the admin page", chromedp.Navigate(base+"/admin"),
		chromedp.WaitVisible(chromedp.ID("rules-marches")))
	keepToLyco := `(() => { for (const name of ["read", "edit"]) {
		for (const box of document.querySelectorAll('#rules-marches input[name="' + name + '"]')) box.checked = box.value === "e-lyco";
	} return "ticked" })()`
	if got := evalString(t, admin, keepToLyco); got != "ticked" {
		t.Fatalf("ticking the boxes: %q", got)
	}
	step(t, admin, "keeping marches to e-lyco", load(chromedp.Click(chromedp.CSS("#rules-marches button[type=submit]"))))
	waitFor(t, admin, "the rules saved", `!!document.querySelector("p.flash") && document.querySelector('#rules-marches input[name="read"][value="e-lyco"]').checked`)

	seesNothing(t, member, base)

	step(t, admin, "adding camille to e-lyco", chromedp.Navigate(base+"/admin"),
		chromedp.WaitVisible(chromedp.ID("member-camille")),
		chromedp.Click(chromedp.CSS(`#member-camille input[name="groups"][value="e-lyco"]`)),
		load(chromedp.Click(chromedp.CSS("#member-camille button[type=submit]"))))
	waitFor(t, admin, "the member saved", `!!document.querySelector("p.flash") && document.querySelector('#member-camille input[name="groups"][value="e-lyco"]').checked`)

	step(t, member, "the page, without signing in again", chromedp.Navigate(base+"/wiki/marches/contrat-hebergeur"))
	waitFor(t, member, "the page", `document.body.innerText.includes("Le prix zorglub du contrat.")`)
	step(t, member, "search", chromedp.Navigate(base+"/search?q=zorglub"))
	waitFor(t, member, "the hit", `!!document.querySelector('ol.hits a[href="/wiki/marches/contrat-hebergeur"]')`)
	step(t, member, "the home page", chromedp.Navigate(base+"/"))
	waitFor(t, member, "the axis", `!!document.querySelector('a[href="/ns/marches"]')`)
}

// seesNothing checks that the member sees nothing of marches: each view's
// text and links.
func seesNothing(t *testing.T, ctx context.Context, base string) {
	t.Helper()
	for _, target := range []string{"/wiki/marches/contrat-hebergeur", "/search?q=zorglub", "/search?q=contrat", "/changes",
		"/backlinks/usages/liens-utiles", "/", "/ns/marches", "/history/marches/contrat-hebergeur"} {
		step(t, ctx, "opening "+target, chromedp.Navigate(base+target))
		waitFor(t, ctx, target+" loaded", `document.readyState === "complete" && !!document.querySelector("main")`)
		html := evalString(t, ctx, `document.documentElement.outerHTML`)
		// Links into marches that do not look missing (an open page's
		// own link, with its author's label, stays, marked missing).
		live := evalString(t, ctx, `[...document.querySelectorAll('a[href^="/wiki/marches/"], a[href="/ns/marches"]')].filter(a => !a.classList.contains("missing")).map(a => a.outerHTML).join(" ")`)
		// What the member typed comes back (the query, the path); the
		// page's title and text must not.
		if strings.Contains(html, "hébergeur") || strings.Contains(html, "prix zorglub") || live != "" {
			t.Errorf("%s shows marches: links %q in %.400s", target, live, html[strings.Index(html, "<main"):])
		}
	}
	step(t, ctx, "a page linking to it", chromedp.Navigate(base+"/wiki/usages/liens-utiles"))
	waitFor(t, ctx, "the link, missing", `!!document.querySelector('main a.missing[href="/wiki/marches/contrat-hebergeur"]')`)
}
