package web

import (
	"context"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kdecole-club/clubwiki/search"
)

// searchT is a search answer as the tests read it.
type searchT struct {
	Total   int  `json:"total"`
	Partial bool `json:"partial"`
	Hits    []struct {
		Path      string  `json:"path"`
		Title     string  `json:"title"`
		Namespace string  `json:"namespace"`
		Score     float64 `json:"score"`
		Updated   string  `json:"updated"`
		Snippet   string  `json:"snippet"`
	} `json:"hits"`
	Facets map[string][]struct {
		Value string `json:"value"`
		Count int    `json:"count"`
	} `json:"facets"`
}

// withSearch gives the env's service a real index, in step after sync.
func withSearch(t *testing.T, e *testEnv) (sync func()) {
	t.Helper()
	idx, _, err := search.Open(filepath.Join(t.TempDir(), "index"))
	if err != nil {
		t.Fatalf("search.Open: %v", err)
	}
	t.Cleanup(func() { _ = idx.Close() })
	e.svc.SetSearch(idx)
	f := &search.Follower{Index: idx, Source: e.store, Renderer: sharedRenderer()}
	return func() {
		t.Helper()
		ctx := context.Background()
		if idx.NeedsRebuild() {
			if _, err := f.Rebuild(ctx); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := f.CatchUp(ctx); err != nil {
			t.Fatal(err)
		}
	}
}

func TestServer_Search(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	sync := withSearch(t, e)
	for i, title := range []string{"Accès famille", "Accès élèves", "Messagerie"} {
		e.save("assistance/page-"+string(rune('a'+i)), "# "+title+"\n\nL'accès à l'ENT & 1 < 2 : e-lyco.\n", 0, http.StatusCreated)
	}
	sync()
	get := func(query string) *searchT {
		rec := e.do("GET", "/api/search?"+query, e.reader, nil)
		wantStatusCode(t, rec, http.StatusOK)
		v := decode[searchT](t, rec)
		return &v
	}
	t.Run("answer shape", func(t *testing.T) {
		res := get("q=acces")
		if res.Total != 3 || len(res.Hits) != 3 || res.Hits[0].Namespace != "assistance" || res.Hits[0].Updated == "" {
			t.Fatalf("answer = %+v", res)
		}
		for _, f := range []string{"namespace", "type", "status", "projects", "tags"} {
			if _, ok := res.Facets[f]; !ok {
				t.Errorf("facet %s missing", f)
			}
		}
	})
	t.Run("snippet escaped and marked", func(t *testing.T) {
		res := get("q=elyco")
		want := "L&#39;accès à l&#39;ENT &amp; 1 &lt; 2 : <mark>e-lyco</mark>."
		if len(res.Hits) == 0 || !strings.Contains(res.Hits[0].Snippet, want) {
			t.Errorf("snippet = %+v, want %q", res.Hits, want)
		}
	})
	t.Run("bad query is words", func(t *testing.T) {
		for _, q := range []string{`"acces`, `ns:`, `depuis:hier`, `-`, `((acces`, "\xff", `type:"`} {
			rec := e.do("GET", "/api/search?q="+url.QueryEscape(q), e.reader, nil)
			wantStatusCode(t, rec, http.StatusOK)
		}
	})
	t.Run("limit and offset", func(t *testing.T) {
		if res := get("q=acces&limit=1"); len(res.Hits) != 1 || res.Total != 3 {
			t.Errorf("limit=1: %d hits, total %d", len(res.Hits), res.Total)
		}
		if res := get("q=acces&limit=100000"); len(res.Hits) != 3 {
			t.Errorf("big limit: %d hits", len(res.Hits))
		}
		if res := get("q=acces&offset=2"); len(res.Hits) != 1 {
			t.Errorf("offset=2: %d hits", len(res.Hits))
		}
		wantError(t, e.do("GET", "/api/search?q=a&limit=-1", e.reader, nil), http.StatusBadRequest, "bad_request")
		wantError(t, e.do("GET", "/api/search?q=a&sort=title", e.reader, nil), http.StatusBadRequest, "bad_request")
	})
	t.Run("sort by date", func(t *testing.T) {
		res := get("q=acces&sort=date")
		for i := 1; i < len(res.Hits); i++ {
			if res.Hits[i].Updated > res.Hits[i-1].Updated {
				t.Errorf("not newest first: %v", res.Hits)
			}
		}
	})
	t.Run("ns parameter", func(t *testing.T) {
		if res := get("q=acces&ns=usages"); res.Total != 0 {
			t.Errorf("ns=usages: total %d", res.Total)
		}
		in := get("q=acces&ns=assistance")
		if in.Total == 0 {
			t.Error("ns=assistance found nothing")
		}
		for _, h := range in.Hits {
			if !strings.HasPrefix(h.Path, "assistance/") {
				t.Errorf("ns=assistance found %s", h.Path)
			}
		}
		if res := get("q=acces&ns=Assistance"); res.Total != in.Total {
			t.Errorf("ns=Assistance: total %d, want %d as for ns=assistance", res.Total, in.Total)
		}
	})
	t.Run("unauthenticated", func(t *testing.T) {
		wantError(t, e.do("GET", "/api/search?q=acces", "", nil), http.StatusUnauthorized, "unauthenticated")
		wantError(t, e.do("GET", "/api/suggest?q=acc", "", nil), http.StatusUnauthorized, "unauthenticated")
	})
	t.Run("suggest", func(t *testing.T) {
		rec := e.do("GET", "/api/suggest?q=acc", e.reader, nil)
		wantStatusCode(t, rec, http.StatusOK)
		v := decode[struct {
			Pages []struct{ Path, Title string } `json:"pages"`
		}](t, rec)
		if len(v.Pages) != 2 {
			t.Errorf("suggest = %+v", v)
		}
	})
	t.Run("keys as the contract writes them", func(t *testing.T) {
		// Decoding is blind to the case of keys: read the bytes.
		body := e.do("GET", "/api/search?q=acces", e.reader, nil).Body.String()
		if !strings.Contains(body, `"namespace":[{"value":"assistance","count":3}]`) {
			t.Errorf("facet counts are not {\"value\",\"count\"}: %s", body)
		}
		body = e.do("GET", "/api/suggest?q=messagerie", e.reader, nil).Body.String()
		if want := `{"pages":[{"path":"assistance/page-c","title":"Messagerie"}]}`; strings.TrimSpace(body) != want {
			t.Errorf("suggest = %s, want %s", body, want)
		}
	})
}
