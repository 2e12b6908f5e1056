package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	domain "github.com/kdecole-club/clubwiki/wiki"
)

// TestBrowser_Invite: an admin keeps marches to e-lyco and invites paul
// with a link; paul opens it, chooses his name and password, signs in and
// sees nothing of marches (an invitation of lea, sent to a wrong address,
// is revoked meanwhile); the admin adds him to e-lyco and he sees it
// without signing in again; disabled, his next click goes to the login
// page; the admins' journal lists each of these actions with who and when.
func TestBrowser_Invite(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests are skipped with -short")
	}
	t.Parallel()
	base, svc, _ := wikiServerWith(t)
	bg := context.Background()
	start := time.Now().UTC().Add(-time.Second)
	chef, err := svc.CreateUser(bg, domain.NewUser{Login: "chef", Name: "Chef Admin", Role: domain.RoleAdmin, Password: "mot-de-passe-solide"})
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
	admin := newBrowser(t)
	signInAs(t, admin, base, "chef")
	readsIn(t, admin, base, "fr") // the journal's lines are checked in French
	step(t, admin, "the admin searches", chromedp.Navigate(base+"/search?q=zorglub"))
	waitFor(t, admin, "the page indexed", `!!document.querySelector('ol.hits a[href="/wiki/marches/contrat-hebergeur"]')`)
	keepMarchesToLyco(t, admin, base)

	link := invite(t, admin, base)
	revokeOne(t, admin, base)
	member := newBrowser(t)
	acceptInvitation(t, member, link)

	seesNothing(t, member, base)

	step(t, admin, "adding paul to e-lyco", chromedp.Navigate(base+"/admin"),
		chromedp.WaitVisible(chromedp.ID("member-paul")),
		chromedp.Click(chromedp.CSS(`#member-paul input[name="groups"][value="e-lyco"]`)),
		load(chromedp.Click(chromedp.CSS("#member-paul button[type=submit]"))))
	waitFor(t, admin, "the member saved", `!!document.querySelector("p.flash") && document.querySelector('#member-paul input[name="groups"][value="e-lyco"]').checked`)

	step(t, member, "the page, without signing in again", chromedp.Navigate(base+"/wiki/marches/contrat-hebergeur"))
	waitFor(t, member, "the page", `document.body.innerText.includes("Le prix zorglub du contrat.")`)
	step(t, member, "search", chromedp.Navigate(base+"/search?q=zorglub"))
	waitFor(t, member, "the hit", `!!document.querySelector('ol.hits a[href="/wiki/marches/contrat-hebergeur"]')`)
	step(t, member, "the home page", chromedp.Navigate(base+"/"))
	waitFor(t, member, "the axis", `!!document.querySelector('a[href="/ns/marches"]')`)

	step(t, admin, "disabling paul", chromedp.Navigate(base+"/admin"),
		chromedp.WaitVisible(chromedp.ID("member-paul")),
		chromedp.Click(chromedp.CSS(`#member-paul input[name="disabled"]`)),
		load(chromedp.Click(chromedp.CSS("#member-paul button[type=submit]"))))
	waitFor(t, admin, "the member disabled", `!!document.querySelector("p.flash") && document.querySelector('#member-paul input[name="disabled"]').checked`)
	step(t, member, "paul's next click", chromedp.Navigate(base+"/changes"))
	waitFor(t, member, "the login page", `!!document.getElementById("login") && location.pathname === "/login"`)

	journalLists(t, admin, base, start)
}

// keepMarchesToLyco ticks e-lyco alone in marches' rules on the admin page.
func keepMarchesToLyco(t *testing.T, admin context.Context, base string) {
	t.Helper()
	step(t, admin, "the admin page", chromedp.Navigate(base+"/admin"),
		chromedp.WaitVisible(chromedp.ID("rules-marches")))
	tick := `(() => { for (const name of ["read", "edit"]) {
		for (const box of document.querySelectorAll('#rules-marches input[name="' + name + '"]')) box.checked = box.value === "e-lyco";
	} return "ticked" })()`
	if got := evalString(t, admin, tick); got != "ticked" {
		t.Fatalf("ticking the boxes: %q", got)
	}
	step(t, admin, "keeping marches to e-lyco", load(chromedp.Click(chromedp.CSS("#rules-marches button[type=submit]"))))
	waitFor(t, admin, "the rules saved", `!!document.querySelector("p.flash") && document.querySelector('#rules-marches input[name="read"][value="e-lyco"]').checked`)
}

// invite fills the admin page's invitation form for paul, an editor in
// no group, and returns the link shown.
func invite(t *testing.T, admin context.Context, base string) string {
	t.Helper()
	step(t, admin, "the invitation form", chromedp.Navigate(base+"/admin"),
		chromedp.WaitVisible(chromedp.ID("invite-form")),
		insertText(chromedp.ID("invite-login"), "paul"),
		insertText(chromedp.ID("invite-name"), "Paul"),
		load(chromedp.Click(chromedp.CSS("#invite-form button[type=submit]"))),
		chromedp.WaitVisible(chromedp.ID("ticket-link")))
	checkA11y(t, admin, "the link shown")
	screenshot(t, admin, "invite-link")
	link := evalString(t, admin, `document.getElementById("ticket-link").value`)
	if !strings.HasPrefix(link, base+"/invite/cwi_") {
		t.Fatalf("the link shown is %q", link)
	}
	return link
}

// revokeOne invites lea, then revokes her invitation from the list of
// those pending on the admin page; paul's stays.
func revokeOne(t *testing.T, admin context.Context, base string) {
	t.Helper()
	step(t, admin, "inviting lea", chromedp.Navigate(base+"/admin"),
		chromedp.WaitVisible(chromedp.ID("invite-form")),
		insertText(chromedp.ID("invite-login"), "lea"),
		insertText(chromedp.ID("invite-email"), "lea@mauvaise-adresse.fr"),
		load(chromedp.Click(chromedp.CSS("#invite-form button[type=submit]"))),
		chromedp.WaitVisible(chromedp.ID("ticket-link")))
	step(t, admin, "the pending invitations", chromedp.Navigate(base+"/admin"),
		chromedp.WaitVisible(chromedp.ID("invitation-lea")))
	if got := evalString(t, admin, `[...document.querySelectorAll("#invitations tbody tr")].map(r => r.id).join(",")`); got != "invitation-lea,invitation-paul" {
		t.Errorf("pending invitations %q", got)
	}
	checkA11y(t, admin, "the admin page with pending invitations")
	step(t, admin, "revoking lea's", load(chromedp.Click(chromedp.CSS("#invitation-lea button[type=submit]"))))
	waitFor(t, admin, "the invitation revoked", `!!document.querySelector("p.flash") && !document.getElementById("invitation-lea") && !!document.getElementById("invitation-paul")`)
}

// acceptInvitation opens the link, sets paul's name and password, then
// signs in with them.
func acceptInvitation(t *testing.T, member context.Context, link string) {
	t.Helper()
	step(t, member, "opening the invitation", chromedp.Navigate(link),
		chromedp.WaitVisible(chromedp.ID("ticket-form")))
	if got := evalString(t, member, `(() => { const n = document.getElementById("ticket-name"); const was = n.value; n.value = ""; return was })()`); got != "Paul" {
		t.Errorf("the name the admin suggested: %q", got)
	}
	checkA11y(t, member, "the invitation's form")
	screenshot(t, member, "invite-form")
	step(t, member, "choosing a name and a password",
		insertText(chromedp.ID("ticket-name"), "Paul Martin"),
		insertText(chromedp.ID("ticket-password"), "un mot de passe solide"),
		insertText(chromedp.ID("ticket-confirm"), "un mot de passe solide"),
		load(chromedp.Click(chromedp.CSS("#ticket-form button[type=submit]"))),
		chromedp.WaitVisible(chromedp.ID("ticket-done")))
	step(t, member, "signing in", load(chromedp.Click(chromedp.ID("ticket-login"))),
		chromedp.WaitVisible(chromedp.ID("login")),
		chromedp.SendKeys(chromedp.ID("login"), "paul"),
		chromedp.SendKeys(chromedp.ID("password"), "un mot de passe solide"),
		load(chromedp.Click(chromedp.CSS("main form button[type=submit]"))),
		chromedp.WaitVisible(chromedp.CSS(".cards")))
	waitFor(t, member, "the name chosen in the header", `document.querySelector("header").innerText.includes("Paul Martin")`)
}

// journalLists checks that the admins' journal lists the test's actions,
// newest first, each with its author and a time since start.
func journalLists(t *testing.T, admin context.Context, base string, start time.Time) {
	t.Helper()
	step(t, admin, "the journal", chromedp.Navigate(base+"/admin"),
		chromedp.WaitVisible(chromedp.ID("journal-link")),
		load(chromedp.Click(chromedp.ID("journal-link"))),
		chromedp.WaitVisible(chromedp.ID("audit")))
	checkA11y(t, admin, "the journal")
	screenshot(t, admin, "admin-journal")
	rows := evalString(t, admin, `[...document.querySelectorAll("#audit tbody tr")].slice(0, 7).map(r =>
		[r.dataset.action, r.dataset.target, r.dataset.author, r.querySelector("time").getAttribute("datetime"), r.cells[1].innerText, r.cells[2].innerText, r.cells[3].innerText].join("|")).join("\n")`)
	want := []struct{ action, target, author, who, what string }{
		{"member", "paul", "chef", "Chef Admin (chef)", "Rôle, groupes ou état de paul changés"},
		{"member", "paul", "chef", "Chef Admin (chef)", "Rôle, groupes ou état de paul changés"},
		{"join", "paul", "paul", "Paul Martin (paul)", "Invitation acceptée par paul"},
		{"revoke-invite", "lea", "chef", "Chef Admin (chef)", "Invitation de lea révoquée"},
		{"invite", "lea", "chef", "Chef Admin (chef)", "Invitation de lea"},
		{"invite", "paul", "chef", "Chef Admin (chef)", "Invitation de paul"},
		{"rules", "marches", "chef", "Chef Admin (chef)", "Règles de lecture et de modification de l'espace marches"},
	}
	lines := strings.Split(rows, "\n")
	// What changed, with the new values: disabled, then the group added.
	for i, detail := range []string{"disabled=true", "groups=e-lyco"} {
		if i < len(lines) && !strings.HasSuffix(lines[i], "|"+detail) {
			t.Errorf("row %d: %q, want the detail %q", i, lines[i], detail)
		}
	}
	if len(lines) != len(want) {
		t.Fatalf("journal rows:\n%s", rows)
	}
	for i, w := range want {
		f := strings.Split(lines[i], "|")
		when, err := time.Parse(time.RFC3339, f[3])
		if f[0] != w.action || f[1] != w.target || f[2] != w.author || f[4] != w.who || f[5] != w.what || err != nil || when.Before(start.Truncate(time.Second)) {
			t.Errorf("row %d: %q, want %+v after %s", i, lines[i], w, start)
		}
	}
}
