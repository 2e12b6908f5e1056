package wiki_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/kdecole-club/clubwiki/assets"
	"github.com/kdecole-club/clubwiki/wiki"
	"github.com/kdecole-club/clubwiki/wiki/textdiff"
)

func TestService_Save(t *testing.T) {
	f := newFixture(t, wiki.Config{MaxPageBytes: 4000})
	const p = "assistance/connexion"
	v1 := "# Connexion à l'ENT\n\nLes élèves ne peuvent pas se connecter.\n"
	if r := f.save(t, p, v1, 0); !r.Created || r.Rev != 1 {
		t.Fatalf("create = %+v", r)
	}
	v2 := v1 + "\nCause : le certificat a expiré.\n"
	if r := f.save(t, p, v2, 1); r.Created || r.Rev != 2 || r.Merged {
		t.Fatalf("edit = %+v", r)
	}
	t.Run("unchanged text makes no revision", func(t *testing.T) {
		if r := f.save(t, p, v2, 1); !r.Unchanged || r.Rev != 2 {
			t.Errorf("same text = %+v", r)
		}
		if r := f.save(t, p, strings.ReplaceAll(v2, "\n", "\r\n"), 2); !r.Unchanged {
			t.Errorf("CRLF text is not the same text: %+v", r)
		}
	})
	errCases := []struct {
		name  string
		actor *wiki.User
		req   wiki.SaveRequest
		code  wiki.Code
	}{
		{"anonymous", nil, wiki.SaveRequest{Markdown: "x", BaseRev: 2}, wiki.EUnauthenticated},
		{"reader", f.reader, wiki.SaveRequest{Markdown: "x", BaseRev: 2}, wiki.EForbidden},
		{"base newer than head", f.editor, wiki.SaveRequest{Markdown: "x", BaseRev: 9}, wiki.EInvalid},
		{"negative base", f.editor, wiki.SaveRequest{Markdown: "x", BaseRev: -1}, wiki.EInvalid},
		{"invalid UTF-8", f.editor, wiki.SaveRequest{Markdown: "caf\xe9", BaseRev: 2}, wiki.EInvalid},
		{"NUL byte", f.editor, wiki.SaveRequest{Markdown: "texte\x00binaire", BaseRev: 2}, wiki.EInvalid},
		{"control character", f.editor, wiki.SaveRequest{Markdown: "texte\x1bbinaire", BaseRev: 2}, wiki.EInvalid},
		{"too large", f.editor, wiki.SaveRequest{Markdown: strings.Repeat("é", 2001), BaseRev: 2}, wiki.ETooLarge},
		{"bad front matter", f.editor, wiki.SaveRequest{Markdown: "---\ntitle: [oups\n---\ntexte\n", BaseRev: 2}, wiki.EInvalid},
		{"base 0 on a live page", f.editor, wiki.SaveRequest{Markdown: "autre", BaseRev: 0}, wiki.EConflict},
	}
	for _, c := range errCases {
		t.Run(c.name, func(t *testing.T) {
			c.req.Path = wiki.MustPath(p)
			_, err := f.svc.Save(f.ctx, c.actor, c.req)
			if wiki.ErrorCode(err) != c.code {
				t.Fatalf("err = %v, want code %s", err, c.code)
			}
			if h, _ := f.svc.History(f.ctx, f.editor, wiki.MustPath(p), 10, 0); len(h) != 2 {
				t.Errorf("a refused save left %d revisions, want 2", len(h))
			}
		})
	}
}

func TestService_SaveConcurrentEdits(t *testing.T) {
	f := newFixture(t, wiki.Config{})
	const p = "usages/cahier-de-textes"
	base := "# Cahier de textes\n\n## Collège\n\nÀ compléter.\n\nfin collège\n\n## Lycée\n\nÀ compléter.\n\nfin lycée\n"
	f.save(t, p, base, 0)
	mine := strings.Replace(base, "À compléter.\n\nfin collège", "Saisie le jour même.\n\nfin collège", 1)
	theirs := strings.Replace(base, "À compléter.\n\nfin lycée", "Saisie hebdomadaire.\n\nfin lycée", 1)
	f.save(t, p, theirs, 1)

	t.Run("disjoint edits merge", func(t *testing.T) {
		res, err := f.svc.Save(f.ctx, f.editor, wiki.SaveRequest{Path: wiki.MustPath(p), Markdown: mine, BaseRev: 1})
		if err != nil || !res.Merged || res.Rev != 3 {
			t.Fatalf("Save = %+v, %v", res, err)
		}
		got := f.text(t, p, 0)
		if !strings.Contains(got, "Saisie le jour même.") || !strings.Contains(got, "Saisie hebdomadaire.") {
			t.Errorf("merged text lost an edit:\n%s", got)
		}
	})
	t.Run("overlapping edits conflict and save nothing", func(t *testing.T) {
		clash := strings.Replace(base, "## Collège\n\nÀ compléter.", "## Collège\n\nNe rien saisir.", 1)
		_, err := f.svc.Save(f.ctx, f.editor, wiki.SaveRequest{Path: wiki.MustPath(p), Markdown: clash, BaseRev: 1})
		var ce *wiki.ConflictError
		if !errors.As(err, &ce) || wiki.ErrorCode(err) != wiki.EConflict {
			t.Fatalf("err = %v, want a conflict", err)
		}
		if ce.HeadRev != 3 || !strings.Contains(ce.ConflictMarkdown, "<<<<<<< yours\nNe rien saisir.\n=======\nSaisie le jour même.\n>>>>>>> revision 3\n") {
			t.Errorf("conflict = head %d\n%s", ce.HeadRev, ce.ConflictMarkdown)
		}
		if h, _ := f.svc.History(f.ctx, f.editor, wiki.MustPath(p), 10, 0); len(h) != 3 {
			t.Errorf("%d revisions after a conflict, want 3", len(h))
		}
	})
	t.Run("parallel savers lose nothing", func(t *testing.T) {
		const q = "usages/parallele"
		var sb strings.Builder
		for i := range 8 {
			fmt.Fprintf(&sb, "## Section %d\n\nvide\n\n", i)
		}
		f.save(t, q, sb.String(), 0)
		var wg sync.WaitGroup
		errs := make(chan error, 8)
		for i := range 8 {
			wg.Go(func() {
				md := strings.Replace(sb.String(), fmt.Sprintf("## Section %d\n\nvide", i), fmt.Sprintf("## Section %d\n\nrempli par %d", i, i), 1)
				_, err := f.svc.Save(f.ctx, f.editor, wiki.SaveRequest{Path: wiki.MustPath(q), Markdown: md, BaseRev: 1})
				errs <- err
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		got := f.text(t, q, 0)
		for i := range 8 {
			if !strings.Contains(got, fmt.Sprintf("rempli par %d", i)) {
				t.Errorf("edit %d lost:\n%s", i, got)
			}
		}
	})
}

func TestService_MissingLinks(t *testing.T) {
	f := newFixture(t, wiki.Config{})
	f.save(t, "assistance/a", "Voir [[Page B]] et [[usages/accueil]].\n", 0)
	html := func() string {
		pv, err := f.svc.Page(f.ctx, f.reader, wiki.MustPath("assistance/a"), 0)
		if err != nil {
			t.Fatal(err)
		}
		return pv.HTML
	}
	if h := html(); strings.Count(h, "missing") != 1 || !strings.Contains(h, `href="/wiki/assistance/page-b"`) {
		t.Fatalf("before creating B:\n%s", h)
	}
	f.save(t, "assistance/page-b", "Je suis B.\n", 0)
	if h := html(); strings.Contains(h, "missing") {
		t.Errorf("after creating B, the link is still missing (stale cache):\n%s", h)
	}
	bl, err := f.svc.Backlinks(f.ctx, f.reader, wiki.MustPath("assistance/page-b"))
	if err != nil || len(bl) != 1 || bl[0].Path.String() != "assistance/a" {
		t.Errorf("backlinks = %+v, %v", bl, err)
	}
	if _, err := f.svc.Delete(f.ctx, f.editor, wiki.MustPath("assistance/page-b"), ""); err != nil {
		t.Fatal(err)
	}
	if h := html(); strings.Count(h, "missing") != 1 {
		t.Errorf("after deleting B, the link is not missing:\n%s", h)
	}
}

// A client keeps ETags across server restarts: a new Service over the same
// store must not hand out the tag an earlier one gave for other HTML (here,
// a link that was missing and no longer is).
func TestService_PageETagAcrossRestarts(t *testing.T) {
	f := newFixture(t, wiki.Config{})
	f.save(t, "usages/a", "Voir [[usages/b]].", 0)
	start := func() *wiki.Service {
		svc := wiki.NewService(f.db, fixtureRenderer(), textdiff.New(), wiki.Config{Seed: assets.Seed()})
		if err := svc.Init(f.ctx); err != nil {
			t.Fatal(err)
		}
		return svc
	}
	first := start()
	before, err := first.Page(f.ctx, f.editor, wiki.MustPath("usages/a"), 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := first.Save(f.ctx, f.editor, wiki.SaveRequest{Path: wiki.MustPath("usages/b"), Markdown: "B"}); err != nil {
		t.Fatal(err)
	}
	after, err := start().Page(f.ctx, f.editor, wiki.MustPath("usages/a"), 0)
	if err != nil {
		t.Fatal(err)
	}
	if after.HTML == before.HTML {
		t.Fatalf("the link should no longer be missing: %s", after.HTML)
	}
	if after.ETag == before.ETag {
		t.Errorf("same ETag %s for different HTML after a restart", after.ETag)
	}
}

// Page serves repeated reads from the render cache; what it serves must
// still say where the page's head is now, and the caller's copy is its own.
func TestService_PageCached(t *testing.T) {
	f := newFixture(t, wiki.Config{})
	const p = "usages/cache"
	f.save(t, p, "---\ntitle: Un\n---\nVersion un.\n", 0)
	first, err := f.svc.Page(f.ctx, f.reader, wiki.MustPath(p), 1)
	if err != nil || first.HeadRev != 1 {
		t.Fatalf("Page(1) = %+v, %v", first, err)
	}
	first.Title, first.HeadRev = "changé par l'appelant", 99
	f.save(t, p, "---\ntitle: Deux\n---\nVersion deux.\n", 1) // an edit: the cache generation stays
	old, err := f.svc.Page(f.ctx, f.reader, wiki.MustPath(p), 1)
	if err != nil || old.Rev != 1 || old.HeadRev != 2 || old.Title != "Un" || old.Markdown != "---\ntitle: Un\n---\nVersion un.\n" {
		t.Errorf("cached Page(1) = rev %d head %d title %q, %v; want rev 1 head 2 title Un", old.Rev, old.HeadRev, old.Title, err)
	}
	head, err := f.svc.Page(f.ctx, f.reader, wiki.MustPath(p), 0)
	if err != nil || head.Rev != 2 || head.HeadRev != 2 || head.Title != "Deux" || head.Meta["title"] != "Deux" {
		t.Errorf("Page(head) after the save = rev %d head %d title %q meta %v, %v", head.Rev, head.HeadRev, head.Title, head.Meta, err)
	}
}

// Save's less common outcomes: an edit that began before a deletion, a merge
// that brings nothing new, a merge too large to keep.
func TestService_SaveEdgeCases(t *testing.T) {
	f := newFixture(t, wiki.Config{MaxPageBytes: 4000})
	t.Run("recreating from before the deletion conflicts", func(t *testing.T) {
		const p = "services/ancien"
		f.save(t, p, "Version un.\n", 0)
		f.save(t, p, "Version deux.\n", 1)
		if _, err := f.svc.Delete(f.ctx, f.editor, wiki.MustPath(p), ""); err != nil {
			t.Fatal(err)
		}
		_, err := f.svc.Save(f.ctx, f.editor, wiki.SaveRequest{Path: wiki.MustPath(p), Markdown: "Ma version.\n", BaseRev: 1})
		var ce *wiki.ConflictError
		if !errors.As(err, &ce) || ce.HeadRev != 3 || !strings.Contains(ce.ConflictMarkdown, "<<<<<<< yours\nMa version.\n=======\n>>>>>>> revision 3\n") {
			t.Fatalf("Save(base 1) on a page deleted at 3 = %v, %+v", err, ce)
		}
		if r := f.save(t, p, "Ma version.\n", 3); !r.Created || r.Rev != 4 {
			t.Errorf("recreate from the deletion = %+v", r)
		}
	})
	base := "# Titre\n\nun\n\ndeux\n\ntrois\n\nquatre\n\ncinq\n\nsix\n"
	t.Run("a merge equal to the head makes no revision", func(t *testing.T) {
		const p = "services/fusion"
		f.save(t, p, base, 0)
		mine := strings.Replace(base, "un\n", "UN\n", 1)
		f.save(t, p, strings.Replace(mine, "six\n", "SIX\n", 1), 1) // the head has my edit and another
		res, err := f.svc.Save(f.ctx, f.editor, wiki.SaveRequest{Path: wiki.MustPath(p), Markdown: mine, BaseRev: 1})
		if err != nil || !res.Unchanged || !res.Merged || res.Rev != 2 {
			t.Fatalf("Save = %+v, %v; want unchanged at revision 2", res, err)
		}
		if h, _ := f.svc.History(f.ctx, f.editor, wiki.MustPath(p), 10, 0); len(h) != 2 {
			t.Errorf("%d revisions, want 2", len(h))
		}
	})
	t.Run("a merge over the size limit is refused", func(t *testing.T) {
		const p = "services/gros"
		f.save(t, p, base, 0)
		long := strings.Repeat("x", 2500)
		f.save(t, p, strings.Replace(base, "un\n", long+"\n", 1), 1)
		_, err := f.svc.Save(f.ctx, f.editor, wiki.SaveRequest{Path: wiki.MustPath(p), Markdown: strings.Replace(base, "six\n", long+"\n", 1), BaseRev: 1})
		if wiki.ErrorCode(err) != wiki.ETooLarge {
			t.Fatalf("merge of two 2500-byte additions under a 4000-byte limit: %v, want too large", err)
		}
	})
}

// countingRenderer counts renderings, to tell a cached answer from a fresh one.
type countingRenderer struct {
	wiki.Renderer
	n atomic.Int32
}

func (r *countingRenderer) Render(ctx context.Context, src []byte, opt wiki.RenderOptions) (*wiki.Rendered, error) {
	r.n.Add(1)
	return r.Renderer.Render(ctx, src, opt)
}

// Save keeps what it rendered for the page read that follows it (the
// editor's redirect), unless that rendering is already out of date.
func TestService_PageAfterSave(t *testing.T) {
	f := newFixture(t, wiki.Config{})
	r := &countingRenderer{Renderer: fixtureRenderer()}
	svc := wiki.NewService(f.db, r, textdiff.New(), wiki.Config{})
	if err := svc.Init(f.ctx); err != nil {
		t.Fatal(err)
	}
	read := func(p string) *wiki.PageView {
		t.Helper()
		pv, err := svc.Page(f.ctx, f.reader, wiki.MustPath(p), 0)
		if err != nil {
			t.Fatal(err)
		}
		return pv
	}
	save := func(p, md string, base int) {
		t.Helper()
		if _, err := svc.Save(f.ctx, f.editor, wiki.SaveRequest{Path: wiki.MustPath(p), Markdown: md, BaseRev: base}); err != nil {
			t.Fatal(err)
		}
	}
	t.Run("a created page is read without rendering again", func(t *testing.T) {
		save("usages/neuve", "Voir [[usages/ailleurs]].\n", 0)
		before := r.n.Load()
		if pv := read("usages/neuve"); pv.Rev != 1 || !strings.Contains(pv.HTML, "missing") {
			t.Errorf("Page = rev %d %s", pv.Rev, pv.HTML)
		}
		if n := r.n.Load() - before; n != 0 {
			t.Errorf("Page after Save rendered %d times, want 0", n)
		}
	})
	t.Run("an edit is read without rendering again", func(t *testing.T) {
		save("usages/neuve", "Voir [[usages/ailleurs]] encore.\n", 1)
		before := r.n.Load()
		if pv := read("usages/neuve"); pv.Rev != 2 || !strings.Contains(pv.HTML, "encore") {
			t.Errorf("Page = rev %d %s", pv.Rev, pv.HTML)
		}
		if n := r.n.Load() - before; n != 0 {
			t.Errorf("Page after Save rendered %d times, want 0", n)
		}
	})
	t.Run("a created page linking to itself is not marked missing", func(t *testing.T) {
		save("usages/soi", "Voir [[usages/soi]].\n", 0)
		if h := read("usages/soi").HTML; strings.Contains(h, "missing") {
			t.Errorf("the link to the page itself is marked missing:\n%s", h)
		}
	})
}
