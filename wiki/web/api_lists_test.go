package web

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestServer_Namespaces(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	e.save("assistance/mots-de-passe", "Réinitialiser un mot de passe.\n", 0, http.StatusCreated)
	e.save("assistance/comptes", "Les comptes.\n", 0, http.StatusCreated)
	type namespacesT struct {
		Namespaces []struct {
			Key         string `json:"key"`
			Title       string `json:"title"`
			Description string `json:"description"`
			Pages       *int   `json:"pages"`
		} `json:"namespaces"`
	}
	got := decode[namespacesT](t, e.do("GET", "/api/namespaces", e.reader, nil))
	if len(got.Namespaces) != 8 {
		t.Fatalf("%d namespaces, want 8", len(got.Namespaces))
	}
	counts := map[string]int{}
	for _, ns := range got.Namespaces {
		if ns.Title == "" || ns.Description == "" || ns.Pages == nil {
			t.Errorf("namespace = %+v", ns)
			continue
		}
		counts[ns.Key] = *ns.Pages
	}
	if counts["assistance"] != 2 || counts["club"] != 0 {
		t.Errorf("counts = %v", counts)
	}
}

// changeT is a change-log entry as the tests read it.
type changeT struct {
	Seq     uint64 `json:"seq"`
	Path    string `json:"path"`
	Rev     int    `json:"rev"`
	Kind    string `json:"kind"`
	Author  string `json:"author"`
	Time    string `json:"time"`
	Summary string `json:"summary"`
	Title   string `json:"title"`
	Minor   bool   `json:"minor"`
}

func TestServer_Changes(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	e.save("usages/pronote", "Un.\n", 0, http.StatusCreated)
	e.save("connecteurs/gar", "Le GAR.\n", 0, http.StatusCreated)
	e.save("usages/pronote", "Deux.\n", 1, http.StatusOK)
	wantStatusCode(t, e.do("DELETE", "/api/pages/connecteurs/gar", e.editor, `{"summary":"fin"}`), http.StatusOK)
	wantStatusCode(t, e.do("POST", "/api/revert/usages/pronote", e.editor, `{"rev":1}`), http.StatusOK)
	changes := func(query string) []changeT {
		t.Helper()
		rec := e.do("GET", "/api/changes"+query, e.reader, nil)
		wantStatusCode(t, rec, http.StatusOK)
		return decode[struct {
			Changes []changeT `json:"changes"`
		}](t, rec).Changes
	}
	summary := func(cs []changeT) string {
		var s []string
		for _, c := range cs {
			s = append(s, fmt.Sprintf("%s@%d:%s", c.Path, c.Rev, c.Kind))
		}
		return strings.Join(s, " ")
	}
	all := changes("")
	t.Run("newest first", func(t *testing.T) {
		want := "usages/pronote@3:revert connecteurs/gar@2:delete usages/pronote@2:edit connecteurs/gar@1:create usages/pronote@1:create"
		if got := summary(all); got != want {
			t.Errorf("changes = %s\nwant      %s", got, want)
		}
		for i := 1; i < len(all); i++ {
			if all[i].Seq >= all[i-1].Seq {
				t.Errorf("seq not decreasing: %d then %d", all[i-1].Seq, all[i].Seq)
			}
		}
		if c := all[1]; c.Author != "edith" || c.Summary != "fin" || !strings.HasSuffix(c.Time, "Z") {
			t.Errorf("delete entry = %+v", c)
		}
		if _, err := time.Parse(time.RFC3339, all[0].Time); err != nil {
			t.Errorf("time: %v", err)
		}
	})
	t.Run("since", func(t *testing.T) {
		got := changes(fmt.Sprintf("?since=%d", all[2].Seq))
		if summary(got) != summary(all[:2]) {
			t.Errorf("since = %s", summary(got))
		}
	})
	t.Run("before pages through since", func(t *testing.T) {
		// A follower that fell 4 changes behind reads them 2 at a time.
		since := all[4].Seq
		first := changes(fmt.Sprintf("?since=%d&limit=2", since))
		rest := changes(fmt.Sprintf("?since=%d&limit=2&before=%d", since, first[len(first)-1].Seq))
		if got := summary(append(first, rest...)); got != summary(all[:4]) {
			t.Errorf("paged = %s\nwant    %s", got, summary(all[:4]))
		}
	})
	t.Run("namespace and limit", func(t *testing.T) {
		if got := summary(changes("?ns=connecteurs")); got != "connecteurs/gar@2:delete connecteurs/gar@1:create" {
			t.Errorf("ns = %s", got)
		}
		if got := changes("?limit=2"); len(got) != 2 {
			t.Errorf("limit=2 gave %d", len(got))
		}
	})
	t.Run("bad parameters", func(t *testing.T) {
		for _, q := range []string{"?since=hier", "?since=-1", "?before=x", "?before=-2", "?limit=x", "?ns=cuisine"} {
			wantError(t, e.do("GET", "/api/changes"+q, e.reader, nil), http.StatusBadRequest, "bad_request")
		}
	})
	// Last: it adds a change.
	t.Run("title and minor flag", func(t *testing.T) {
		wantStatusCode(t, e.do("PUT", "/api/pages/usages/pronote", e.editor,
			`{"markdown":"# Pronote\n\nTrois.\n","base_rev":3,"minor":true}`), http.StatusOK)
		c := changes("?limit=1")[0]
		if c.Title != "Pronote" || !c.Minor || c.Rev != 4 {
			t.Errorf("newest change = %+v, want title Pronote, minor, rev 4", c)
		}
		if c := changes("?limit=2")[1]; c.Minor || c.Title != "pronote" {
			t.Errorf("older change = %+v, want the default title and not minor", c)
		}
	})
}

func TestServer_Backlinks(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	e.save("portails/educonnect", "# ÉduConnect\n", 0, http.StatusCreated)
	e.save("assistance/connexion", "Voir [[portails/ÉduConnect]].\n", 0, http.StatusCreated)
	e.save("club/faq", "# Questions\n\nVoir [[Portails/EduConnect|le portail]].\n", 0, http.StatusCreated)
	e.save("club/autre", "Sans lien.\n", 0, http.StatusCreated)
	type backT struct {
		Path  string `json:"path"`
		Pages []struct {
			Path  string `json:"path"`
			Title string `json:"title"`
		} `json:"pages"`
	}
	t.Run("linking pages", func(t *testing.T) {
		b := decode[backT](t, e.do("GET", "/api/backlinks/Portails/%C3%89duConnect", e.reader, nil))
		if b.Path != "portails/educonnect" || len(b.Pages) != 2 {
			t.Fatalf("backlinks = %+v", b)
		}
		if b.Pages[0].Path != "assistance/connexion" || b.Pages[1].Path != "club/faq" || b.Pages[1].Title != "Questions" {
			t.Errorf("backlinks = %+v", b.Pages)
		}
	})
	t.Run("none is an empty array", func(t *testing.T) {
		rec := e.do("GET", "/api/backlinks/club/autre", e.reader, nil)
		if !strings.Contains(rec.Body.String(), `"pages":[]`) {
			t.Errorf("body = %s", rec.Body.String())
		}
	})
	t.Run("bad path", func(t *testing.T) {
		wantError(t, e.do("GET", "/api/backlinks/inconnu/page", e.reader, nil), http.StatusBadRequest, "bad_request")
	})
}

func TestServer_Preview(t *testing.T) {
	t.Parallel()
	e := newTestEnvWith(t, envOptions{maxPageBytes: 1000})
	e.save("club/reunions", "Les réunions.\n", 0, http.StatusCreated)
	type previewT struct {
		HTML     string         `json:"html"`
		Title    string         `json:"title"`
		Meta     map[string]any `json:"meta"`
		Headings []struct {
			Level int    `json:"level"`
			Text  string `json:"text"`
			ID    string `json:"id"`
		} `json:"headings"`
		Links []string `json:"links"`
	}
	t.Run("rendered, nothing saved", func(t *testing.T) {
		md := "---\nstatut: brouillon\n---\n# Compte rendu\n\n## Présents\n\nVoir [[reunions]] et [[club/absente]].\n"
		rec := e.do("POST", "/api/preview", e.editor, map[string]any{"path": "club/compte-rendu", "markdown": md})
		wantStatusCode(t, rec, http.StatusOK)
		p := decode[previewT](t, rec)
		if p.Title != "Compte rendu" || p.Meta["statut"] != "brouillon" || len(p.Headings) != 2 || p.Headings[1].Text != "Présents" {
			t.Errorf("preview = %+v", p)
		}
		if strings.Join(p.Links, ",") != "club/absente,club/reunions" {
			t.Errorf("links = %v", p.Links)
		}
		if !strings.Contains(p.HTML, "<h2") || !strings.Contains(p.HTML, "missing") {
			t.Errorf("html = %s", p.HTML)
		}
		// Decoding is blind to the case of keys: read the bytes.
		if want := `"headings":[{"level":1,"text":"Compte rendu","id":"h-compte-rendu"},{"level":2,`; !strings.Contains(rec.Body.String(), want) {
			t.Errorf("headings are not {\"level\",\"text\",\"id\"}: %s", rec.Body.String())
		}
		wantError(t, e.do("GET", "/api/pages/club/compte-rendu", e.editor, nil), http.StatusNotFound, "not_found")
	})
	t.Run("readers may preview", func(t *testing.T) {
		wantStatusCode(t, e.do("POST", "/api/preview", e.reader, `{"markdown":"*x*"}`), http.StatusOK)
	})
	t.Run("empty lists are arrays", func(t *testing.T) {
		rec := e.do("POST", "/api/preview", e.editor, `{"path":"club/x","markdown":"texte"}`)
		for _, want := range []string{`"meta":{}`, `"headings":[]`, `"links":[]`, `"title":"x"`} {
			if !strings.Contains(rec.Body.String(), want) {
				t.Errorf("body lacks %s: %s", want, rec.Body.String())
			}
		}
	})
	t.Run("errors", func(t *testing.T) {
		wantError(t, e.do("POST", "/api/preview", e.editor, `{"path":"club/x"}`), http.StatusBadRequest, "bad_request")
		wantError(t, e.do("POST", "/api/preview", e.editor, `{"path":"nulle/part","markdown":"x"}`), http.StatusBadRequest, "bad_request")
		wantError(t, e.do("POST", "/api/preview", e.editor, map[string]string{"markdown": strings.Repeat("a", 1001)}), http.StatusRequestEntityTooLarge, "too_large")
	})
}
