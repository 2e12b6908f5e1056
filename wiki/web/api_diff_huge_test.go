package web

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
)

// hugePage returns 60,000 distinct lines (more than a rune-per-line diff
// can number below the surrogates), with line i replaced by s when s is
// not empty. Generated, not stored.
func hugePage(i int, s string) string {
	var sb strings.Builder
	for k := range 60000 {
		if k == i && s != "" {
			sb.WriteString(s + "\n")
			continue
		}
		sb.WriteString("ligne " + strconv.Itoa(k) + "\n")
	}
	return sb.String()
}

// TestServer_DiffHugePage: the diff API, the diff page and a save that
// merges answer for a page of 60,000 distinct lines (they answered 500).
func TestServer_DiffHugePage(t *testing.T) {
	e, _ := newUIEnv(t)
	const p = "assistance/page-immense"
	e.save(p, hugePage(-1, ""), 0, http.StatusCreated)
	e.save(p, hugePage(59000, "modifiée par Marie"), 1, http.StatusOK)

	t.Run("api", func(t *testing.T) {
		rec := e.do("GET", "/api/diff/"+p+"?from=1&to=2", e.reader, nil)
		wantStatusCode(t, rec, http.StatusOK)
		d := decode[diffT](t, rec)
		if d.Stats == nil || d.Stats.Added != 1 || d.Stats.Removed != 1 || !strings.Contains(d.Unified, "-ligne 59000\n+modifiée par Marie\n") {
			t.Errorf("diff = %+v", d)
		}
	})
	t.Run("page", func(t *testing.T) {
		doc := page(t, e.signIn("remi").get("/diff/"+p+"?from=1&to=2"), http.StatusOK)
		if doc.Find("table.diff tr.add").Length() != 1 {
			t.Errorf("the diff page does not show the one added line")
		}
	})
	t.Run("save from an old revision merges", func(t *testing.T) {
		rec := e.do("PUT", "/api/pages/"+p, e.editor, map[string]any{"markdown": hugePage(100, "modifiée par Karim"), "base_rev": 1})
		wantStatusCode(t, rec, http.StatusOK)
		if s := decode[savedT](t, rec); s.Rev != 3 || s.Merged == nil || !*s.Merged {
			t.Fatalf("save = %+v, want a merge", s)
		}
	})
}
