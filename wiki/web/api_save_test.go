package web

import (
	"net/http"
	"strings"
	"testing"
)

func TestServer_PutPage(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	const path = "/api/pages/accompagnement/formation-des-enseignants"
	t.Run("create", func(t *testing.T) {
		rec := e.do("PUT", path, e.editor, `{"markdown":"# Formation\n\nSéances le mercredi.\n","summary":"création"}`)
		wantStatusCode(t, rec, http.StatusCreated)
		s := decode[savedT](t, rec)
		if s.Path != "accompagnement/formation-des-enseignants" || s.Rev != 1 || s.Merged == nil || *s.Merged {
			t.Errorf("answer = %+v", s)
		}
		if loc := rec.Header().Get("Location"); loc != path {
			t.Errorf("Location = %q", loc)
		}
	})
	t.Run("edit", func(t *testing.T) {
		rec := e.do("PUT", path, e.editor, `{"markdown":"# Formation\n\nSéances le jeudi.\n","base_rev":1,"minor":true}`)
		wantStatusCode(t, rec, http.StatusOK)
		if s := decode[savedT](t, rec); s.Rev != 2 || *s.Merged {
			t.Errorf("answer = %+v", s)
		}
	})
	t.Run("unchanged text gives the head without a new revision", func(t *testing.T) {
		for _, base := range []int{2, 1, 0} {
			rec := e.do("PUT", path, e.editor, map[string]any{"markdown": "# Formation\n\nSéances le jeudi.\n", "base_rev": base})
			wantStatusCode(t, rec, http.StatusOK)
			if s := decode[savedT](t, rec); s.Rev != 2 {
				t.Errorf("base %d: rev = %d, want 2", base, s.Rev)
			}
		}
		if h := e.history("accompagnement/formation-des-enseignants"); len(h.Revisions) != 2 {
			t.Errorf("%d revisions, want 2", len(h.Revisions))
		}
	})
	t.Run("CRLF is the same text", func(t *testing.T) {
		rec := e.do("PUT", path, e.editor, `{"markdown":"# Formation\r\n\r\nSéances le jeudi.\r\n","base_rev":2}`)
		if s := decode[savedT](t, rec); rec.Code != http.StatusOK || s.Rev != 2 {
			t.Errorf("status %d, answer %+v", rec.Code, s)
		}
	})
	t.Run("unknown fields are ignored", func(t *testing.T) {
		rec := e.do("PUT", "/api/pages/club/futur", e.editor, `{"markdown":"Plus tard.","base_rev":0,"tags":["x"],"draft":{"a":1}}`)
		wantStatusCode(t, rec, http.StatusCreated)
	})
	t.Run("empty page", func(t *testing.T) {
		wantStatusCode(t, e.do("PUT", "/api/pages/club/vide", e.editor, `{"markdown":""}`), http.StatusCreated)
	})
}

func TestServer_PutPageConflict(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	e.save("marches/cahier-des-charges", "Version A.\n", 0, http.StatusCreated)
	e.save("marches/cahier-des-charges", "Version B.\n", 1, http.StatusOK)
	t.Run("stale base", func(t *testing.T) {
		rec := e.do("PUT", "/api/pages/marches/cahier-des-charges", e.editor, `{"markdown":"Version C.\n","base_rev":1}`)
		ae := wantError(t, rec, http.StatusConflict, "edit_conflict")
		if ae.HeadRev == nil || *ae.HeadRev != 2 {
			t.Errorf("head_rev = %v", ae.HeadRev)
		}
		cm := ""
		if ae.ConflictMarkdown != nil {
			cm = *ae.ConflictMarkdown
		}
		for _, want := range []string{"<<<<<<< yours\n", "Version C.\n", "=======\n", "Version B.\n", ">>>>>>> revision 2\n"} {
			if !strings.Contains(cm, want) {
				t.Errorf("conflict_markdown lacks %q: %q", want, cm)
			}
		}
	})
	t.Run("base_rev 0 on a live page", func(t *testing.T) {
		ae := wantError(t, e.do("PUT", "/api/pages/marches/cahier-des-charges", e.editor, `{"markdown":"Autre.\n","base_rev":0}`), http.StatusConflict, "edit_conflict")
		if ae.HeadRev == nil || *ae.HeadRev != 2 {
			t.Errorf("head_rev = %v", ae.HeadRev)
		}
	})
	t.Run("base_rev beyond the head", func(t *testing.T) {
		wantError(t, e.do("PUT", "/api/pages/marches/cahier-des-charges", e.editor, `{"markdown":"Autre.\n","base_rev":9}`), http.StatusBadRequest, "bad_request")
	})
	t.Run("nothing was saved", func(t *testing.T) {
		p := decode[pageT](t, e.do("GET", "/api/pages/marches/cahier-des-charges", e.editor, nil))
		if p.Rev != 2 || p.Markdown != "Version B.\n" {
			t.Errorf("page = %+v", p)
		}
	})
	t.Run("edits that do not overlap are merged", func(t *testing.T) {
		e.save("marches/hebergeur", "Titre.\n\nHébergeur : à choisir.\n\nContrat : trois ans.\n", 0, http.StatusCreated)
		e.save("marches/hebergeur", "Titre révisé.\n\nHébergeur : à choisir.\n\nContrat : trois ans.\n", 1, http.StatusOK)
		rec := e.do("PUT", "/api/pages/marches/hebergeur", e.editor, map[string]any{"markdown": "Titre.\n\nHébergeur : à choisir.\n\nContrat : quatre ans.\n", "base_rev": 1})
		wantStatusCode(t, rec, http.StatusOK)
		if s := decode[savedT](t, rec); s.Rev != 3 || s.Merged == nil || !*s.Merged {
			t.Errorf("merge answer = %s", rec.Body.String())
		}
		p := decode[pageT](t, e.do("GET", "/api/pages/marches/hebergeur", e.editor, nil))
		if p.Markdown != "Titre révisé.\n\nHébergeur : à choisir.\n\nContrat : quatre ans.\n" {
			t.Errorf("merged text = %q", p.Markdown)
		}
	})
	t.Run("head unchanged after the conflicts", func(t *testing.T) {
		p := decode[pageT](t, e.do("GET", "/api/pages/marches/cahier-des-charges", e.editor, nil))
		if p.Rev != 2 || p.Markdown != "Version B.\n" {
			t.Errorf("page = %+v", p)
		}
	})
}

func TestServer_PutPageBadInput(t *testing.T) {
	t.Parallel()
	e := newTestEnvWith(t, envOptions{maxPageBytes: 1000})
	e.save("club/existante", "Texte.\n", 0, http.StatusCreated)
	cases := []struct {
		name   string
		path   string
		body   any
		status int
		code   string
	}{
		{"invalid JSON", "club/existante", `{"markdown":`, http.StatusBadRequest, "bad_request"},
		{"not an object", "club/existante", `["markdown"]`, http.StatusBadRequest, "bad_request"},
		{"wrong type", "club/existante", `{"markdown":"x","base_rev":"1"}`, http.StatusBadRequest, "bad_request"},
		{"trailing garbage", "club/existante", `{"markdown":"x","base_rev":1} {"markdown":"y"}`, http.StatusBadRequest, "bad_request"},
		{"trailing word", "club/existante", `{"markdown":"x","base_rev":1}garbage`, http.StatusBadRequest, "bad_request"},
		{"invalid UTF-8", "club/existante", []byte("{\"markdown\":\"caf\xe9\",\"base_rev\":1}"), http.StatusBadRequest, "bad_request"},
		{"missing markdown", "club/existante", `{"summary":"oubli","base_rev":1}`, http.StatusBadRequest, "bad_request"},
		{"null markdown", "club/existante", `{"markdown":null,"base_rev":1}`, http.StatusBadRequest, "bad_request"},
		{"empty body", "club/existante", "", http.StatusBadRequest, "bad_request"},
		{"negative base_rev", "club/existante", `{"markdown":"x","base_rev":-1}`, http.StatusBadRequest, "bad_request"},
		{"bad path", "club", `{"markdown":"x"}`, http.StatusBadRequest, "bad_request"},
		{"unknown namespace", "jardin/roses", `{"markdown":"x"}`, http.StatusBadRequest, "bad_request"},
		{"markdown over the page limit", "club/existante", map[string]any{"markdown": strings.Repeat("é", 600), "base_rev": 1}, http.StatusRequestEntityTooLarge, "too_large"},
		{"body over the body limit", "club/existante", map[string]any{"markdown": strings.Repeat("\x01", 12000), "base_rev": 1}, http.StatusRequestEntityTooLarge, "too_large"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			wantError(t, e.do("PUT", "/api/pages/"+c.path, e.editor, c.body), c.status, c.code)
		})
	}
	t.Run("nothing was saved", func(t *testing.T) {
		if h := e.history("club/existante"); len(h.Revisions) != 1 {
			t.Errorf("%d revisions, want 1", len(h.Revisions))
		}
	})
	t.Run("body limit leaves room for escaping", func(t *testing.T) {
		// json.Marshal writes each "<" as \u003c: 999 of them are 5994
		// bytes of JSON, within 6×1000+64 KiB.
		rec := e.do("PUT", "/api/pages/club/echappee", e.editor, map[string]any{"markdown": strings.Repeat("<", 999)})
		wantStatusCode(t, rec, http.StatusCreated)
	})
}

func TestServer_BodyLimit(t *testing.T) {
	t.Parallel()
	e := newTestEnvWith(t, envOptions{server: Options{MaxBodyBytes: 100}})
	t.Run("declared length", func(t *testing.T) {
		wantError(t, e.do("PUT", "/api/pages/club/gros", e.editor, `{"markdown":"`+strings.Repeat("x", 200)+`"}`), http.StatusRequestEntityTooLarge, "too_large")
	})
	t.Run("unknown length", func(t *testing.T) {
		r := newRequest("PUT", "/api/pages/club/gros", strings.NewReader(`{"markdown":"`+strings.Repeat("x", 200)+`"}`))
		r.ContentLength = -1
		r.Header.Set("Authorization", "Bearer "+e.editor)
		wantError(t, serve(e.srv, r), http.StatusRequestEntityTooLarge, "too_large")
	})
	t.Run("default from the page limit", func(t *testing.T) {
		d := newTestEnvWith(t, envOptions{maxPageBytes: 1 << 20})
		if want := int64(6<<20 + 64<<10); d.srv.maxBody != want {
			t.Errorf("maxBody = %d, want %d", d.srv.maxBody, want)
		}
	})
}

func TestServer_DeletePage(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	e.save("services/messagerie", "La messagerie.\n", 0, http.StatusCreated)
	e.save("services/agenda", "L'agenda.\n", 0, http.StatusCreated)
	t.Run("without body", func(t *testing.T) {
		rec := e.do("DELETE", "/api/pages/services/messagerie", e.editor, nil)
		wantStatusCode(t, rec, http.StatusOK)
		if r := decode[revT](t, rec); r.Rev == nil || *r.Rev != 2 || r.Path != "services/messagerie" {
			t.Errorf("answer = %s", rec.Body.String())
		}
	})
	t.Run("with a summary", func(t *testing.T) {
		rec := e.do("DELETE", "/api/pages/Services/Agenda", e.editor, `{"summary":"doublon"}`)
		wantStatusCode(t, rec, http.StatusOK)
		h := e.history("services/agenda")
		if len(h.Revisions) != 2 || !h.Revisions[0].Deleted || h.Revisions[0].Summary != "doublon" {
			t.Errorf("history = %+v", h)
		}
	})
	t.Run("already deleted", func(t *testing.T) {
		wantError(t, e.do("DELETE", "/api/pages/services/messagerie", e.editor, nil), http.StatusNotFound, "not_found")
	})
	t.Run("missing", func(t *testing.T) {
		wantError(t, e.do("DELETE", "/api/pages/services/jamais", e.editor, nil), http.StatusNotFound, "not_found")
	})
	t.Run("bad body", func(t *testing.T) {
		e.save("services/cloud", "Le nuage.\n", 0, http.StatusCreated)
		wantError(t, e.do("DELETE", "/api/pages/services/cloud", e.editor, `{"summary":`), http.StatusBadRequest, "bad_request")
		wantStatusCode(t, e.do("GET", "/api/pages/services/cloud", e.editor, nil), http.StatusOK)
	})
}

// revT is the answer of delete and revert.
type revT struct {
	Path string `json:"path"`
	Rev  *int   `json:"rev"`
}
