package e2e

import (
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// The page the scenario works on, as a member would type its name, and the
// canonical path the contract gives for it.
const (
	typedPath = "Assistance/Problème de connexion à l'ENT"
	pagePath  = "assistance/probleme-de-connexion-a-l-ent"
	linkPath  = "assistance/mot-de-passe-oublie"
)

var (
	textV1 = "# Problème de connexion à l'ENT\n\n" +
		"Certains élèves n'arrivent pas à se connecter le lundi matin.\n\n" +
		"Voir aussi [[Assistance/Mot de passe oublié|la fiche sur les mots de passe]].\n\n" +
		"## Étapes\n\n1. Vérifier l'identifiant.\n2. Vider le cache du navigateur.\n"
	textV2 = strings.Replace(textV1, "2. Vider le cache du navigateur.\n",
		"2. Vider le cache du navigateur.\n3. Essayer depuis un autre poste.\n", 1)
	textV3 = strings.Replace(textV2, "le lundi matin", "le lundi matin, après les vacances", 1)
)

// wiki is a data folder with an editor and a reader, and a server on it.
type wiki struct {
	srv            *server
	editor, reader *client
}

func newWiki(t *testing.T) *wiki {
	t.Helper()
	data := t.TempDir()
	ed := token(t, data, "alice", "editor")
	rd := token(t, data, "rene", "reader")
	srv := startServer(t, data)
	t.Cleanup(func() {
		select {
		case <-srv.exited:
		default:
			srv.stop()
		}
	})
	return &wiki{srv: srv, editor: srv.client(ed), reader: srv.client(rd)}
}

// save PUTs a page and checks the status and the answer's path and rev.
func (c *client) save(t *testing.T, path, md string, baseRev, wantStatus, wantRev int) {
	t.Helper()
	var a saveAnswer
	c.call(t, http.MethodPut, pageURL("/api/pages/", path), saveBody{Markdown: md, BaseRev: baseRev, Summary: "mise à jour"}, wantStatus, &a)
	if a.Path != pagePathOf(path) || a.Rev != wantRev || a.Merged {
		t.Fatalf("PUT %s: answer %+v, want path %s rev %d merged false", path, a, pagePathOf(path), wantRev)
	}
}

// pagePathOf maps the spellings the tests use to their canonical paths.
func pagePathOf(p string) string {
	switch p {
	case typedPath:
		return pagePath
	case "Assistance/Mot de passe oublié":
		return linkPath
	}
	return p
}

// get reads a page (rev 0: head) and checks it is found.
func (c *client) get(t *testing.T, path string, rev int) pageAnswer {
	t.Helper()
	target := pageURL("/api/pages/", path)
	if rev > 0 {
		target += fmt.Sprintf("?rev=%d", rev)
	}
	var p pageAnswer
	c.call(t, http.MethodGet, target, nil, http.StatusOK, &p)
	return p
}

// linkClass returns the class attribute of the <a> pointing at page p in
// html, and whether there is one.
func linkClass(html, p string) (string, bool) {
	re := regexp.MustCompile(`<a\b[^>]*\bhref="/wiki/` + regexp.QuoteMeta(p) + `"[^>]*>`)
	tag := re.FindString(html)
	if tag == "" {
		return "", false
	}
	m := regexp.MustCompile(`\bclass="([^"]*)"`).FindStringSubmatch(tag)
	if m == nil {
		return "", true
	}
	return m[1], true
}

func isMissing(class string) bool { return slices.Contains(strings.Fields(class), "missing") }

func TestAPI_PageLifecycle(t *testing.T) {
	skipShort(t)
	t.Parallel()
	w := newWiki(t)
	ed := w.editor
	start := time.Now().Add(-time.Minute)

	ed.save(t, typedPath, textV1, 0, http.StatusCreated, 1)
	ed.save(t, typedPath, textV2, 1, http.StatusOK, 2)
	ed.save(t, pagePath, textV3, 2, http.StatusOK, 3)

	t.Run("unchanged text makes no revision", func(t *testing.T) {
		ed.save(t, pagePath, textV3, 1, http.StatusOK, 3)
	})
	t.Run("base_rev 0 on a live page is a conflict", func(t *testing.T) {
		ed.wantError(t, http.MethodPut, "/api/pages/"+pagePath, saveBody{Markdown: "autre texte\n"}, http.StatusConflict, "edit_conflict")
	})
	t.Run("base_rev beyond the head is a 400", func(t *testing.T) {
		ed.wantError(t, http.MethodPut, "/api/pages/"+pagePath, saveBody{Markdown: "autre texte\n", BaseRev: 9}, http.StatusBadRequest, "bad_request")
	})

	t.Run("head", func(t *testing.T) {
		p := ed.get(t, typedPath, 0)
		if p.Path != pagePath || p.Namespace != "assistance" || p.Rev != 3 || p.Markdown != textV3 {
			t.Errorf("page %s ns %s rev %d markdown %q; want %s assistance 3 %q", p.Path, p.Namespace, p.Rev, p.Markdown, pagePath, textV3)
		}
		if p.Title != "Problème de connexion à l'ENT" {
			t.Errorf("title %q, want the first heading", p.Title)
		}
		if p.Author != "alice" {
			t.Errorf("author %q, want alice", p.Author)
		}
		if p.Meta == nil || len(p.Meta) != 0 {
			t.Errorf("meta %v, want {}", p.Meta)
		}
		if p.Updated.Before(start) || p.Updated.After(time.Now().Add(time.Minute)) || p.Updated.Location() != time.UTC {
			t.Errorf("updated %v: not a recent UTC time", p.Updated)
		}
		if !strings.Contains(p.HTML, "après les vacances") || !strings.Contains(p.HTML, "<h2") {
			t.Errorf("html does not render the Markdown: %s", p.HTML)
		}
		class, ok := linkClass(p.HTML, linkPath)
		if !ok || !isMissing(class) {
			t.Errorf("the link to %s should exist with class missing (found %v, class %q): %s", linkPath, ok, class, p.HTML)
		}
	})
	t.Run("old revision", func(t *testing.T) {
		if p := ed.get(t, pagePath, 1); p.Rev != 1 || p.Markdown != textV1 {
			t.Errorf("?rev=1: rev %d markdown %q, want 1 %q", p.Rev, p.Markdown, textV1)
		}
	})
	t.Run("history", func(t *testing.T) {
		revs := history(t, ed, pagePath)
		if got := revNumbers(revs); !slices.Equal(got, []int{3, 2, 1}) {
			t.Fatalf("history revs %v, want [3 2 1]", got)
		}
		for _, r := range revs {
			if r.Author != "alice" || r.Deleted || r.Time.IsZero() {
				t.Errorf("revision %+v: want author alice, not deleted, with a time", r)
			}
		}
		if revs[0].Size != len(textV3) {
			t.Errorf("size %d, want %d bytes", revs[0].Size, len(textV3))
		}
	})
	t.Run("diff", func(t *testing.T) {
		var d struct {
			From, To int
			Unified  string
			Stats    struct{ Added, Removed int }
		}
		ed.call(t, http.MethodGet, "/api/diff/"+pagePath+"?from=1&to=3", nil, http.StatusOK, &d)
		if d.From != 1 || d.To != 3 {
			t.Errorf("from %d to %d, want 1 and 3", d.From, d.To)
		}
		for _, marker := range []string{"\n+++ ", "\n@@ ", "-Certains élèves n'arrivent pas à se connecter le lundi matin.\n", "+3. Essayer depuis un autre poste.\n"} {
			if !strings.Contains("\n"+d.Unified, marker) {
				t.Errorf("unified diff lacks %q:\n%s", marker, d.Unified)
			}
		}
		if !strings.HasPrefix(d.Unified, "--- ") {
			t.Errorf("unified diff does not start with ---:\n%s", d.Unified)
		}
		added, removed := countDiffLines(d.Unified)
		if d.Stats.Added != added || d.Stats.Removed != removed || added != 2 || removed != 1 {
			t.Errorf("stats %+v; the diff has %d added and %d removed lines; want 2 and 1", d.Stats, added, removed)
		}
	})

	t.Run("revert", func(t *testing.T) {
		var r revAnswer
		ed.call(t, http.MethodPost, "/api/revert/"+pagePath, map[string]any{"rev": 1, "summary": "retour à la première version"}, http.StatusOK, &r)
		if r.Rev != 4 {
			t.Fatalf("revert: rev %d, want 4", r.Rev)
		}
		if p := ed.get(t, pagePath, 0); p.Rev != 4 || p.Markdown != textV1 {
			t.Errorf("after revert: rev %d markdown %q, want 4 %q", p.Rev, p.Markdown, textV1)
		}
		ed.call(t, http.MethodPost, "/api/revert/"+pagePath, map[string]any{"rev": 1}, http.StatusOK, &r)
		if r.Rev != 4 {
			t.Errorf("reverting to the head's text again: rev %d, want 4 (no new revision)", r.Rev)
		}
	})

	t.Run("delete", func(t *testing.T) {
		var r revAnswer
		ed.call(t, http.MethodDelete, "/api/pages/"+pagePath, map[string]string{"summary": "doublon"}, http.StatusOK, &r)
		if r.Rev != 5 {
			t.Fatalf("delete: rev %d, want 5", r.Rev)
		}
		ed.wantError(t, http.MethodGet, "/api/pages/"+pagePath, nil, http.StatusNotFound, "not_found")
		ed.wantError(t, http.MethodDelete, "/api/pages/"+pagePath, nil, http.StatusNotFound, "not_found")
		revs := history(t, ed, pagePath)
		if got := revNumbers(revs); !slices.Equal(got, []int{5, 4, 3, 2, 1}) {
			t.Fatalf("history after delete %v, want [5 4 3 2 1]", got)
		}
		if !revs[0].Deleted || revs[1].Deleted {
			t.Errorf("deleted flags %v %v, want true for rev 5 only", revs[0].Deleted, revs[1].Deleted)
		}
	})

	t.Run("recreate", func(t *testing.T) {
		var a saveAnswer
		status, b, err := ed.do(t.Context(), http.MethodPut, pageURL("/api/pages/", typedPath), saveBody{Markdown: textV2, BaseRev: 0})
		if err != nil {
			t.Fatal(err)
		}
		if status != http.StatusCreated && status != http.StatusOK {
			t.Fatalf("recreating: status %d %s", status, b)
		}
		decode(t, b, &a)
		if a.Rev != 6 || a.Path != pagePath {
			t.Fatalf("recreating: %+v, want rev 6", a)
		}
		if p := ed.get(t, pagePath, 0); p.Rev != 6 || p.Markdown != textV2 {
			t.Errorf("after recreating: rev %d markdown %q", p.Rev, p.Markdown)
		}
	})

	t.Run("missing link then backlinks", func(t *testing.T) {
		var bl struct {
			Pages []struct{ Path, Title string }
		}
		ed.call(t, http.MethodGet, "/api/backlinks/"+linkPath, nil, http.StatusOK, &bl)
		if len(bl.Pages) != 1 || bl.Pages[0].Path != pagePath || bl.Pages[0].Title != "Problème de connexion à l'ENT" {
			t.Errorf("backlinks of %s: %+v, want only %s with its title", linkPath, bl.Pages, pagePath)
		}
		ed.save(t, "Assistance/Mot de passe oublié", "# Mot de passe oublié\n\nLa réinitialisation se fait depuis la page d'accueil du portail.\n", 0, http.StatusCreated, 1)
		class, ok := linkClass(ed.get(t, pagePath, 0).HTML, linkPath)
		if !ok || isMissing(class) {
			t.Errorf("once %s exists its link should not be missing (found %v, class %q)", linkPath, ok, class)
		}
	})

	t.Run("changes", func(t *testing.T) {
		changes := changeLog(t, ed, "")
		var kinds []string
		var revs []int
		for _, c := range changes {
			if c.Path == pagePath {
				kinds = append(kinds, c.Kind)
				revs = append(revs, c.Rev)
				if c.Author != "alice" {
					t.Errorf("change %+v: author should be alice", c)
				}
			}
		}
		if want := []string{"create", "delete", "revert", "edit", "edit", "create"}; !slices.Equal(kinds, want) {
			t.Errorf("kinds %v, want %v", kinds, want)
		}
		if !slices.Equal(revs, []int{6, 5, 4, 3, 2, 1}) {
			t.Errorf("revs %v, want [6 5 4 3 2 1]", revs)
		}
		for i := 1; i < len(changes); i++ {
			if changes[i].Seq >= changes[i-1].Seq {
				t.Fatalf("changes not newest first: seq %d after %d", changes[i].Seq, changes[i-1].Seq)
			}
		}
		if changes[0].Path != linkPath || changes[0].Kind != "create" {
			t.Errorf("newest change %+v, want the creation of %s", changes[0], linkPath)
		}
		since := changes[2].Seq
		newer := changeLog(t, ed, fmt.Sprintf("&since=%d", since))
		if len(newer) != 2 || newer[0].Seq != changes[0].Seq || newer[1].Seq != changes[1].Seq {
			t.Errorf("since=%d: %+v, want the two newest changes", since, newer)
		}
	})
}

func TestAPI_Authorization(t *testing.T) {
	skipShort(t)
	t.Parallel()
	w := newWiki(t)
	w.editor.save(t, "club/charte", "# Charte du club\n\nBienveillance et entraide entre projets.\n", 0, http.StatusCreated, 1)
	anon := w.srv.client("")
	forged := w.srv.client("cw_jeton-qui-n-existe-pas")

	for _, tc := range []struct {
		name   string
		c      *client
		method string
		target string
		body   any
		status int
		code   string
	}{
		{"no token, read", anon, http.MethodGet, "/api/pages/club/charte", nil, 401, "unauthenticated"},
		{"no token, list", anon, http.MethodGet, "/api/namespaces", nil, 401, "unauthenticated"},
		{"no token, save", anon, http.MethodPut, "/api/pages/club/charte", saveBody{Markdown: "vandalisme\n", BaseRev: 1}, 401, "unauthenticated"},
		{"unknown token", forged, http.MethodGet, "/api/pages/club/charte", nil, 401, "unauthenticated"},
		{"reader saves", w.reader, http.MethodPut, "/api/pages/club/charte", saveBody{Markdown: "modifié\n", BaseRev: 1}, 403, "forbidden"},
		{"reader creates", w.reader, http.MethodPut, "/api/pages/club/nouvelle", saveBody{Markdown: "nouvelle\n"}, 403, "forbidden"},
		{"reader deletes", w.reader, http.MethodDelete, "/api/pages/club/charte", nil, 403, "forbidden"},
		{"reader reverts", w.reader, http.MethodPost, "/api/revert/club/charte", map[string]int{"rev": 1}, 403, "forbidden"},
		{"one-segment path", w.editor, http.MethodPut, "/api/pages/club", saveBody{Markdown: "x\n"}, 400, "bad_request"},
		{"unknown namespace", w.editor, http.MethodPut, "/api/pages/cuisine/recettes", saveBody{Markdown: "x\n"}, 400, "bad_request"},
		{"body not JSON", w.editor, http.MethodPut, "/api/pages/club/charte", rawBody(`{"markdown": "pas fermé`), 400, "bad_request"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.c.wantError(t, tc.method, tc.target, tc.body, tc.status, tc.code)
		})
	}

	t.Run("reader reads", func(t *testing.T) {
		if p := w.reader.get(t, "club/charte", 0); p.Rev != 1 {
			t.Errorf("reader got rev %d, want 1", p.Rev)
		}
	})
	t.Run("nothing was changed", func(t *testing.T) {
		if revs := history(t, w.editor, "club/charte"); len(revs) != 1 {
			t.Errorf("club/charte has %d revisions after refused requests, want 1", len(revs))
		}
		w.editor.wantError(t, http.MethodGet, "/api/pages/club/nouvelle", nil, http.StatusNotFound, "not_found")
	})
	t.Run("healthz needs no token", func(t *testing.T) {
		status, b, err := anon.do(t.Context(), http.MethodGet, "/healthz", nil)
		if err != nil || status != http.StatusOK || string(b) != "ok" {
			t.Errorf("GET /healthz: %d %q %v", status, b, err)
		}
	})
}
