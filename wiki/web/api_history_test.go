package web

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

// diffT is a diff answer as the tests read it.
type diffT struct {
	Path    string `json:"path"`
	From    int    `json:"from"`
	To      int    `json:"to"`
	Unified string `json:"unified"`
	Stats   *struct {
		Added   int `json:"added"`
		Removed int `json:"removed"`
	} `json:"stats"`
}

// TestServer_PageLifecycle walks a page through its whole life:
// create → edit → edit → history → diff → revert → delete → recreate.
func TestServer_PageLifecycle(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	const path = "portails/federation-d-identites"
	const url = "/api/pages/Portails/F%C3%A9d%C3%A9ration%20d'identit%C3%A9s"
	texts := []string{
		"# Fédération\n\nLe portail académique.\n\nLes collectivités.\n",
		"# Fédération\n\nLe portail académique (ÉduConnect).\n\nLes collectivités.\n",
		"# Fédération\n\nLe portail académique (ÉduConnect).\n\nLes collectivités et les lycées.\n\nUne annexe.\n",
	}
	put := func(i, base, status int) {
		t.Helper()
		rec := e.do("PUT", url, e.editor, map[string]any{"markdown": texts[i], "base_rev": base, "summary": fmt.Sprintf("étape %d", i+1)})
		wantStatusCode(t, rec, status)
		if s := decode[savedT](t, rec); s.Path != path || s.Rev != i+1 {
			t.Fatalf("save %d = %+v", i+1, s)
		}
	}
	put(0, 0, http.StatusCreated)
	put(1, 1, http.StatusOK)
	put(2, 2, http.StatusOK)

	t.Run("history", func(t *testing.T) {
		h := e.history("Portails/F%C3%A9d%C3%A9ration%20d'identit%C3%A9s")
		if h.Path != path || len(h.Revisions) != 3 {
			t.Fatalf("history = %+v", h)
		}
		for i, r := range h.Revisions {
			if r.Rev != 3-i || r.Author != "edith" || r.Size != len(texts[2-i]) || r.Deleted {
				t.Errorf("revision %d = %+v", i, r)
			}
			if _, err := time.Parse(time.RFC3339, r.Time); err != nil || !strings.HasSuffix(r.Time, "Z") {
				t.Errorf("time = %q", r.Time)
			}
		}
		if h.Revisions[0].Summary != "étape 3" {
			t.Errorf("summary = %q", h.Revisions[0].Summary)
		}
		paged := decode[historyT](t, e.do("GET", "/api/history/"+path+"?limit=1&before=3", e.reader, nil))
		if len(paged.Revisions) != 1 || paged.Revisions[0].Rev != 2 {
			t.Errorf("limit=1&before=3 = %+v", paged.Revisions)
		}
	})
	t.Run("diff", func(t *testing.T) { checkLifecycleDiffs(t, e, path) })
	t.Run("revert to 1", func(t *testing.T) {
		rec := e.do("POST", "/api/revert/"+path, e.editor, `{"rev":1,"summary":"retour"}`)
		wantStatusCode(t, rec, http.StatusOK)
		if r := decode[revT](t, rec); *r.Rev != 4 || r.Path != path {
			t.Errorf("revert = %s", rec.Body.String())
		}
		if p := decode[pageT](t, e.do("GET", "/api/pages/"+path, e.reader, nil)); p.Rev != 4 || p.Markdown != texts[0] {
			t.Errorf("page after revert = %+v", p)
		}
		again := decode[revT](t, e.do("POST", "/api/revert/"+path, e.editor, `{"rev":1}`))
		if *again.Rev != 4 {
			t.Errorf("revert to the head's text made revision %d", *again.Rev)
		}
	})
	t.Run("delete", func(t *testing.T) {
		r := decode[revT](t, e.do("DELETE", "/api/pages/"+path, e.editor, `{"summary":"obsolète"}`))
		if *r.Rev != 5 {
			t.Errorf("delete rev = %d", *r.Rev)
		}
		wantError(t, e.do("GET", "/api/pages/"+path, e.reader, nil), http.StatusNotFound, "not_found")
		h := e.history(path)
		if len(h.Revisions) != 5 || !h.Revisions[0].Deleted {
			t.Errorf("history after delete = %+v", h.Revisions)
		}
		if p := decode[pageT](t, e.do("GET", "/api/pages/"+path+"?rev=2", e.reader, nil)); p.Markdown != texts[1] {
			t.Errorf("old revision of a deleted page = %+v", p)
		}
	})
	t.Run("recreate", func(t *testing.T) {
		rec := e.do("PUT", "/api/pages/"+path, e.editor, map[string]any{"markdown": "Renaissance.\n", "base_rev": 5})
		wantStatusCode(t, rec, http.StatusCreated)
		if s := decode[savedT](t, rec); s.Rev != 6 {
			t.Errorf("recreate = %+v", s)
		}
	})
}

// checkLifecycleDiffs checks the diffs of the lifecycle page at revision 3.
func checkLifecycleDiffs(t *testing.T, e *testEnv, path string) {
	t.Run("diff 1..3", func(t *testing.T) {
		d := decode[diffT](t, e.do("GET", "/api/diff/"+path+"?from=1&to=3", e.reader, nil))
		if d.Path != path || d.From != 1 || d.To != 3 || d.Stats == nil {
			t.Fatalf("diff = %+v", d)
		}
		for _, prefix := range []string{"--- ", "+++ ", "@@ ", "+Une annexe.", "-Le portail académique."} {
			if !hasLinePrefix(d.Unified, prefix) {
				t.Errorf("unified diff has no line starting %q:\n%s", prefix, d.Unified)
			}
		}
		if d.Stats.Added != 4 || d.Stats.Removed != 2 {
			t.Errorf("stats = %+v\n%s", *d.Stats, d.Unified)
		}
	})
	t.Run("diff defaults", func(t *testing.T) {
		d := decode[diffT](t, e.do("GET", "/api/diff/"+path, e.reader, nil))
		if d.From != 2 || d.To != 3 {
			t.Errorf("default from/to = %d/%d", d.From, d.To)
		}
		d = decode[diffT](t, e.do("GET", "/api/diff/"+path+"?to=2", e.reader, nil))
		if d.From != 1 || d.To != 2 || d.Stats.Added != 1 || d.Stats.Removed != 1 {
			t.Errorf("to=2: %+v", d)
		}
		d = decode[diffT](t, e.do("GET", "/api/diff/"+path+"?from=0&to=1", e.reader, nil))
		if d.From != 0 || d.To != 1 || d.Stats.Added != 5 || d.Stats.Removed != 0 {
			t.Errorf("from=0&to=1: %+v", d)
		}
	})
}

func hasLinePrefix(text, prefix string) bool {
	for line := range strings.SplitSeq(text, "\n") {
		if strings.HasPrefix(line, prefix) {
			return true
		}
	}
	return false
}

func TestServer_HistoryErrors(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	e.save("club/membres", "Les membres.\n", 0, http.StatusCreated)
	cases := []struct {
		name, method, target, body string
		status                     int
		code                       string
	}{
		{"history of a missing page", "GET", "/api/history/club/personne", "", 404, "not_found"},
		{"history bad limit", "GET", "/api/history/club/membres?limit=beaucoup", "", 400, "bad_request"},
		{"history bad before", "GET", "/api/history/club/membres?before=-3", "", 400, "bad_request"},
		{"diff of a missing page", "GET", "/api/diff/club/personne", "", 404, "not_found"},
		{"diff bad from", "GET", "/api/diff/club/membres?from=un", "", 400, "bad_request"},
		{"diff bad to", "GET", "/api/diff/club/membres?to=-1", "", 400, "bad_request"},
		{"diff empty to is the head", "GET", "/api/diff/club/membres?to=", "", 200, ""},
		{"diff beyond the head", "GET", "/api/diff/club/membres?from=1&to=7", "", 400, "bad_request"},
		{"diff bad path", "GET", "/api/diff/club", "", 400, "bad_request"},
		{"revert missing rev field", "POST", "/api/revert/club/membres", `{"summary":"x"}`, 400, "bad_request"},
		{"revert to a missing revision", "POST", "/api/revert/club/membres", `{"rev":9}`, 400, "bad_request"},
		{"revert a missing page", "POST", "/api/revert/club/personne", `{"rev":1}`, 404, "not_found"},
		{"revert bad JSON", "POST", "/api/revert/club/membres", `{rev:1}`, 400, "bad_request"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var body any
			if c.body != "" {
				body = c.body
			}
			rec := e.do(c.method, c.target, e.editor, body)
			if c.code == "" {
				wantStatusCode(t, rec, c.status)
				return
			}
			wantError(t, rec, c.status, c.code)
		})
	}
}
