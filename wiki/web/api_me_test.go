package web

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

type meT struct {
	Login  string `json:"login"`
	Name   string `json:"name"`
	Email  string `json:"email"`
	Notify string `json:"notify"`
}

func decodeMe(t *testing.T, body string) meT {
	t.Helper()
	var m meT
	if err := json.Unmarshal([]byte(body), &m); err != nil {
		t.Fatalf("%v: %s", err, body)
	}
	return m
}

func TestServer_Me(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	t.Run("GET answers the caller's account, notifications off", func(t *testing.T) {
		rec := e.do("GET", "/api/me", e.editor, nil)
		wantStatusCode(t, rec, http.StatusOK)
		if m := decodeMe(t, rec.Body.String()); m != (meT{Login: "edith", Notify: "off"}) {
			t.Fatalf("GET /api/me = %+v", m)
		}
		if !strings.Contains(rec.Body.String(), `"email":""`) || !strings.Contains(rec.Body.String(), `"name":""`) {
			t.Errorf("fields missing: %s", rec.Body.String())
		}
	})
	t.Run("PUT changes any of the fields", func(t *testing.T) {
		rec := e.do("PUT", "/api/me", e.editor, `{"name":"Édith Piaf","email":"edith@club.example"}`)
		wantStatusCode(t, rec, http.StatusOK)
		rec = e.do("PUT", "/api/me", e.editor, `{"notify":"daily"}`)
		wantStatusCode(t, rec, http.StatusOK)
		want := meT{Login: "edith", Name: "Édith Piaf", Email: "edith@club.example", Notify: "daily"}
		if m := decodeMe(t, rec.Body.String()); m != want {
			t.Fatalf("PUT answer %+v", m)
		}
		if m := decodeMe(t, e.do("GET", "/api/me", e.editor, nil).Body.String()); m != want {
			t.Fatalf("GET after PUT %+v", m)
		}
		if m := decodeMe(t, e.do("GET", "/api/me", e.reader, nil).Body.String()); m.Login != "remi" || m.Notify != "off" {
			t.Fatalf("another member sees %+v", m)
		}
	})
	for _, c := range []struct{ name, body, reason string }{
		{"a bad address", `{"email":"pas une adresse"}`, "email_invalid"},
		{"an address with a name", `{"email":"Édith <edith@club.example>"}`, "email_invalid"},
		{"an address without domain", `{"email":"edith@"}`, "email_invalid"},
		{"an unknown mode", `{"notify":"weekly"}`, "notify_mode"},
		{"a name on two lines", `{"name":"un\ndeux"}`, "name_invalid"},
		{"notifications without an address", `{"email":"","notify":"immediate"}`, "email_needed"},
		{"a wrong type", `{"notify":1}`, ""},
		{"not JSON", `{"notify":`, ""},
		{"an empty body", ``, ""},
	} {
		t.Run("PUT refuses "+c.name, func(t *testing.T) {
			rec := e.do("PUT", "/api/me", e.editor, c.body)
			ae := wantError(t, rec, http.StatusBadRequest, "bad_request")
			if ae.Error.Reason != c.reason {
				t.Errorf("reason %q, want %q", ae.Error.Reason, c.reason)
			}
			want := meT{Login: "edith", Name: "Édith Piaf", Email: "edith@club.example", Notify: "daily"}
			if m := decodeMe(t, e.do("GET", "/api/me", e.editor, nil).Body.String()); m != want {
				t.Fatalf("a refused PUT changed something: %+v", m)
			}
		})
	}
	t.Run("without signing in", func(t *testing.T) {
		wantError(t, e.do("GET", "/api/me", "", nil), http.StatusUnauthorized, "unauthenticated")
		wantError(t, e.do("PUT", "/api/me", "", `{"notify":"off"}`), http.StatusUnauthorized, "unauthenticated")
	})
}
