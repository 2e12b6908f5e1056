package web

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/kdecole-club/clubwiki/testdata/hostile"
	"github.com/kdecole-club/clubwiki/wiki"
)

// TestUI_DiffRenderedHostile saves hostile revisions and checks that the
// rendered diff is as safe as a page view: no script, no javascript:
// link, no raw HTML, no mark rune from the page, marks around text only.
func TestUI_DiffRenderedHostile(t *testing.T) {
	t.Parallel()
	e, _ := newUIEnv(t)
	b := e.signIn("remi")
	revs := []string{
		"Texte simple ici.\n\n[lien](https://example.org/a)\n\n<script>alert(1)</script>\n\nNote[^1] ici.\n\n[^1]: pied de page.\n",
		"Texte <b>gras</b> ici " + insS + "injecté" + insE + " <img src=x onerror=alert(3)>.\n\n[lien](javascript:alert(1))\n\n<script>alert(2)</script>\n\nNote[^1] ici, modifiée.\n\n[^1]: pied de page " + delS + "changé" + delE + ".\n\n[x](https://e.org/" + insS + "a" + insE + ") et <a href=\"javascript:alert(4)\">y</a> " + insS + "\n",
	}
	e.save("usages/hostile", revs[0], 0, http.StatusCreated)
	e.save("usages/hostile", revs[1], 1, http.StatusOK)
	for _, target := range []string{"/diff/usages/hostile?from=1&to=2&view=rendu", "/diff/usages/hostile?from=0&to=2&view=rendu",
		"/diff/usages/hostile?from=1&to=2&view=mots", "/diff/usages/hostile?from=1&to=2&view=cote"} {
		rec := b.get(target)
		body := rec.Body.String()
		doc := page(t, rec, http.StatusOK)
		if n := doc.Find("main script, main img, main b, main [onerror], main a[href^='javascript']").Length(); n != 0 {
			t.Errorf("%s: %d hostile elements", target, n)
		}
		if n := doc.Find("main ins, main del, .rd-ins, .rd-del").Length(); n == 0 {
			t.Errorf("%s: no marks", target)
		}
		if !strings.Contains(target, "rendu") {
			continue // the word views show the Markdown, escaped, as text
		}
		main, _ := doc.Find("main").Html()
		for _, bad := range []string{"<script", "javascript:", "onerror", "<b>", "<img", insS, insE, delS, delE} {
			if strings.Contains(main, bad) {
				t.Errorf("%s: %q in the answer", target, bad)
			}
		}
		if strings.ContainsAny(body, insS+insE+delS+delE) {
			t.Errorf("%s: a mark rune in the answer", target)
		}
		if n := doc.Find("main ins *, main del *").Length(); n != 0 {
			t.Errorf("%s: %d elements inside marks", target, n)
		}
	}
	doc := page(t, b.get("/diff/usages/hostile?from=1&to=2&view=rendu"), http.StatusOK)
	if !strings.Contains(doc.Find(".rdiff").Text(), "alert(2)") && !strings.Contains(doc.Find(".rdiff").Text(), "pied de page") {
		t.Error("the page's text is not shown")
	}
}

// TestUI_DiffRenderedBounded diffs two revisions of a page at the size
// limit, every tenth line changed: the rendered view answers, within its
// budget, and a canceled request stops it.
//
// The wiki's size limit is a quarter of the default here, at a quarter of
// the time: the diff still has 8,000 blocks, four times the
// wiki.MaxRenderedDiffBlocks a rendered diff renders (at the default,
// 44,700), and the answer's bound is the same multiple of the limit.
func TestUI_DiffRenderedBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("a page at the size limit")
	}
	t.Parallel() // its own server: it overlaps the package's other long tests
	const maxPage = wiki.DefaultMaxPageBytes / 4
	e := newTestEnvWith(t, envOptions{maxPageBytes: maxPage, server: Options{LoginDelay: -1}})
	b := e.signIn("remi")
	// Lines of DistinctLines: the most a page may have, to 1,000 lines
	// (149,000 at the default limit). Lines are 16 bytes at most.
	n := maxPage / 16 / 1000 * 1000
	for len(hostile.DistinctLines(n+1000, 2)) <= maxPage {
		n += 1000
	}
	a, c := hostile.DistinctLines(n, 1), hostile.DistinctLines(n, 2)
	e.save("usages/grande", a, 0, http.StatusCreated)
	e.save("usages/grande", c, 1, http.StatusOK)
	start := time.Now()
	rec := b.get("/diff/usages/grande?from=1&to=2&view=rendu")
	took := time.Since(start)
	wantStatusCode(t, rec, http.StatusOK)
	t.Logf("rendered diff of a %d-byte page: %v, %d bytes of HTML", len(c), took, rec.Body.Len())
	if rec.Body.Len() > 16*maxPage { // 32 MiB at the default limit
		t.Errorf("answer of %d bytes", rec.Body.Len())
	}
	for _, view := range []string{viewWords, viewSide} {
		start := time.Now()
		rec := b.get("/diff/usages/grande?from=1&to=2&view=" + view)
		wantStatusCode(t, rec, http.StatusOK)
		t.Logf("%s view: %v, %d bytes of HTML", view, time.Since(start), rec.Body.Len())
	}
	d, err := e.svc.DiffWords(context.Background(), wiki.System(), wiki.MustPath("usages/grande"), 1, 2, true)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := e.svc.RenderDiff(ctx, wiki.System(), wiki.MustPath("usages/grande"), *d.Words); !errors.Is(err, context.Canceled) {
		t.Errorf("canceled: %v", err)
	}
	blocks, err := e.svc.RenderDiff(context.Background(), wiki.System(), wiki.MustPath("usages/grande"), *d.Words)
	if err != nil {
		t.Fatal(err)
	}
	rendered, renderedBytes, source := 0, 0, 0
	for _, bl := range blocks {
		if bl.Source {
			source++
		} else {
			rendered++
			renderedBytes += len(bl.Markdown)
		}
	}
	if len(blocks) < 2*wiki.MaxRenderedDiffBlocks {
		t.Fatalf("%d blocks: the diff does not go far past the bound", len(blocks))
	}
	if renderedBytes > wiki.MaxRenderedDiffBytes || rendered > wiki.MaxRenderedDiffBlocks || source == 0 {
		t.Errorf("%d blocks of %d bytes rendered, %d blocks as source", rendered, renderedBytes, source)
	}
}

// TestUI_DiffHiddenPage checks that every view of the diff of a page the
// reader may not read answers as for a page that never existed.
func TestUI_DiffHiddenPage(t *testing.T) {
	t.Parallel()
	e := newTestEnvWith(t, envOptions{readRule: hideMarchesFrom("ext"), server: Options{LoginDelay: -1}})
	e.save("marches/secret", "# Secret\n\nLe prix est de 100 euros.\n", 0, http.StatusCreated)
	e.save("marches/secret", "# Secret\n\nLe prix est de 200 euros.\n", 1, http.StatusOK)
	ext := e.user(context.Background(), "ext", wiki.RoleEditor)
	b := e.signIn("ext")
	for _, view := range diffViews {
		for _, p := range []string{"marches/secret", "marches/jamais"} {
			rec := b.get("/diff/" + p + "?from=1&to=2&view=" + view)
			if rec.Code != http.StatusNotFound || strings.Contains(rec.Body.String(), "euros") || strings.Contains(rec.Body.String(), "Secret") {
				t.Errorf("%s %s: %d", view, p, rec.Code)
			}
		}
	}
	for _, q := range []string{"?words=1", "?from=1&to=2&words=1", ""} {
		hidden, never := e.do("GET", "/api/diff/marches/secret"+q, ext, nil), e.do("GET", "/api/diff/marches/jamais"+q, ext, nil)
		if hidden.Code != http.StatusNotFound || strings.ReplaceAll(hidden.Body.String(), "secret", "jamais") != never.Body.String() {
			t.Errorf("API %s: %d %s; never: %s", q, hidden.Code, hidden.Body, never.Body)
		}
	}
}
