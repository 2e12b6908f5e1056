package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/kdecole-club/clubwiki/wiki"
)

// The fuzz targets of the parsers of user input that reach the server:
// JSON bodies, form values, query parameters, client addresses and every
// secret a client presents (API token, session cookie, feed key,
// unsubscribe signature). Paths, Markdown, front matter, search queries
// and the SMTP URL have theirs next to their parsers.

// wantErrorShape checks that a refusal of the API is the one JSON error
// shape, with the code its status stands for; a 500 fails.
func wantErrorShape(t *testing.T, what string, status int, body []byte) {
	t.Helper()
	if status == http.StatusInternalServerError {
		t.Fatalf("%s: 500: %s", what, body)
	}
	var eb struct {
		Error struct{ Code, Message, Reason string }
	}
	if err := json.Unmarshal(body, &eb); err != nil || eb.Error.Code == "" || eb.Error.Message == "" {
		t.Fatalf("%s: %d without the error shape: %q", what, status, body)
	}
	if want, ok := statusOf[wiki.Code(eb.Error.Code)]; !ok || want != status {
		t.Fatalf("%s: code %q with status %d", what, eb.Error.Code, status)
	}
}

// FuzzAPI_JSONBody sends any body to the API's writing endpoints: the
// answer is a success or the JSON error shape, never a 500.
func FuzzAPI_JSONBody(f *testing.F) {
	e := newTestEnv(f)
	targets := []string{"PUT /api/pages/club/fuzz", "POST /api/preview", "PUT /api/drafts/club/fuzz",
		"POST /api/diff/club/accueil", "POST /api/revert/club/accueil", "DELETE /api/pages/club/absente",
		"PUT /api/watch/club/accueil", "POST /api/presence/club/accueil", "POST /api/rebase/club/accueil",
		"PUT /api/me", "POST /api/move/club/fuzz", "PUT /api/users/edith",
		// An admin's: the member and the rules they change are not the
		// editor's, whose writes the other targets need.
		"PUT /api/admin/users/remi", "PUT /api/admin/namespaces/usages", "PUT /api/admin/groups/fuzz",
		"POST /api/admin/invitations", "POST /api/admin/users/remi/reset"}
	admin := e.user(context.Background(), "ada", wiki.RoleAdmin)
	for i, s := range []string{`{"markdown":"# Un\n","base_rev":0}`, `{"markdown":"x","base_rev":-1}`, `{}`, ``, `null`,
		`{"markdown":"\ud800"}`, `{"rev":1e400}`, `[1,2]`, `{"markdown":"---\na: [\n---\n"}`, `"\xff"`, `{"a":1}{"b":2}`} {
		f.Add(uint8(i), []byte(s))
	}
	for target, body := range map[string]string{
		"PUT /api/admin/users/remi": `{"role":"editor","groups":["x"],"disabled":false}`, "PUT /api/admin/namespaces/usages": `{"read":["*"],"edit":["g1"]}`,
		"PUT /api/admin/groups/fuzz": `{"title":"Fuzz"}`, "PUT /api/me": `{"email":"a@b.fr","notify":"daily"}`, "POST /api/move/club/fuzz": `{"to":"club/ailleurs"}`,
		"POST /api/admin/invitations": `{"login":"invite","name":"N","email":"a@b.fr","role":"reader","groups":["x"]}`,
		"PUT /api/users/edith":        `{"name":"Édith","project":"e-lyco","bio":"Bonjour.\nÀ bientôt."}`,
	} {
		f.Add(uint8(slices.Index(targets, target)), []byte(body))
	}
	f.Fuzz(func(t *testing.T, which uint8, body []byte) {
		method, target, _ := strings.Cut(targets[int(which)%len(targets)], " ")
		req := newRequest(method, target, strings.NewReader(string(body)))
		token := e.editor
		if strings.Contains(target, "/admin/") {
			token = admin
		}
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/json")
		rec := serve(e.srv, req) // not e.do: its t is the F
		if rec.Code >= 400 && rec.Code != http.StatusServiceUnavailable {
			wantErrorShape(t, target, rec.Code, rec.Body.Bytes())
		}
		if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
			t.Fatalf("%s: Content-Type %q", target, ct)
		}
	})
}

// FuzzUI_EditForm posts any form body to the editor: never a 500, and an
// answer that is not a redirect after a save is the editor or an error
// page in HTML.
func FuzzUI_EditForm(f *testing.F) {
	e, _ := newUIEnv(f)
	b := e.signIn("edith")
	for _, s := range []string{"markdown=Un&base_rev=0", "markdown=x&base_rev=1&head_rev=2&resolve=both",
		"markdown=%3C%3C%3C%3C%3C%3C%3C+yours%0A&base_rev=0&head_rev=1", "base_rev=-1", "base_rev=9999999999999999999999",
		"markdown=%ff&base_rev=0", "markdown=a&summary=%0A&base_rev=0&section=3", "%zz", "markdown=a&markdown=b&base_rev=0&minor=on"} {
		f.Add("club/fuzz", s)
	}
	f.Add("Club/Accueil", "markdown=a&base_rev=1")
	f.Fuzz(func(t *testing.T, path, body string) {
		if !utf8.ValidString(path) || strings.ContainsAny(path, "?#%") || strings.ContainsFunc(path, isControl) {
			return // not a path a browser sends unescaped
		}
		req := newRequest("POST", "/edit/"+url.PathEscape(path), strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		rec := b.do(req)
		if rec.Code >= 500 && rec.Code != http.StatusServiceUnavailable && rec.Code != http.StatusInsufficientStorage {
			t.Fatalf("%d: %s", rec.Code, clip(rec.Body.String()))
		}
		if rec.Code < 300 || rec.Code >= 400 {
			if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
				t.Fatalf("%d with Content-Type %q", rec.Code, ct)
			}
		}
	})
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f }

// FuzzQueryParams reads any query string as the lists, diffs and feeds do:
// a value is taken within its range or refused as a bad_request.
func FuzzQueryParams(f *testing.F) {
	for _, s := range []string{"limit=10&offset=5", "limit=-1", "limit=501", "from=2&to=1", "since=18446744073709551616",
		"limit=1e3", "limit=%2B5", "from=0&to=0", "limit=&offset=", "limit=1&limit=2"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		wantBad := func(what string, err error) {
			if err != nil && wiki.ErrorCode(err) != wiki.EInvalid {
				t.Fatalf("%s: %v is not a bad_request", what, err)
			}
		}
		limit, offset, err := listParams(q)
		wantBad("list", err)
		if err == nil && (limit < 0 || offset < 0) {
			t.Fatalf("limit %d, offset %d", limit, offset)
		}
		from, to, _, err := diffParams(q)
		wantBad("diff", err)
		if err == nil && (from < 0 || to < 0) {
			t.Fatalf("from %d, to %d", from, to)
		}
		_, err = querySeq(q, "since")
		wantBad("since", err)
		n, err := feedLimit(q.Get("limit"), q.Has("limit"))
		wantBad("feed limit", err)
		if err == nil && (n < 0 || n > wiki.MaxFeedLimit) {
			t.Fatalf("feed limit %d", n)
		}
	})
}

// FuzzForwardedFor reads any X-Forwarded-For lines and client address: an
// address taken is a valid one in its canonical form, and the limiter's
// key of any address is bounded.
func FuzzForwardedFor(f *testing.F) {
	for _, s := range []string{"203.0.113.9", "198.51.100.1, 203.0.113.9", "[2001:db8::1]:443", "::ffff:192.0.2.1",
		"fe80::1%eth0", "unknown, 10.0.0.1", "", " , ,", "2001:db8::1, 2001:db8::2"} {
		f.Add(s, uint8(1))
	}
	f.Fuzz(func(t *testing.T, header string, hops uint8) {
		ip, ok := forwardedFor(strings.Split(header, "\n"), int(hops%4)+1)
		if ok {
			a, err := netip.ParseAddr(ip)
			if err != nil || a.String() != ip || a.Is4In6() {
				t.Fatalf("address %q from %q: %v", ip, header, err)
			}
			if k := addressKey(ip); k == "" || len(k) > len("ffff:ffff:ffff:ffff::/64") {
				t.Fatalf("limiter key %q of %q", k, ip)
			}
		}
		_ = addressKey(header) // any string: no panic
	})
}

// FuzzCredentials presents any string as each kind of secret: none lets a
// guess in, each refusal is a 401 (or the sign-in page, or the
// unsubscribe page's refusal), never a 500. A real secret of each kind is
// in the seeds, so the fuzzer mutates around what works.
func FuzzCredentials(f *testing.F) {
	e, _ := newUIEnv(f)
	f.Add(e.editor)
	f.Add(e.signIn("edith").cookies[sessionCookie])
	f.Add(feedKeyOf(f, e.signIn("remi")))
	for _, s := range []string{"", "cwt_", "cwf_", "Bearer", "\x00", strings.Repeat("a", 300), "cwt_" + strings.Repeat("A", 43)} {
		f.Add(s)
	}
	valid := map[string]bool{e.editor: true}
	f.Fuzz(func(t *testing.T, s string) {
		if valid[s] || strings.ContainsAny(s, "\r\n") {
			return
		}
		api := newRequest("GET", "/api/me", nil)
		api.Header.Set("Authorization", "Bearer "+s)
		if rec := serve(e.srv, api); rec.Code != http.StatusUnauthorized {
			t.Fatalf("token %q: %d", s, rec.Code)
		} else {
			wantErrorShape(t, "token", rec.Code, rec.Body.Bytes())
		}
		ui := newRequest("GET", "/watchlist", nil)
		ui.AddCookie(&http.Cookie{Name: sessionCookie, Value: sanitizeCookie(s)})
		if rec := serve(e.srv, ui); rec.Code == http.StatusOK {
			if _, _, err := e.svc.SessionUser(ui.Context(), sanitizeCookie(s)); err != nil {
				t.Fatalf("cookie %q: 200 without a session", s)
			}
		} else if rec.Code != http.StatusSeeOther {
			t.Fatalf("cookie %q: %d", s, rec.Code)
		}
		feed := newRequest("GET", "/feeds/changes.atom?key="+url.QueryEscape(s), nil)
		if rec := serve(e.srv, feed); rec.Code != http.StatusUnauthorized && rec.Code != http.StatusOK {
			t.Fatalf("feed key %q: %d", s, rec.Code)
		}
		if _, err := e.svc.AuthenticateFeedKey(feed.Context(), s); err != nil && wiki.ErrorCode(err) != wiki.EUnauthenticated {
			t.Fatalf("feed key %q: %v", s, err)
		}
		if err := e.svc.Unsubscribe(feed.Context(), "edith", s); wiki.ErrorCode(err) != wiki.EUnauthenticated {
			t.Fatalf("unsubscribe signature %q: %v", s, err)
		}
	})
}

// sanitizeCookie is s as net/http would send it in a Cookie header.
func sanitizeCookie(s string) string {
	ck := (&http.Cookie{Name: sessionCookie, Value: s}).String()
	_, v, _ := strings.Cut(ck, "=")
	return strings.Trim(v, `"`)
}
