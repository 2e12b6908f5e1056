package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kdecole-club/clubwiki/wiki"
)

type ticketLinkT struct {
	Login   string    `json:"login"`
	URL     string    `json:"url"`
	Mailed  bool      `json:"mailed"`
	Expires time.Time `json:"expires"`
}

type auditT struct {
	Entries []struct {
		Seq     uint64    `json:"seq"`
		Time    time.Time `json:"time"`
		Author  string    `json:"author"`
		Action  string    `json:"action"`
		Target  string    `json:"target"`
		Summary string    `json:"summary"`
		Detail  string    `json:"detail"`
	} `json:"entries"`
}

func TestAPI_Invitations(t *testing.T) {
	t.Parallel()
	e, admin := adminEnv(t)
	if err := e.svc.PutGroup(context.Background(), wiki.System(), wiki.Group{Name: "e-lyco", Title: "e-lyco"}); err != nil {
		t.Fatal(err)
	}
	t.Run("admins only", func(t *testing.T) {
		wantError(t, e.do("POST", "/api/admin/invitations", e.editor, `{"login":"paul"}`), http.StatusForbidden, "forbidden")
		wantError(t, e.do("POST", "/api/admin/users/remi/reset", e.editor, nil), http.StatusForbidden, "forbidden")
		wantError(t, e.do("GET", "/api/admin/audit", e.editor, nil), http.StatusForbidden, "forbidden")
	})
	t.Run("refused", func(t *testing.T) {
		for body, reason := range map[string]string{
			`{"login":"Paul Martin"}`:                "login_invalid",
			`{"login":"edith"}`:                      "login_taken",
			`{"login":"paul","role":"chef"}`:         "role_unknown",
			`{"login":"paul","email":"pas une"}`:     "email_invalid",
			`{"login":"paul","name":"deux\nlignes"}`: "name_invalid",
		} {
			rec := e.do("POST", "/api/admin/invitations", admin, body)
			status := http.StatusBadRequest
			if reason == "login_taken" {
				status = http.StatusConflict
			}
			if ae := wantError(t, rec, status, map[int]string{400: "bad_request", 409: "edit_conflict"}[status]); ae.Error.Reason != reason {
				t.Errorf("%s: reason %q, want %q", body, ae.Error.Reason, reason)
			}
		}
		wantError(t, e.do("POST", "/api/admin/users/personne/reset", admin, nil), http.StatusNotFound, "not_found")
	})
	var link ticketLinkT
	t.Run("made", func(t *testing.T) {
		rec := e.do("POST", "/api/admin/invitations", admin, `{"login":"paul","role":"reader","groups":["e-lyco"]}`)
		wantStatusCode(t, rec, http.StatusCreated)
		link = decodeAs[ticketLinkT](t, rec.Body.Bytes())
		if link.Login != "paul" || link.Mailed || !strings.HasPrefix(link.URL, "http://example.com/invite/cwi_") ||
			time.Until(link.Expires) < 7*24*time.Hour-time.Minute {
			t.Fatalf("answer %+v", link)
		}
	})
	t.Run("reset", func(t *testing.T) {
		rec := e.do("POST", "/api/admin/users/remi/reset", admin, nil)
		wantStatusCode(t, rec, http.StatusOK)
		if got := decodeAs[ticketLinkT](t, rec.Body.Bytes()); got.Login != "remi" || !strings.HasPrefix(got.URL, "http://example.com/reset/cwr_") {
			t.Fatalf("answer %+v", got)
		}
	})
	t.Run("the audit log", func(t *testing.T) {
		b := e.browser()
		u, _ := url.Parse(link.URL)
		wantStatusCode(t, b.post(u.Path, url.Values{"name": {"Paul"}, "password": {"mot-de-passe-solide"}, "confirm": {"mot-de-passe-solide"}}), http.StatusOK)
		wantStatusCode(t, e.do("PUT", "/api/admin/users/paul", admin, `{"groups":[],"role":"editor"}`), http.StatusOK)
		got := decodeAs[auditT](t, e.do("GET", "/api/admin/audit?limit=4", admin, nil).Body.Bytes())
		var what []string
		for _, en := range got.Entries {
			what = append(what, en.Action+" "+en.Target+" by "+en.Author+" "+en.Detail)
			if en.Time.IsZero() || en.Seq == 0 {
				t.Errorf("entry %+v", en)
			}
		}
		want := []string{"member paul by chef role=editor groups=", "join paul by paul ", "reset remi by chef ", "invite paul by chef "}
		if strings.Join(what, "|") != strings.Join(want, "|") {
			t.Errorf("audit %q, want %q", what, want)
		}
		older := decodeAs[auditT](t, e.do("GET", "/api/admin/audit?limit=1&before="+strconv.FormatUint(got.Entries[3].Seq, 10), admin, nil).Body.Bytes())
		if len(older.Entries) != 1 || older.Entries[0].Seq >= got.Entries[3].Seq {
			t.Errorf("older %+v", older)
		}
		wantError(t, e.do("GET", "/api/admin/audit?before=x", admin, nil), http.StatusBadRequest, "bad_request")
	})
}

// GET /api/admin/invitations lists those waiting, without their links;
// DELETE /api/admin/invitations/{login} withdraws them.
func TestAPI_RevokeInvitation(t *testing.T) {
	t.Parallel()
	e, admin := adminEnv(t)
	rec := e.do("POST", "/api/admin/invitations", admin, `{"login":"lea","name":"Léa","email":"lea@exemple.fr","role":"reader"}`)
	wantStatusCode(t, rec, http.StatusCreated)
	link := decodeAs[ticketLinkT](t, rec.Body.Bytes())
	type listT struct {
		Invitations []struct {
			Login, Name, Email, Role, By string
			Groups                       []string
			Created, Expires             time.Time
		} `json:"invitations"`
	}
	t.Run("admins only", func(t *testing.T) {
		wantError(t, e.do("GET", "/api/admin/invitations", e.editor, nil), http.StatusForbidden, "forbidden")
		wantError(t, e.do("DELETE", "/api/admin/invitations/lea", e.editor, nil), http.StatusForbidden, "forbidden")
	})
	t.Run("listed", func(t *testing.T) {
		rec := e.do("GET", "/api/admin/invitations", admin, nil)
		wantStatusCode(t, rec, http.StatusOK)
		got := decodeAs[listT](t, rec.Body.Bytes())
		if len(got.Invitations) != 1 {
			t.Fatalf("answer %s", rec.Body)
		}
		inv := got.Invitations[0]
		if inv.Login != "lea" || inv.Name != "Léa" || inv.Email != "lea@exemple.fr" || inv.Role != "reader" || inv.Groups == nil ||
			inv.By != "chef" || !inv.Expires.Equal(link.Expires) || inv.Created.IsZero() {
			t.Errorf("invitation %+v", inv)
		}
		secret := link.URL[strings.LastIndexByte(link.URL, '/')+1:]
		if strings.Contains(rec.Body.String(), secret) || strings.Contains(rec.Body.String(), "hash") {
			t.Errorf("the list gives the link away: %s", rec.Body)
		}
	})
	t.Run("revoked", func(t *testing.T) {
		rec := e.do("DELETE", "/api/admin/invitations/lea", admin, nil)
		wantStatusCode(t, rec, http.StatusOK)
		if got := strings.TrimSpace(rec.Body.String()); got != `{"login":"lea"}` {
			t.Errorf("answer %s", got)
		}
		if got := decodeAs[listT](t, e.do("GET", "/api/admin/invitations", admin, nil).Body.Bytes()); len(got.Invitations) != 0 {
			t.Errorf("still listed: %+v", got)
		}
		u, err := url.Parse(link.URL)
		if err != nil {
			t.Fatal(err)
		}
		wantStatusCode(t, e.do("GET", u.Path, "", nil), http.StatusNotFound)
		ae := wantError(t, e.do("DELETE", "/api/admin/invitations/lea", admin, nil), http.StatusNotFound, "not_found")
		if ae.Error.Reason != "ticket_invalid" {
			t.Errorf("reason %q", ae.Error.Reason)
		}
		audit := decodeAs[auditT](t, e.do("GET", "/api/admin/audit?limit=1", admin, nil).Body.Bytes())
		if len(audit.Entries) != 1 || audit.Entries[0].Action != "revoke-invite" || audit.Entries[0].Target != "lea" || audit.Entries[0].Author != "chef" {
			t.Errorf("audit %+v", audit)
		}
	})
}

// DELETE /api/admin/users/{login}/reset withdraws the member's reset links.
func TestAPI_RevokeReset(t *testing.T) {
	t.Parallel()
	e, admin := adminEnv(t)
	rec := e.do("POST", "/api/admin/users/remi/reset", admin, nil)
	wantStatusCode(t, rec, http.StatusOK)
	link := decodeAs[ticketLinkT](t, rec.Body.Bytes())
	wantError(t, e.do("DELETE", "/api/admin/users/remi/reset", e.editor, nil), http.StatusForbidden, "forbidden")
	rec = e.do("DELETE", "/api/admin/users/remi/reset", admin, nil)
	wantStatusCode(t, rec, http.StatusOK)
	if got := strings.TrimSpace(rec.Body.String()); got != `{"login":"remi"}` {
		t.Errorf("answer %s", got)
	}
	u, err := url.Parse(link.URL)
	if err != nil {
		t.Fatal(err)
	}
	wantStatusCode(t, e.do("GET", u.Path, "", nil), http.StatusNotFound)
	ae := wantError(t, e.do("DELETE", "/api/admin/users/remi/reset", admin, nil), http.StatusNotFound, "not_found")
	if ae.Error.Reason != "ticket_invalid" {
		t.Errorf("reason %q", ae.Error.Reason)
	}
	audit := decodeAs[auditT](t, e.do("GET", "/api/admin/audit?limit=1", admin, nil).Body.Bytes())
	if len(audit.Entries) != 1 || audit.Entries[0].Action != "revoke-reset" || audit.Entries[0].Target != "remi" {
		t.Errorf("audit %+v", audit)
	}
}
