package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/kdecole-club/clubwiki/wiki"
)

// FuzzUI_TicketLinks opens and posts the invitation and reset links with
// any secret and any form: an unknown link is the one "not valid" page, a
// known one answers its form; never a 500, never a member made or a
// password changed by a bad secret.
func FuzzUI_TicketLinks(f *testing.F) {
	e, _ := newUIEnv(f)
	ctx := context.Background()
	link, err := e.svc.Invite(ctx, &wiki.User{Login: "chef", Role: wiki.RoleAdmin}, wiki.Invitation{Login: "paul"})
	if err != nil {
		f.Fatal(err)
	}
	good := strings.TrimPrefix(link.Path, "/invite/")
	for _, s := range []string{good, good[:20], "cwr_" + good[4:], "", "%zz", "cwi_" + strings.Repeat("A", 43)} {
		f.Add("invite", s, "name=Paul&password=court&confirm=court")
		f.Add("reset", s, "password=mot-de-passe-solide&confirm=x")
	}
	guest := e.browser()
	accepted := false // the good link was used: paul exists from then on
	f.Fuzz(func(t *testing.T, kind, secret, body string) {
		if kind != "invite" && kind != "reset" {
			return
		}
		target := "/" + kind + "/" + url.PathEscape(secret)
		for _, req := range []*http.Request{newRequest("GET", target, nil), newRequest("POST", target, strings.NewReader(body))} {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			rec := guest.do(req)
			if rec.Code >= 500 {
				t.Fatalf("%s %s: %d %s", req.Method, target, rec.Code, clip(rec.Body.String()))
			}
			isGood := kind == "invite" && secret == good
			// No segment at all ("", ".", "..") is no link route: the
			// mux redirects (to the cleaned path, or to sign in).
			noSegment := secret == "" || secret == "." || secret == ".."
			if !isGood && !noSegment && rec.Code != http.StatusNotFound && rec.Code != http.StatusBadRequest {
				t.Fatalf("%s %s: %d for a bad link", req.Method, target, rec.Code)
			}
			accepted = accepted || (isGood && req.Method == "POST" && rec.Code == http.StatusOK)
		}
		if _, err := e.svc.User(ctx, "paul"); err == nil && !accepted {
			t.Fatalf("a bad secret %q made the member", secret)
		}
	})
}
