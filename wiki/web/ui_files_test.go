package web

import (
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/kdecole-club/clubwiki/testdata/docs"
)

func TestUI_PageFiles(t *testing.T) {
	t.Parallel()
	e, _ := newUIEnv(t)
	e.save("usages/photos", "# Photos\n\n![](capture.png)\n", 0, http.StatusCreated)
	for range 3 {
		wantStatusCode(t, e.do("PUT", "/api/files/usages/photos/capture.png", e.editor, docs.PNG(8, 8)), http.StatusCreated)
	}
	wantStatusCode(t, e.do("PUT", "/api/files/usages/photos/Compte%20rendu.pdf", e.editor, docs.PDF("x")), http.StatusCreated)
	t.Run("the list with revisions", func(t *testing.T) {
		doc := page(t, e.signIn("remi").get("/wiki/usages/photos"), http.StatusOK)
		rows := doc.Find("#attachments tbody tr")
		if rows.Length() != 2 {
			t.Fatalf("%d rows", rows.Length())
		}
		if href, _ := rows.Eq(1).Find("a").First().Attr("href"); href != "/files/usages/photos/capture.png" {
			t.Errorf("href = %q", href)
		}
		if href, _ := rows.Eq(0).Find("a").First().Attr("href"); href != "/files/usages/photos/Compte%20rendu.pdf" {
			t.Errorf("href = %q", href)
		}
		var older []string
		rows.Eq(1).Find("td:nth-child(3) a").Each(func(_ int, s *goquery.Selection) { h, _ := s.Attr("href"); older = append(older, h) })
		if strings.Join(older, " ") != "/files/usages/photos/capture.png?rev=2 /files/usages/photos/capture.png?rev=1" {
			t.Errorf("older revisions = %v", older)
		}
		if src, _ := doc.Find(".content img").Attr("src"); src != "/files/usages/photos/capture.png" {
			t.Errorf("img src = %q", src)
		}
	})
	t.Run("the cached page follows uploads and deletions", func(t *testing.T) {
		b := e.signIn("edith")
		count := func() int {
			return page(t, b.get("/wiki/usages/photos"), http.StatusOK).Find("#attachments tbody tr").Length()
		}
		before := count()
		wantStatusCode(t, e.do("PUT", "/api/files/usages/photos/plan.pdf", e.editor, docs.PDF("plan")), http.StatusCreated)
		if n := count(); n != before+1 {
			t.Errorf("after an upload: %d rows, want %d", n, before+1)
		}
		wantStatusCode(t, e.do("DELETE", "/api/files/usages/photos/plan.pdf", e.editor, nil), http.StatusOK)
		if n := count(); n != before {
			t.Errorf("after a deletion: %d rows, want %d", n, before)
		}
	})
	t.Run("a reader gets no upload", func(t *testing.T) {
		doc := page(t, e.signIn("remi").get("/wiki/usages/photos"), http.StatusOK)
		if _, ok := doc.Find("#attachments").Attr("data-upload"); ok || doc.Find("#file-input").Length() != 0 {
			t.Error("a reader is offered uploads")
		}
	})
	t.Run("an editor gets the upload", func(t *testing.T) {
		doc := page(t, e.signIn("edith").get("/wiki/usages/photos"), http.StatusOK)
		if up, _ := doc.Find("#attachments").Attr("data-upload"); up != "/api/files/usages/photos" || doc.Find("#file-input").Length() != 1 {
			t.Errorf("upload = %q", up)
		}
		doc = page(t, e.signIn("edith").get("/edit/usages/photos"), http.StatusOK)
		if up, _ := doc.Find("#editor-files").Attr("data-upload"); up != "/api/files/usages/photos" {
			t.Errorf("editor upload = %q", up)
		}
	})
}
