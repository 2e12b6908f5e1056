package web

import (
	"context"
	"encoding/xml"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/kdecole-club/clubwiki/wiki"
)

// feedEnv is a wiki with a page edited twice by a member with a display
// name, and a page in another namespace.
func feedEnv(t *testing.T, o envOptions) (*testEnv, string) {
	t.Helper()
	e := newTestEnvWith(t, o)
	ctx := context.Background()
	if _, err := e.svc.CreateUser(ctx, wiki.NewUser{Login: "amelie", Name: "Amélie Poulain", Role: wiki.RoleEditor, Password: "mot-de-passe-solide"}); err != nil {
		t.Fatal(err)
	}
	amelie, _, err := e.svc.CreateToken(ctx, wiki.System(), "amelie", "tests")
	if err != nil {
		t.Fatal(err)
	}
	put := func(path, md string, base int, summary string) {
		t.Helper()
		rec := e.do("PUT", "/api/pages/"+path, amelie, map[string]any{"markdown": md, "base_rev": base, "summary": summary})
		if rec.Code != http.StatusOK && rec.Code != http.StatusCreated {
			t.Fatalf("save %s: %d %s", path, rec.Code, rec.Body)
		}
	}
	put("usages/cahier-de-textes", "# Cahier de textes\n\nLe cahier est saisi le jour même.\n\nDeuxième paragraphe.\n", 0, "création du cahier")
	put("usages/cahier-de-textes", "# Cahier de textes\n\nLe cahier est saisi le soir <script>alert(1)</script> & vérifié.\n\nDeuxième paragraphe.\n", 1, "précision <b>horaire</b>")
	put("assistance/connexion", "# Connexion\n\nProblème de connexion à l'ENT.\n", 0, "")
	return e, amelie
}

// getFeed asks for a feed with the token (none: no header) and parses it.
func getFeed(t *testing.T, e *testEnv, target, token string) (*gofeed.Feed, *httptest.ResponseRecorder) {
	t.Helper()
	rec := e.do("GET", target, token, nil)
	wantStatusCode(t, rec, http.StatusOK)
	if ct := rec.Header().Get("Content-Type"); ct != "application/atom+xml; charset=utf-8" {
		t.Fatalf("Content-Type = %q", ct)
	}
	checkAtom(t, rec.Body.String())
	f, err := gofeed.NewParser().ParseString(rec.Body.String())
	if err != nil {
		t.Fatalf("gofeed: %v\n%s", err, rec.Body)
	}
	if f.FeedType != "atom" || f.FeedVersion != "1.0" {
		t.Fatalf("feed type %s %s", f.FeedType, f.FeedVersion)
	}
	return f, rec
}

// checkAtom checks what RFC 4287 requires of a feed and its entries.
func checkAtom(t *testing.T, body string) {
	t.Helper()
	var doc struct {
		XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
		ID      string   `xml:"id"`
		Title   string   `xml:"title"`
		Updated string   `xml:"updated"`
		Authors []string `xml:"author>name"`
		Links   []struct {
			Rel  string `xml:"rel,attr"`
			Href string `xml:"href,attr"`
		} `xml:"link"`
		Entries []struct {
			ID      string   `xml:"id"`
			Title   string   `xml:"title"`
			Updated string   `xml:"updated"`
			Authors []string `xml:"author>name"`
			Links   []struct {
				Rel  string `xml:"rel,attr"`
				Href string `xml:"href,attr"`
			} `xml:"link"`
			Content struct {
				Type string `xml:"type,attr"`
			} `xml:"content"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal([]byte(body), &doc); err != nil {
		t.Fatalf("not Atom XML: %v\n%s", err, body)
	}
	absolute := func(what, iri string) {
		if !strings.HasPrefix(iri, "tag:") && !strings.HasPrefix(iri, "http://") && !strings.HasPrefix(iri, "https://") {
			t.Errorf("%s %q is not an absolute IRI", what, iri)
		}
	}
	updated := func(what, v string) {
		if _, err := time.Parse(time.RFC3339, v); err != nil {
			t.Errorf("%s updated %q: %v", what, v, err)
		}
	}
	absolute("feed id", doc.ID)
	updated("feed", doc.Updated)
	if doc.Title == "" || len(doc.Authors) != 1 || doc.Authors[0] == "" {
		t.Errorf("feed title %q authors %q", doc.Title, doc.Authors)
	}
	ids := map[string]bool{}
	for _, e := range doc.Entries {
		absolute("entry id", e.ID)
		updated("entry "+e.ID, e.Updated)
		if ids[e.ID] {
			t.Errorf("entry id %s twice", e.ID)
		}
		ids[e.ID] = true
		if e.Title == "" || len(e.Authors) != 1 || e.Authors[0] == "" || e.Content.Type != "html" {
			t.Errorf("entry %s: title %q authors %q content type %q", e.ID, e.Title, e.Authors, e.Content.Type)
		}
		if len(e.Links) != 1 || e.Links[0].Rel != "alternate" {
			t.Errorf("entry %s links %+v", e.ID, e.Links)
		}
		absolute("entry link", e.Links[0].Href)
	}
}

func TestFeeds_Changes(t *testing.T) {
	t.Parallel()
	e, amelie := feedEnv(t, envOptions{})
	f, _ := getFeed(t, e, "/feeds/changes.atom", amelie)
	if len(f.Items) < 3 {
		t.Fatalf("%d entries", len(f.Items))
	}
	t.Run("newest first, with title, author, summary and link", func(t *testing.T) {
		conn, edit, create := f.Items[0], f.Items[1], f.Items[2]
		if conn.Title != "Connexion" || edit.Title != "Cahier de textes" || create.Title != "Cahier de textes" {
			t.Fatalf("titles %q %q %q", conn.Title, edit.Title, create.Title)
		}
		if len(edit.Authors) != 1 || edit.Authors[0].Name != "Amélie Poulain" {
			t.Errorf("author %+v", edit.Authors)
		}
		if edit.Description != "précision <b>horaire</b>" || conn.Description != "création" {
			t.Errorf("summaries %q, %q", edit.Description, conn.Description)
		}
		if edit.Link != "http://example.com/diff/usages/cahier-de-textes?from=1&to=2" {
			t.Errorf("link %q", edit.Link)
		}
		if edit.UpdatedParsed == nil || time.Since(*edit.UpdatedParsed) > time.Hour {
			t.Errorf("updated %v", edit.UpdatedParsed)
		}
	})
	t.Run("content is the diff, escaped", func(t *testing.T) {
		c := f.Items[1].Content
		for _, want := range []string{
			`<p class="changed">Le cahier est saisi le <del>jour même</del><ins>soir &lt;script&gt;alert(1)&lt;/script&gt; &amp; vérifié</ins>.</p>`,
			`<p class="same">… 2 lignes inchangées …</p>`,
		} {
			if !strings.Contains(c, want) {
				t.Errorf("content lacks %q:\n%s", want, c)
			}
		}
		if strings.Contains(c, "<script>") {
			t.Errorf("content holds a script element:\n%s", c)
		}
		if !strings.Contains(f.Items[2].Content, "<ins># Cahier de textes<br>\n<br>\nLe cahier est saisi le jour même.<br>") {
			t.Errorf("a creation shows the whole text added:\n%s", f.Items[2].Content)
		}
	})
	t.Run("one namespace", func(t *testing.T) {
		g, _ := getFeed(t, e, "/feeds/changes.atom?ns=Assistance", amelie)
		for _, it := range g.Items {
			if !strings.Contains(it.Link, "/diff/assistance/") {
				t.Errorf("entry of another namespace: %s", it.Link)
			}
		}
		if len(g.Items) == 0 || !strings.HasSuffix(g.FeedLink, "/feeds/changes.atom?ns=assistance") {
			t.Errorf("%d entries, self %q", len(g.Items), g.FeedLink)
		}
	})
	t.Run("limit", func(t *testing.T) {
		g, _ := getFeed(t, e, "/feeds/changes.atom?limit=2", amelie)
		if len(g.Items) != 2 || g.Items[0].GUID != f.Items[0].GUID {
			t.Errorf("%d entries", len(g.Items))
		}
	})
	t.Run("page history, same entry IDs", func(t *testing.T) {
		h, _ := getFeed(t, e, "/feeds/history/Usages/Cahier%20de%20textes", amelie)
		if len(h.Items) != 2 || h.Items[0].GUID != f.Items[1].GUID || h.Items[1].GUID != f.Items[2].GUID {
			t.Fatalf("history entries %d; ids %v vs %s %s", len(h.Items), ids(h), f.Items[1].GUID, f.Items[2].GUID)
		}
		if h.Items[0].Content != f.Items[1].Content || !strings.Contains(h.Title, "Cahier de textes") {
			t.Errorf("history %q: content differs from the changes feed's", h.Title)
		}
	})
	t.Run("English for an English reader", func(t *testing.T) {
		req := httptest.NewRequest("GET", "/feeds/changes.atom", nil)
		req.Header.Set("Authorization", "Bearer "+amelie)
		req.Header.Set("Accept-Language", "en-GB,en;q=0.8")
		rec := serve(e.srv, req)
		if !strings.Contains(rec.Body.String(), "Recent changes") {
			t.Errorf("not English: %s", clip(rec.Body.String()))
		}
	})
}

func ids(f *gofeed.Feed) []string {
	var out []string
	for _, it := range f.Items {
		out = append(out, it.GUID)
	}
	return out
}

// stuckDiffer never finishes a diff before its context ends.
type stuckDiffer struct{ wiki.Differ }

func (stuckDiffer) Diff(ctx context.Context, a, b string) (wiki.Diff, error) {
	<-ctx.Done()
	return wiki.Diff{}, ctx.Err()
}

func (stuckDiffer) Words(ctx context.Context, a, b string) (wiki.WordDiff, error) {
	<-ctx.Done()
	return wiki.WordDiff{}, ctx.Err()
}

// TestFeeds_Busy: a feed whose diffs ran out of time is answered, with a
// link in place of each diff, and without validators: it is not the feed
// its tag names, and the next read computes it again.
func TestFeeds_Busy(t *testing.T) {
	t.Parallel() // its own server: it overlaps the package's other long tests
	var stuck atomic.Bool
	// A stuck diff holds the feed for the whole feed time: a short one
	// (the default is seconds), still ample for the real diffs after.
	e, amelie := feedEnv(t, envOptions{feedTime: 500 * time.Millisecond, wrapDiffer: func(d wiki.Differ) wiki.Differ {
		return switchDiffer{d, &stuck}
	}})
	stuck.Store(true)
	f, rec := getFeed(t, e, "/feeds/changes.atom?limit=2", amelie)
	if rec.Header().Get("ETag") != "" || rec.Header().Get("Last-Modified") != "" || rec.Header().Get("Cache-Control") != "no-store" {
		t.Errorf("validators on an incomplete feed: %v", rec.Header())
	}
	for _, it := range f.Items {
		if strings.Contains(it.Content, "<del") || strings.Contains(it.Content, "<ins") || !strings.Contains(it.Content, "diff non calculé (wiki occupé), voir le lien</a>") {
			t.Errorf("busy entry: %s", it.Content)
		}
	}
	stuck.Store(false)
	_, rec = getFeed(t, e, "/feeds/changes.atom?limit=2", amelie)
	if rec.Header().Get("ETag") == "" {
		t.Errorf("no ETag once the diffs are back")
	}
}

// switchDiffer is stuck while stuck is set, else diffs with Differ.
type switchDiffer struct {
	wiki.Differ
	stuck *atomic.Bool
}

func (s switchDiffer) Diff(ctx context.Context, a, b string) (wiki.Diff, error) {
	if s.stuck.Load() {
		return stuckDiffer{}.Diff(ctx, a, b)
	}
	return s.Differ.Diff(ctx, a, b)
}

func (s switchDiffer) Words(ctx context.Context, a, b string) (wiki.WordDiff, error) {
	if s.stuck.Load() {
		return stuckDiffer{}.Words(ctx, a, b)
	}
	return s.Differ.Words(ctx, a, b)
}
