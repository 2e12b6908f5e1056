package web

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/kdecole-club/clubwiki/wiki"
)

// adminEnv is a wiki with an admin, and a page in marches and one
// outside, saved by the admin.
func adminEnv(t *testing.T) (*testEnv, string) {
	e := newTestEnv(t)
	admin := e.user(context.Background(), "chef", wiki.RoleAdmin)
	for _, p := range []string{"marches/contrat", "usages/ouvert"} {
		rec := e.do("PUT", "/api/pages/"+p, admin, map[string]any{"markdown": "# Contrat secret\n\nfacturation", "base_rev": 0})
		wantStatusCode(t, rec, http.StatusCreated)
	}
	return e, admin
}

func decodeAs[T any](t *testing.T, body []byte) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatalf("decoding %s: %v", body, err)
	}
	return v
}

type rulesT struct {
	Key  string   `json:"key"`
	Read []string `json:"read"`
	Edit []string `json:"edit"`
}

func TestAPI_AdminRules(t *testing.T) {
	t.Parallel()
	e, admin := adminEnv(t)
	t.Run("read back", func(t *testing.T) {
		rec := e.do("GET", "/api/admin/namespaces/marches", admin, nil)
		wantStatusCode(t, rec, http.StatusOK)
		if got := decodeAs[rulesT](t, rec.Body.Bytes()); got.Key != "marches" || !slices.Equal(got.Read, []string{"*"}) || !slices.Equal(got.Edit, []string{"*"}) {
			t.Errorf("open rules = %+v", got)
		}
		rec = e.do("PUT", "/api/admin/namespaces/marches", admin, map[string]any{"read": []string{"e-lyco", "ent-mip"}, "edit": []string{}})
		wantStatusCode(t, rec, http.StatusOK)
		if got := decodeAs[rulesT](t, rec.Body.Bytes()); !slices.Equal(got.Read, []string{"e-lyco", "ent-mip"}) || got.Edit == nil || len(got.Edit) != 0 {
			t.Errorf("PUT answered %s", rec.Body)
		}
		rec = e.do("PUT", "/api/admin/namespaces/marches", admin, map[string]any{"edit": []string{"*"}})
		wantStatusCode(t, rec, http.StatusOK)
		if got := decodeAs[rulesT](t, rec.Body.Bytes()); len(got.Read) != 2 || !slices.Equal(got.Edit, []string{"*"}) {
			t.Errorf("a PUT of edit alone: %s", rec.Body)
		}
		rec = e.do("GET", "/api/admin/namespaces", admin, nil)
		wantStatusCode(t, rec, http.StatusOK)
		if !strings.Contains(rec.Body.String(), `{"key":"marches","read":["e-lyco","ent-mip"],"edit":["*"]}`) {
			t.Errorf("GET /api/admin/namespaces = %s", rec.Body)
		}
	})
	for _, c := range []struct {
		name, method, target string
		token                string
		body                 any
		want                 int
	}{
		{"an editor reads", "GET", "/api/admin/namespaces/marches", e.editor, nil, http.StatusForbidden},
		{"a reader writes", "PUT", "/api/admin/namespaces/usages", e.reader, map[string]any{"read": []string{"*"}}, http.StatusForbidden},
		{"nobody", "GET", "/api/admin/namespaces/usages", "", nil, http.StatusUnauthorized},
		{"unknown namespace", "PUT", "/api/admin/namespaces/nulle-part", admin, map[string]any{"read": []string{"*"}}, http.StatusNotFound},
		{"unknown group", "PUT", "/api/admin/namespaces/usages", admin, map[string]any{"read": []string{"inconnu"}}, http.StatusBadRequest},
		{"no rule", "PUT", "/api/admin/namespaces/usages", admin, map[string]any{}, http.StatusBadRequest},
		{"not JSON", "PUT", "/api/admin/namespaces/usages", admin, "{read", http.StatusBadRequest},
		{"a rule of the wrong type", "PUT", "/api/admin/namespaces/usages", admin, `{"read":"all"}`, http.StatusBadRequest},
	} {
		t.Run(c.name, func(t *testing.T) {
			rec := e.do(c.method, c.target, c.token, c.body)
			wantStatusCode(t, rec, c.want)
			if !strings.Contains(rec.Body.String(), `"error":{"code"`) {
				t.Errorf("not the error shape: %s", rec.Body)
			}
		})
	}
}

// TestAPI_RulesCombinations tries every rule with every role, in the
// group and out of it, through the API: the answers of the pages, lists,
// and of saves.
func TestAPI_RulesCombinations(t *testing.T) {
	t.Parallel()
	e, admin := adminEnv(t)
	tokens := map[string]string{"chef": admin}
	for _, m := range ruleCombos {
		tokens[m.login] = e.user(context.Background(), m.login, m.role)
		if m.in {
			rec := e.do("PUT", "/api/admin/users/"+m.login, admin, map[string]any{"groups": []string{"e-lyco"}})
			wantStatusCode(t, rec, http.StatusOK)
		}
	}
	lyco, all, none := []string{"e-lyco"}, []string{"*"}, []string{}
	for _, c := range []struct {
		name       string
		read, edit []string
		readers    string // who reads, who edits: logins' initials
		editors    string
	}{
		{"open", all, all, "r R e E a", "e E a"},
		{"group reads and edits", lyco, lyco, "R E a", "E a"},
		{"all read, group edits", all, lyco, "r R e E a", "E a"},
		{"group reads, all edit", lyco, all, "R E a", "E a"},
		{"admins only", none, none, "a", "a"},
		{"all read, nobody edits", all, none, "r R e E a", "a"},
	} {
		t.Run(c.name, func(t *testing.T) {
			rec := e.do("PUT", "/api/admin/namespaces/marches", admin, map[string]any{"read": c.read, "edit": c.edit})
			wantStatusCode(t, rec, http.StatusOK)
			for _, m := range ruleCombos {
				t.Run(m.login, func(t *testing.T) {
					reads, edits := slices.Contains(strings.Fields(c.readers), m.short), slices.Contains(strings.Fields(c.editors), m.short)
					checkAPIAccess(t, e, tokens[m.login], reads, edits)
				})
			}
		})
	}
}

// ruleCombos are the members of the combinations: each role, in e-lyco
// (capital initial) or not; the admin is in no group.
var ruleCombos = []struct {
	login, short string
	role         wiki.Role
	in           bool
}{
	{"lect-out", "r", wiki.RoleReader, false},
	{"lect-in", "R", wiki.RoleReader, true},
	{"red-out", "e", wiki.RoleEditor, false},
	{"red-in", "E", wiki.RoleEditor, true},
	{"adm-out", "a", wiki.RoleAdmin, false},
}

func checkAPIAccess(t *testing.T, e *testEnv, token string, reads, edits bool) {
	t.Helper()
	want := map[bool]int{true: http.StatusOK, false: http.StatusNotFound}
	for _, target := range []string{"/api/pages/marches/contrat", "/api/history/marches/contrat", "/api/backlinks/marches/contrat"} {
		if rec := e.do("GET", target, token, nil); rec.Code != want[reads] {
			t.Errorf("GET %s: %d, want %d", target, rec.Code, want[reads])
		}
	}
	for _, target := range []string{"/api/namespaces", "/api/changes", "/api/pages"} {
		rec := e.do("GET", target, token, nil)
		wantStatusCode(t, rec, http.StatusOK)
		if got := strings.Contains(rec.Body.String(), "marches"); got != reads {
			t.Errorf("GET %s names marches: %v, want %v", target, got, reads)
		}
	}
	page := e.do("GET", "/api/pages/marches/contrat", e.srvAdminToken(t), nil)
	head := decodeAs[struct{ Rev int }](t, page.Body.Bytes()).Rev
	put := e.do("PUT", "/api/pages/marches/contrat", token, map[string]any{"markdown": "# Contrat\n\nrévision " + strings.Repeat("x", head), "base_rev": head})
	switch {
	case !reads && put.Code != http.StatusNotFound, reads && !edits && put.Code != http.StatusForbidden, edits && put.Code != http.StatusOK:
		t.Errorf("PUT: %d (reads %v, edits %v): %s", put.Code, reads, edits, put.Body)
	}
}

// srvAdminToken returns a token of the admin chef, made once per call.
func (e *testEnv) srvAdminToken(t *testing.T) string {
	tok, _, err := e.svc.CreateToken(context.Background(), wiki.System(), "chef", "t")
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

type memberT struct {
	Login    string   `json:"login"`
	Role     string   `json:"role"`
	Groups   []string `json:"groups"`
	Disabled bool     `json:"disabled"`
	State    string   `json:"state"`
}

func TestAPI_AdminUsers(t *testing.T) {
	t.Parallel()
	e, admin := adminEnv(t)
	if rec := e.do("PUT", "/api/admin/namespaces/marches", admin, map[string]any{"read": []string{"e-lyco"}, "edit": []string{"e-lyco"}}); rec.Code != http.StatusOK {
		t.Fatal(rec.Body)
	}
	b := e.signIn("edith")
	t.Run("listed", func(t *testing.T) {
		rec := e.do("GET", "/api/admin/users", admin, nil)
		wantStatusCode(t, rec, http.StatusOK)
		list := decodeAs[struct{ Users []memberT }](t, rec.Body.Bytes()).Users
		if len(list) != 3 || list[1].Login != "edith" || list[1].Role != "editor" || list[1].Groups == nil || list[1].State != "active" {
			t.Errorf("GET /api/admin/users = %s", rec.Body)
		}
		wantStatusCode(t, e.do("GET", "/api/admin/users", e.editor, nil), http.StatusForbidden)
		wantStatusCode(t, e.do("PUT", "/api/admin/users/remi", e.editor, map[string]any{"role": "admin"}), http.StatusForbidden)
	})
	t.Run("groups take effect at the next request", func(t *testing.T) {
		wantStatusCode(t, e.do("GET", "/api/pages/marches/contrat", e.editor, nil), http.StatusNotFound)
		wantStatusCode(t, b.get("/wiki/marches/contrat"), http.StatusNotFound)
		rec := e.do("PUT", "/api/admin/users/edith", admin, map[string]any{"groups": []string{"e-lyco"}})
		wantStatusCode(t, rec, http.StatusOK)
		if got := decodeAs[memberT](t, rec.Body.Bytes()); !slices.Equal(got.Groups, []string{"e-lyco"}) {
			t.Errorf("PUT answered %s", rec.Body)
		}
		wantStatusCode(t, e.do("GET", "/api/pages/marches/contrat", e.editor, nil), http.StatusOK)
		wantStatusCode(t, b.get("/wiki/marches/contrat"), http.StatusOK)
		wantStatusCode(t, e.do("PUT", "/api/admin/users/edith", admin, map[string]any{"groups": []string{}}), http.StatusOK)
		wantStatusCode(t, e.do("GET", "/api/pages/marches/contrat", e.editor, nil), http.StatusNotFound)
		wantStatusCode(t, b.get("/wiki/marches/contrat"), http.StatusNotFound)
	})
	t.Run("role", func(t *testing.T) {
		wantStatusCode(t, e.do("PUT", "/api/admin/users/edith", admin, map[string]any{"role": "reader"}), http.StatusOK)
		wantStatusCode(t, e.do("PUT", "/api/pages/usages/ouvert", e.editor, map[string]any{"markdown": "x", "base_rev": 1}), http.StatusForbidden)
		wantStatusCode(t, e.do("PUT", "/api/admin/users/edith", admin, map[string]any{"role": "editor"}), http.StatusOK)
		wantStatusCode(t, e.do("PUT", "/api/admin/users/edith", admin, map[string]any{"role": "chef"}), http.StatusBadRequest)
	})
	t.Run("disabled stops sessions and tokens at once", func(t *testing.T) {
		rec := e.do("PUT", "/api/admin/users/edith", admin, map[string]any{"disabled": true})
		wantStatusCode(t, rec, http.StatusOK)
		if got := decodeAs[memberT](t, rec.Body.Bytes()); !got.Disabled || got.State != "disabled" {
			t.Errorf("PUT answered %s", rec.Body)
		}
		wantStatusCode(t, e.do("GET", "/api/namespaces", e.editor, nil), http.StatusUnauthorized)
		req := newRequest("GET", "/api/namespaces", nil)
		wantStatusCode(t, b.do(req), http.StatusUnauthorized)
		if rec := b.get("/wiki/usages/ouvert"); rec.Code == http.StatusOK {
			t.Errorf("a disabled member's session still shows pages")
		}
		wantStatusCode(t, e.do("PUT", "/api/admin/users/edith", admin, map[string]any{"disabled": false}), http.StatusOK)
		wantStatusCode(t, e.do("GET", "/api/namespaces", e.editor, nil), http.StatusOK)
	})
	t.Run("refused", func(t *testing.T) {
		wantStatusCode(t, e.do("PUT", "/api/admin/users/personne", admin, map[string]any{"disabled": true}), http.StatusNotFound)
		wantStatusCode(t, e.do("PUT", "/api/admin/users/edith", admin, map[string]any{"groups": []string{"inconnu"}}), http.StatusBadRequest)
		wantStatusCode(t, e.do("PUT", "/api/admin/users/chef", admin, map[string]any{"disabled": true}), http.StatusBadRequest)
	})
}
