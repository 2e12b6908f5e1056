package web

import (
	"net/http"
	"strconv"
	"testing"
)

type watchlistT struct {
	Items []struct {
		Path, Title, Kind string
	} `json:"items"`
	Changes []struct {
		Seq     uint64 `json:"seq"`
		Path    string `json:"path"`
		Rev     int    `json:"rev"`
		Kind    string `json:"kind"`
		Author  string `json:"author"`
		Time    string `json:"time"`
		Summary string `json:"summary"`
		Title   string `json:"title"`
		Unseen  bool   `json:"unseen"`
	} `json:"changes"`
	Next uint64 `json:"next"`
}

func TestServer_Watch(t *testing.T) {
	t.Parallel()
	e := newTestEnvWith(t, envOptions{readRule: hideMarchesFrom("remi")})
	e.save("usages/cahier", "# Cahier\n\nUn.\n", 0, http.StatusCreated)
	e.save("club/reunion", "# Réunion\n\nUn.\n", 0, http.StatusCreated)
	e.save("marches/appel", "# Appel\n\nUn.\n", 0, http.StatusCreated)
	t.Run("watch a page and a namespace", func(t *testing.T) {
		got := decode[watchJSON](t, e.do("PUT", "/api/watch/usages/cahier", e.reader, nil))
		if got != (watchJSON{Path: "usages/cahier", Kind: "page", Watching: true}) {
			t.Fatalf("PUT page = %+v", got)
		}
		got = decode[watchJSON](t, e.do("PUT", "/api/watch/Club", e.reader, nil))
		if got != (watchJSON{Path: "club", Kind: "namespace", Watching: true}) {
			t.Fatalf("PUT namespace = %+v", got)
		}
	})
	e.save("usages/cahier", "# Cahier\n\nDeux.\n", 1, http.StatusOK)
	e.save("club/reunion", "# Réunion\n\nDeux.\n", 1, http.StatusOK)
	e.save("marches/appel", "# Appel\n\nDeux.\n", 1, http.StatusOK)
	t.Run("the watchlist, newest first, unseen", func(t *testing.T) {
		wantStatusCode(t, e.do("GET", "/api/pages/club/reunion?seen=1", e.reader, nil), http.StatusOK)
		wl := decode[watchlistT](t, e.do("GET", "/api/watchlist", e.reader, nil))
		if len(wl.Items) != 2 || wl.Items[0].Kind != "namespace" || wl.Items[0].Path != "club" || wl.Items[1].Title != "Cahier" {
			t.Fatalf("items = %+v", wl.Items)
		}
		if len(wl.Changes) != 4 {
			t.Fatalf("changes = %+v", wl.Changes)
		}
		c := wl.Changes[0]
		if c.Path != "club/reunion" || c.Rev != 2 || c.Unseen || c.Author != "edith" || c.Title != "Réunion" || c.Kind != "edit" || c.Seq == 0 || c.Time == "" {
			t.Fatalf("first change = %+v", c)
		}
		if c := wl.Changes[1]; c.Path != "usages/cahier" || c.Rev != 2 || !c.Unseen {
			t.Fatalf("second change = %+v", c)
		}
		for i := 1; i < len(wl.Changes); i++ {
			if wl.Changes[i].Seq >= wl.Changes[i-1].Seq {
				t.Fatal("changes not newest first")
			}
		}
	})
	t.Run("paging", func(t *testing.T) {
		wl := decode[watchlistT](t, e.do("GET", "/api/watchlist?limit=1", e.reader, nil))
		if len(wl.Changes) != 1 || wl.Next == 0 {
			t.Fatalf("first part = %+v", wl)
		}
		more := decode[watchlistT](t, e.do("GET", "/api/watchlist?limit=1&before="+strconv.FormatUint(wl.Next, 10), e.reader, nil))
		if len(more.Changes) != 1 || more.Changes[0].Seq >= wl.Changes[0].Seq {
			t.Fatalf("second part = %+v", more)
		}
	})
	t.Run("unwatch", func(t *testing.T) {
		got := decode[watchJSON](t, e.do("DELETE", "/api/watch/club", e.reader, nil))
		if got.Watching {
			t.Fatalf("DELETE = %+v", got)
		}
		wl := decode[watchlistT](t, e.do("GET", "/api/watchlist", e.reader, nil))
		if len(wl.Items) != 1 || len(wl.Changes) != 2 {
			t.Fatalf("after DELETE: %+v", wl)
		}
	})
	t.Run("errors", func(t *testing.T) {
		wantError(t, e.do("PUT", "/api/watch/marches/appel", e.reader, nil), http.StatusNotFound, "not_found")
		wantError(t, e.do("PUT", "/api/watch/marches", e.reader, nil), http.StatusNotFound, "not_found")
		wantError(t, e.do("PUT", "/api/watch/inconnu", e.reader, nil), http.StatusNotFound, "not_found")
		wantError(t, e.do("GET", "/api/watchlist?before=x", e.reader, nil), http.StatusBadRequest, "bad_request")
		wantError(t, e.do("GET", "/api/watchlist", "", nil), http.StatusUnauthorized, "unauthenticated")
	})
	t.Run("the editor's own edits are watched", func(t *testing.T) {
		wl := decode[watchlistT](t, e.do("GET", "/api/watchlist", e.editor, nil))
		if len(wl.Items) != 3 {
			t.Fatalf("edith's items = %+v", wl.Items)
		}
	})
}
