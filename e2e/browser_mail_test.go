package e2e

import (
	"context"
	"testing"

	"github.com/chromedp/chromedp"

	domain "github.com/kdecole-club/clubwiki/wiki"
)

// TestBrowser_MailSettings: a member of a wiki without SMTP reads that
// notifications are off, gives an address and chooses a daily digest; a
// wrong address comes back with the reason and the text typed.
func TestBrowser_MailSettings(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests are skipped with -short")
	}
	t.Parallel()
	base, svc, editor := wikiServerWith(t)
	ctx := newBrowser(t)
	signInAs(t, ctx, base, "camille")
	step(t, ctx, "the settings", chromedp.Navigate(base+"/settings"), chromedp.WaitVisible(chromedp.ID("mail-title")))
	if got := evalString(t, ctx, `document.getElementById("mail-off") ? "off" : "on"`); got != "off" {
		t.Errorf("the settings do not say mail is off")
	}
	step(t, ctx, "a wrong address", insertText(chromedp.ID("email"), "camille@club"),
		chromedp.Click(chromedp.CSS(`#mail-form input[value=daily]`)),
		load(chromedp.Click(chromedp.CSS(`#mail-form button[type=submit]`))))
	waitFor(t, ctx, "the refusal", `!!document.querySelector("section[aria-labelledby=mail-title] .error")`)
	if got := evalString(t, ctx, `document.getElementById("email").value`); got != "camille@club" {
		t.Errorf("the address typed was lost: %q", got)
	}
	step(t, ctx, "a right address", chromedp.SetValue(chromedp.ID("email"), "camille@club.example"),
		chromedp.Click(chromedp.CSS(`#mail-form input[value=daily]`)),
		load(chromedp.Click(chromedp.CSS(`#mail-form button[type=submit]`))))
	waitFor(t, ctx, "the settings saved", `!!document.querySelector(".flash") && !document.querySelector("section[aria-labelledby=mail-title] .error")`)
	if got := evalString(t, ctx, `document.querySelector("#mail-form input[name=notify]:checked").value`); got != "daily" {
		t.Errorf("checked mode %q", got)
	}
	// The mails will be in the language the member reads the wiki in.
	lang := evalString(t, ctx, `document.documentElement.lang.slice(0, 2)`)
	me, err := svc.Me(context.Background(), editor)
	if err != nil || me.Email != "camille@club.example" || me.Notify.Mode != domain.NotifyDaily || me.Notify.Lang != lang {
		t.Errorf("Me = %+v, %v", me, err)
	}
}
