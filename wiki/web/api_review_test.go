package web

import (
	"context"
	"net/http"
	"slices"
	"testing"

	"github.com/kdecole-club/clubwiki/wiki"
)

type reviewT struct {
	Path       string `json:"path"`
	Rev        int    `json:"rev"`
	ReviewedBy string `json:"reviewed_by"`
	Time       string `json:"time"`
}

type reviewedHistoryT struct {
	Revisions []struct {
		Rev        int     `json:"rev"`
		ReviewedBy *string `json:"reviewed_by"`
	} `json:"revisions"`
}

type changeSeqsT struct {
	Changes []struct {
		Seq  uint64 `json:"seq"`
		Path string `json:"path"`
		Rev  int    `json:"rev"`
		Kind string `json:"kind"`
	} `json:"changes"`
}

func (c changeSeqsT) revs() []int {
	var out []int
	for _, ch := range c.Changes {
		out = append(out, ch.Rev)
	}
	return out
}

func TestAPI_Review(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	admin := e.user(context.Background(), "ada", wiki.RoleAdmin)
	e.save("usages/relue", "un", 0, http.StatusCreated)
	e.save("usages/relue", "deux", 1, http.StatusOK)

	t.Run("reader refused", func(t *testing.T) {
		wantError(t, e.do("POST", "/api/review/usages/relue", e.reader, map[string]any{"rev": 1}), http.StatusForbidden, "forbidden")
	})
	t.Run("editor marks", func(t *testing.T) {
		rec := e.do("POST", "/api/review/usages/relue", e.editor, map[string]any{"rev": 1})
		wantStatusCode(t, rec, http.StatusOK)
		if got := decode[reviewT](t, rec); got.ReviewedBy != "edith" || got.Rev != 1 || got.Path != "usages/relue" || got.Time == "" {
			t.Fatalf("answer = %+v", got)
		}
	})
	t.Run("idempotent: the first reviewer stays", func(t *testing.T) {
		rec := e.do("POST", "/api/review/usages/relue", admin, map[string]any{"rev": 1})
		wantStatusCode(t, rec, http.StatusOK)
		if got := decode[reviewT](t, rec); got.ReviewedBy != "edith" {
			t.Fatalf("answer = %+v", got)
		}
	})
	t.Run("history carries reviewed_by", func(t *testing.T) {
		h := decode[reviewedHistoryT](t, e.do("GET", "/api/history/usages/relue", e.reader, nil))
		if len(h.Revisions) != 2 || h.Revisions[0].ReviewedBy != nil || h.Revisions[1].ReviewedBy == nil || *h.Revisions[1].ReviewedBy != "edith" {
			t.Fatalf("history = %+v", h)
		}
	})
	t.Run("survives later edits", func(t *testing.T) {
		e.save("usages/relue", "trois", 2, http.StatusOK)
		h := decode[reviewedHistoryT](t, e.do("GET", "/api/history/usages/relue", e.reader, nil))
		if h.Revisions[2].ReviewedBy == nil || *h.Revisions[2].ReviewedBy != "edith" {
			t.Fatalf("history = %+v", h)
		}
	})
	t.Run("unreviewed filter", func(t *testing.T) {
		all := decode[changeSeqsT](t, e.do("GET", "/api/changes", e.reader, nil))
		if !slices.Equal(all.revs(), []int{3, 2, 1}) {
			t.Fatalf("changes = %+v (a review is no page change)", all)
		}
		un := decode[changeSeqsT](t, e.do("GET", "/api/changes?unreviewed=1", e.reader, nil))
		if !slices.Equal(un.revs(), []int{3, 2}) {
			t.Fatalf("unreviewed = %+v", un)
		}
	})
	t.Run("bad requests", func(t *testing.T) {
		wantError(t, e.do("POST", "/api/review/usages/relue", e.editor, map[string]any{}), http.StatusBadRequest, "bad_request")
		wantError(t, e.do("POST", "/api/review/usages/relue", e.editor, map[string]any{"rev": 9}), http.StatusNotFound, "not_found")
		wantError(t, e.do("POST", "/api/review/usages/absente", e.editor, map[string]any{"rev": 1}), http.StatusNotFound, "not_found")
		wantError(t, e.do("GET", "/api/changes?unreviewed=oui", e.editor, nil), http.StatusBadRequest, "bad_request")
	})
}

func TestAPI_ReviewHidden(t *testing.T) {
	t.Parallel()
	e := newTestEnvWith(t, envOptions{readRule: func(u *wiki.User, ns string) bool { return ns != "marches" || u.Login != "edith" }})
	admin := e.user(context.Background(), "ada", wiki.RoleAdmin)
	rec := e.do("PUT", "/api/pages/marches/contrat", admin, map[string]any{"markdown": "secret", "base_rev": 0})
	wantStatusCode(t, rec, http.StatusCreated)
	// An editor kept out of marches: as for a missing page.
	wantError(t, e.do("POST", "/api/review/marches/contrat", e.editor, map[string]any{"rev": 1}), http.StatusNotFound, "not_found")
	// A reader who may read it is refused as for an edit.
	wantError(t, e.do("POST", "/api/review/marches/contrat", e.reader, map[string]any{"rev": 1}), http.StatusForbidden, "forbidden")
}
