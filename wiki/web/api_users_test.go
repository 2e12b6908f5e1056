package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/kdecole-club/clubwiki/wiki"
)

type profileT struct {
	Login         string `json:"login"`
	Name          string `json:"name"`
	Project       string `json:"project"`
	ProjectTitle  string `json:"project_title"`
	Bio           string `json:"bio"`
	Email         string `json:"email"`
	Contributions []struct {
		Seq    uint64 `json:"seq"`
		Path   string `json:"path"`
		Author string `json:"author"`
	} `json:"contributions"`
	Next uint64 `json:"next"`
}

func TestServer_Profiles(t *testing.T) {
	e := newTestEnv(t)
	admin := e.user(context.Background(), "chef", wiki.RoleAdmin)
	e.save("club/presentation", "# Présentation\n\nBonjour.\n", 0, http.StatusCreated)
	e.save("usages/cahier", "# Cahier\n\nTexte.\n", 0, http.StatusCreated)
	t.Run("PUT /api/me sets the project and the presentation, keeping its shape", func(t *testing.T) {
		rec := e.do("PUT", "/api/me", e.editor, `{"name":"Édith Piaf","email":"edith@club.example","project":"e-lyco","bio":"Chargée de mission ENT.\nNantes."}`)
		wantStatusCode(t, rec, http.StatusOK)
		m := decode[map[string]any](t, rec)
		for _, k := range []string{"login", "name", "email", "notify", "project", "bio"} {
			if _, ok := m[k]; !ok {
				t.Errorf("no %q in %s", k, rec.Body)
			}
		}
		if m["project"] != "e-lyco" || m["bio"] != "Chargée de mission ENT.\nNantes." {
			t.Errorf("answer %s", rec.Body)
		}
	})
	t.Run("GET /api/users/{login} shows the profile and contributions", func(t *testing.T) {
		rec := e.do("GET", "/api/users/edith", e.reader, nil)
		wantStatusCode(t, rec, http.StatusOK)
		p := decode[profileT](t, rec)
		if p.Login != "edith" || p.Name != "Édith Piaf" || p.Project != "e-lyco" || p.ProjectTitle != "e-lyco (académie de Nantes)" || p.Bio == "" {
			t.Errorf("profile %+v", p)
		}
		if p.Email != "" {
			t.Errorf("another member sees the address: %s", rec.Body)
		}
		if len(p.Contributions) != 2 || p.Contributions[0].Path != "usages/cahier" || p.Contributions[0].Author != "edith" {
			t.Errorf("contributions %+v", p.Contributions)
		}
		if p := decode[profileT](t, e.do("GET", "/api/users/edith", admin, nil)); p.Email != "edith@club.example" {
			t.Errorf("the admin does not see the address: %+v", p)
		}
	})
	t.Run("lists give the authors' display names", func(t *testing.T) {
		ch := decode[struct {
			Changes []struct {
				AuthorName string `json:"author_name"`
			}
		}](t, e.do("GET", "/api/changes", e.reader, nil))
		h := decode[struct {
			Revisions []struct {
				AuthorName string `json:"author_name"`
			}
		}](t, e.do("GET", "/api/history/usages/cahier", e.reader, nil))
		if len(ch.Changes) == 0 || ch.Changes[0].AuthorName != "Édith Piaf" || len(h.Revisions) != 1 || h.Revisions[0].AuthorName != "Édith Piaf" {
			t.Errorf("changes %+v, history %+v", ch, h)
		}
	})
	t.Run("contributions are paged", func(t *testing.T) {
		p := decode[profileT](t, e.do("GET", "/api/users/edith?limit=1", e.reader, nil))
		if len(p.Contributions) != 1 || p.Next == 0 {
			t.Fatalf("first page %+v", p)
		}
		p2 := decode[profileT](t, e.do("GET", "/api/users/edith?limit=1&before="+strconv.FormatUint(p.Next, 10), e.reader, nil))
		if len(p2.Contributions) != 1 || p2.Contributions[0].Path != "club/presentation" || p2.Next != 0 {
			t.Errorf("second page %+v", p2)
		}
	})
	t.Run("GET /api/users lists the members by name", func(t *testing.T) {
		rec := e.do("GET", "/api/users", e.reader, nil)
		wantStatusCode(t, rec, http.StatusOK)
		v := decode[struct{ Users []profileT }](t, rec)
		var logins []string
		for _, u := range v.Users {
			logins = append(logins, u.Login)
		}
		if got := strings.Join(logins, ","); got != "chef,edith,remi" {
			t.Errorf("directory %s", got)
		}
	})
	t.Run("an unknown member is a 404", func(t *testing.T) {
		wantError(t, e.do("GET", "/api/users/personne", e.reader, nil), http.StatusNotFound, "not_found")
	})
	t.Run("an admin edits someone's profile, a member only their own", func(t *testing.T) {
		rec := e.do("PUT", "/api/users/remi", admin, `{"name":"Rémi Lecteur","project":"Collectivité de test"}`)
		wantStatusCode(t, rec, http.StatusOK)
		if p := decode[profileT](t, rec); p.Name != "Rémi Lecteur" || p.ProjectTitle != "Collectivité de test" {
			t.Errorf("answer %s", rec.Body)
		}
		wantError(t, e.do("PUT", "/api/users/edith", e.reader, `{"name":"Pirate"}`), http.StatusForbidden, "forbidden")
		wantStatusCode(t, e.do("PUT", "/api/users/remi", e.reader, `{"bio":"Lecteur."}`), http.StatusOK)
		if p := decode[profileT](t, e.do("GET", "/api/users/edith", e.reader, nil)); p.Name != "Édith Piaf" {
			t.Errorf("edith's name changed: %+v", p)
		}
	})
	for _, c := range []struct{ name, target, body, reason string }{
		{"a presentation too long", "/api/me", `{"bio":"` + strings.Repeat("é", wiki.MaxBioRunes+1) + `"}`, "bio_too_long"},
		{"a presentation with a control character", "/api/me", `{"bio":"un\u0007deux"}`, "bio_invalid"},
		{"a project on two lines", "/api/me", `{"project":"un\ndeux"}`, "project_invalid"},
		{"a project too long", "/api/users/edith", `{"project":"` + strings.Repeat("x", 101) + `"}`, "project_invalid"},
		{"a name on two lines", "/api/users/edith", `{"name":"un\ndeux"}`, "name_invalid"},
		{"a bad address", "/api/users/edith", `{"email":"pas une adresse"}`, "email_invalid"},
	} {
		t.Run("refuses "+c.name, func(t *testing.T) {
			before := e.do("GET", "/api/me", e.editor, nil).Body.String()
			ae := wantError(t, e.do("PUT", c.target, e.editor, c.body), http.StatusBadRequest, "bad_request")
			if ae.Error.Reason != c.reason {
				t.Errorf("reason %q, want %q", ae.Error.Reason, c.reason)
			}
			if after := e.do("GET", "/api/me", e.editor, nil).Body.String(); after != before {
				t.Errorf("changed: %s → %s", before, after)
			}
		})
	}
	t.Run("a presentation of exactly the bound is kept", func(t *testing.T) {
		bio := strings.Repeat("é", wiki.MaxBioRunes)
		wantStatusCode(t, e.do("PUT", "/api/me", e.editor, map[string]string{"bio": bio}), http.StatusOK)
	})
}
