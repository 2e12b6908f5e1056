package web

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// pageT is a page answer as the tests read it.
type pageT struct {
	Path      string         `json:"path"`
	Namespace string         `json:"namespace"`
	Title     string         `json:"title"`
	Rev       int            `json:"rev"`
	Markdown  string         `json:"markdown"`
	HTML      string         `json:"html"`
	Meta      map[string]any `json:"meta"`
	Updated   string         `json:"updated"`
	Author    string         `json:"author"`
}

const connexionMD = `---
title: Problème de connexion à l'ENT
tags: [connexion, assistance]
---
Quand un élève n'arrive pas à se connecter, vérifier d'abord l'**identifiant**.

Voir aussi [[portails/fédération|la fédération d'identités]].
`

func TestServer_GetPage(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	saved := e.save("Assistance/Problème de connexion à l'ENT", connexionMD, 0, http.StatusCreated)
	const canon = "assistance/probleme-de-connexion-a-l-ent"
	if saved.Path != canon || saved.Rev != 1 || saved.Merged == nil || *saved.Merged {
		t.Fatalf("save answer = %+v", saved)
	}
	requests := map[string]string{
		"canonical":            "/api/pages/" + canon,
		"percent-encoded":      "/api/pages/Assistance/Probl%C3%A8me%20de%20connexion%20%C3%A0%20l'ENT",
		"encoded slash":        "/api/pages/assistance%2Fprobleme-de-connexion-a-l-ent",
		"double slash":         "/api/pages/assistance//probleme-de-connexion-a-l-ent",
		"trailing slash":       "/api/pages/assistance/probleme-de-connexion-a-l-ent/",
		"dot segment":          "/api/pages/assistance/./probleme-de-connexion-a-l-ent",
		"upper case and space": "/api/pages/ASSISTANCE/Probleme%20de%20Connexion%20a%20l%20ENT",
	}
	for name, target := range requests {
		t.Run(name, func(t *testing.T) {
			rec := e.do("GET", target, e.reader, nil)
			wantStatusCode(t, rec, http.StatusOK)
			p := decode[pageT](t, rec)
			if p.Path != canon || p.Namespace != "assistance" || p.Rev != 1 || p.Author != "edith" {
				t.Errorf("page = %+v", p)
			}
			if p.Title != "Problème de connexion à l'ENT" {
				t.Errorf("title = %q", p.Title)
			}
			if p.Markdown != connexionMD {
				t.Errorf("markdown = %q", p.Markdown)
			}
			if !strings.Contains(p.HTML, "<strong>identifiant</strong>") || !strings.Contains(p.HTML, "missing") {
				t.Errorf("html = %q", p.HTML)
			}
			if tags, _ := p.Meta["tags"].([]any); len(tags) != 2 || tags[0] != "connexion" {
				t.Errorf("meta = %v", p.Meta)
			}
			ts, err := time.Parse(time.RFC3339, p.Updated)
			if err != nil || ts.Location() != time.UTC || time.Since(ts) > time.Minute {
				t.Errorf("updated = %q (%v)", p.Updated, err)
			}
		})
	}
	t.Run("meta is an empty object without front matter", func(t *testing.T) {
		e.save("club/sans-entete", "# Sans en-tête\n", 0, http.StatusCreated)
		rec := e.do("GET", "/api/pages/club/sans-entete", e.editor, nil)
		if !strings.Contains(rec.Body.String(), `"meta":{}`) {
			t.Errorf("body = %s", rec.Body.String())
		}
		if p := decode[pageT](t, rec); p.Title != "Sans en-tête" {
			t.Errorf("title = %q", p.Title)
		}
	})
}

func TestServer_GetPageRevision(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	e.save("club/reunions", "Première version.\n", 0, http.StatusCreated)
	e.save("club/reunions", "Deuxième version.\n", 1, http.StatusOK)
	t.Run("old revision", func(t *testing.T) {
		p := decode[pageT](t, e.do("GET", "/api/pages/club/reunions?rev=1", e.editor, nil))
		if p.Rev != 1 || p.Markdown != "Première version.\n" {
			t.Errorf("rev 1 = %+v", p)
		}
	})
	t.Run("head", func(t *testing.T) {
		p := decode[pageT](t, e.do("GET", "/api/pages/club/reunions", e.editor, nil))
		if p.Rev != 2 || p.Markdown != "Deuxième version.\n" {
			t.Errorf("head = %+v", p)
		}
	})
	t.Run("missing revision", func(t *testing.T) {
		wantError(t, e.do("GET", "/api/pages/club/reunions?rev=3", e.editor, nil), http.StatusNotFound, "not_found")
		wantError(t, e.do("GET", "/api/pages/club/reunions?rev=0", e.editor, nil), http.StatusNotFound, "not_found")
	})
	t.Run("bad rev", func(t *testing.T) {
		for _, q := range []string{"rev=deux", "rev=-1", "rev=1.5", "rev=99999999999999999999"} {
			wantError(t, e.do("GET", "/api/pages/club/reunions?"+q, e.editor, nil), http.StatusBadRequest, "bad_request")
		}
	})
}

func TestServer_GetPageErrors(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	e.save("club/supprimee", "Bientôt partie.\n", 0, http.StatusCreated)
	wantStatusCode(t, e.do("DELETE", "/api/pages/club/supprimee", e.editor, nil), http.StatusOK)
	cases := []struct {
		name, target string
		status       int
		code         string
	}{
		{"missing page", "/api/pages/club/inexistante", http.StatusNotFound, "not_found"},
		{"deleted page", "/api/pages/club/supprimee", http.StatusNotFound, "not_found"},
		{"one segment", "/api/pages/club", http.StatusBadRequest, "bad_request"},
		{"empty path", "/api/pages/", http.StatusBadRequest, "bad_request"},
		{"only punctuation", "/api/pages/%21%21/%3F%3F", http.StatusBadRequest, "bad_request"},
		{"unknown namespace", "/api/pages/cuisine/recettes", http.StatusBadRequest, "bad_request"},
		{"too long", "/api/pages/club/" + strings.Repeat("a", 250), http.StatusBadRequest, "bad_request"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			wantError(t, e.do("GET", c.target, e.editor, nil), c.status, c.code)
		})
	}
}

func TestServer_GetPageETag(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	e.save("usages/cahier-de-textes", "Le cahier de textes renvoie vers [[usages/devoirs]].\n", 0, http.StatusCreated)
	first := e.do("GET", "/api/pages/usages/cahier-de-textes", e.editor, nil)
	wantStatusCode(t, first, http.StatusOK)
	etag := first.Header().Get("ETag")
	if etag == "" || !strings.HasPrefix(etag, `"`) {
		t.Fatalf("ETag = %q", etag)
	}
	if cc := first.Header().Get("Cache-Control"); cc != "private, no-cache" {
		t.Errorf("Cache-Control = %q", cc)
	}
	get := func(inm string) *http.Request {
		r := newRequest("GET", "/api/pages/usages/cahier-de-textes", nil)
		r.Header.Set("Authorization", "Bearer "+e.editor)
		r.Header.Set("If-None-Match", inm)
		return r
	}
	t.Run("cached body is identical", func(t *testing.T) {
		again := e.do("GET", "/api/pages/usages/cahier-de-textes", e.editor, nil)
		if again.Body.String() != first.Body.String() || again.Header().Get("ETag") != etag {
			t.Errorf("second read differs")
		}
		if again.Header().Get("Content-Length") == "" {
			t.Errorf("no Content-Length")
		}
	})
	t.Run("304", func(t *testing.T) {
		for _, inm := range []string{etag, "W/" + etag, `"autre", ` + etag, "*"} {
			rec := serve(e.srv, get(inm))
			if rec.Code != http.StatusNotModified || rec.Body.Len() != 0 {
				t.Errorf("If-None-Match %s: status %d, %d bytes", inm, rec.Code, rec.Body.Len())
			}
		}
	})
	t.Run("other tag", func(t *testing.T) {
		wantStatusCode(t, serve(e.srv, get(`"0-0"`)), http.StatusOK)
	})
	t.Run("changes when a linked page appears", func(t *testing.T) {
		before := decode[pageT](t, e.do("GET", "/api/pages/usages/cahier-de-textes", e.editor, nil))
		if !strings.Contains(before.HTML, "missing") {
			t.Fatalf("link to a missing page not marked: %s", before.HTML)
		}
		e.save("usages/devoirs", "Les devoirs.\n", 0, http.StatusCreated)
		rec := serve(e.srv, get(etag))
		wantStatusCode(t, rec, http.StatusOK)
		if rec.Header().Get("ETag") == etag {
			t.Errorf("ETag did not change")
		}
		if p := decode[pageT](t, rec); strings.Contains(p.HTML, "missing") {
			t.Errorf("stale cached body: %s", p.HTML)
		}
	})
	t.Run("changes with a new revision", func(t *testing.T) {
		cur := e.do("GET", "/api/pages/usages/cahier-de-textes", e.editor, nil).Header().Get("ETag")
		e.save("usages/cahier-de-textes", "Nouveau texte.\n", 1, http.StatusOK)
		rec := serve(e.srv, get(cur))
		wantStatusCode(t, rec, http.StatusOK)
		if p := decode[pageT](t, rec); p.Rev != 2 || p.Markdown != "Nouveau texte.\n" {
			t.Errorf("page = %+v", p)
		}
	})
}

func TestServer_ListPages(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	for _, p := range []string{"club/b", "club/a", "usages/c", "club/c"} {
		e.save(p, "Texte de "+p+".\n", 0, http.StatusCreated)
	}
	type listT struct {
		Pages []struct {
			Path    string `json:"path"`
			Title   string `json:"title"`
			Rev     int    `json:"rev"`
			Updated string `json:"updated"`
			Author  string `json:"author"`
		} `json:"pages"`
		Total *int `json:"total"`
	}
	paths := func(l listT) string {
		var s []string
		for _, p := range l.Pages {
			s = append(s, p.Path)
		}
		return strings.Join(s, ",")
	}
	t.Run("all", func(t *testing.T) {
		l := decode[listT](t, e.do("GET", "/api/pages", e.reader, nil))
		if paths(l) != "club/a,club/b,club/c,usages/c" || l.Total == nil || *l.Total != 4 {
			t.Errorf("pages = %s, total %v", paths(l), l.Total)
		}
		if p := l.Pages[0]; p.Rev != 1 || p.Author != "edith" || p.Title != "a" || !strings.HasSuffix(p.Updated, "Z") {
			t.Errorf("first = %+v", p)
		}
	})
	t.Run("namespace with limit and offset", func(t *testing.T) {
		l := decode[listT](t, e.do("GET", "/api/pages?ns=club&limit=1&offset=1", e.reader, nil))
		if paths(l) != "club/b" || *l.Total != 3 {
			t.Errorf("pages = %s, total %d", paths(l), *l.Total)
		}
	})
	t.Run("empty list is an array", func(t *testing.T) {
		rec := e.do("GET", "/api/pages?ns=marches", e.reader, nil)
		if !strings.Contains(rec.Body.String(), `"pages":[]`) {
			t.Errorf("body = %s", rec.Body.String())
		}
	})
	t.Run("bad parameters", func(t *testing.T) {
		for _, q := range []string{"ns=cuisine", "limit=x", "offset=-2", "limit=1e3"} {
			wantError(t, e.do("GET", "/api/pages?"+q, e.reader, nil), http.StatusBadRequest, "bad_request")
		}
	})
}
