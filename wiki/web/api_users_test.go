package web

import (
	"context"
	"fmt"
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
	t.Parallel()
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

// TestServer_MembersInWindows checks that the members' lists, by API
// and in the interface, come a window at a time with the total: the
// contract's list limits (default 50, at most 500), and a hundred per
// page with links to the others.
func TestServer_MembersInWindows(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	ctx := context.Background()
	admin := e.user(ctx, "chef", wiki.RoleAdmin)
	for i := range 160 {
		e.addUser(ctx, fmt.Sprintf("membre%03d", i), wiki.RoleReader)
	}
	type list struct {
		Users []struct {
			Login string `json:"login"`
		} `json:"users"`
		Total int `json:"total"`
	}
	all := 160 + 3 // and edith, remi, chef
	for _, c := range []struct {
		target string
		n      int
	}{
		{"/api/users", 50}, {"/api/users?limit=500", all}, {"/api/users?limit=10&offset=158", 5},
		{"/api/admin/users", 50}, {"/api/admin/users?limit=20&offset=20", 20}, {"/api/users?limit=9999", all},
	} {
		rec := e.do("GET", c.target, admin, nil)
		wantStatusCode(t, rec, http.StatusOK)
		l := decode[list](t, rec)
		if len(l.Users) != c.n || l.Total != all {
			t.Errorf("%s: %d members of %d, want %d of %d", c.target, len(l.Users), l.Total, c.n, all)
		}
	}
	wantStatusCode(t, e.do("GET", "/api/users?offset=-1", e.editor, nil), http.StatusBadRequest)
	wantStatusCode(t, e.do("GET", "/api/users?limit=x", e.editor, nil), http.StatusBadRequest)

	b := e.signIn("chef")
	doc := page(t, b.get("/membres"), http.StatusOK)
	if n := doc.Find("#members tbody tr").Length(); n != 100 {
		t.Errorf("the first page lists %d members", n)
	}
	next, _ := doc.Find(`a[rel="next"]`).Attr("href")
	if next != "/membres?offset=100" || doc.Find(`a[rel="prev"]`).Length() != 0 {
		t.Fatalf("next = %q", next)
	}
	doc = page(t, b.get(next), http.StatusOK)
	if n := doc.Find("#members tbody tr").Length(); n != all-100 {
		t.Errorf("the second page lists %d members", n)
	}
	if prev, _ := doc.Find(`a[rel="prev"]`).Attr("href"); prev != "/membres" || doc.Find(`a[rel="next"]`).Length() != 0 {
		t.Errorf("prev = %q", prev)
	}
	// A window past the end (a list that shrank since the link was made)
	// says there is none there and links back.
	doc = page(t, b.get("/membres?offset=900"), http.StatusOK)
	if prev, _ := doc.Find(`a[rel="prev"]`).Attr("href"); doc.Find("#members").Length() != 0 || prev != "/membres?offset=63" {
		t.Errorf("past the end: %d tables, prev = %q", doc.Find("#members").Length(), prev)
	}
	doc = page(t, b.get("/membres?offset=9223372036854775807"), http.StatusOK)
	if prev, _ := doc.Find(`a[rel="prev"]`).Attr("href"); prev != "/membres?offset=63" || doc.Find(`a[rel="next"]`).Length() != 0 {
		t.Errorf("at the largest offset: prev = %q, %d next", prev, doc.Find(`a[rel="next"]`).Length())
	}
	wantStatusCode(t, b.get("/membres?offset=-1"), http.StatusBadRequest)
	doc = page(t, b.get("/admin?offset=100"), http.StatusOK)
	if n := doc.Find("form.member").Length(); n != all-100 {
		t.Errorf("the admin's second page lists %d members", n)
	}
}
