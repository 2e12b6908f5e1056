package wiki_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/kdecole-club/clubwiki/assets"
	"github.com/kdecole-club/clubwiki/render"
	"github.com/kdecole-club/clubwiki/store"
	"github.com/kdecole-club/clubwiki/wiki"
	"github.com/kdecole-club/clubwiki/wiki/textdiff"
)

// fixture is a real service over a real bbolt file.
type fixture struct {
	svc    *wiki.Service
	db     *store.DB
	editor *wiki.User
	reader *wiki.User
	ctx    context.Context
}

func newFixture(t testing.TB, cfg wiki.Config) *fixture {
	t.Helper()
	db, err := store.Open(filepath.Join(t.TempDir(), "wiki.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	cfg.BcryptCost = 4
	if cfg.Seed == nil {
		cfg.Seed = assets.Seed()
	}
	svc := wiki.NewService(db, render.New(render.Options{}), textdiff.New(), cfg)
	ctx := context.Background()
	if err := svc.Init(ctx); err != nil {
		t.Fatal(err)
	}
	f := &fixture{svc: svc, db: db, ctx: ctx}
	f.editor = f.user(t, "camille", wiki.RoleEditor)
	f.reader = f.user(t, "lecteur", wiki.RoleReader)
	return f
}

func (f *fixture) user(t testing.TB, login string, role wiki.Role) *wiki.User {
	t.Helper()
	u, err := f.svc.CreateUser(f.ctx, wiki.NewUser{Login: login, Name: login, Role: role, Password: "un mot de passe long"})
	if err != nil {
		t.Fatal(err)
	}
	return &u
}

func (f *fixture) save(t testing.TB, path, md string, base int) wiki.SaveResult {
	t.Helper()
	res, err := f.svc.Save(f.ctx, f.editor, wiki.SaveRequest{Path: wiki.MustPath(path), Markdown: md, BaseRev: base, Summary: "test"})
	if err != nil {
		t.Fatalf("Save(%s, base %d): %v", path, base, err)
	}
	return res
}

func (f *fixture) text(t testing.TB, path string, rev int) string {
	t.Helper()
	pv, err := f.svc.Page(f.ctx, f.editor, wiki.MustPath(path), rev)
	if err != nil {
		t.Fatalf("Page(%s@%d): %v", path, rev, err)
	}
	return pv.Markdown
}

func TestService_Init(t *testing.T) {
	f := newFixture(t, wiki.Config{})
	ns, err := f.svc.Namespaces(f.ctx, f.reader)
	if err != nil {
		t.Fatal(err)
	}
	if len(ns) != 8 || ns[0].Key != "usages" || ns[7].Key != "club" {
		t.Fatalf("namespaces = %+v", ns)
	}
	for _, n := range ns {
		if n.Pages != 1 {
			t.Errorf("namespace %s has %d pages, want its index page", n.Key, n.Pages)
		}
	}
	home, err := f.svc.Page(f.ctx, f.reader, wiki.MustPath("club/accueil"), 0)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(home.HTML, "e-lyco") || home.Author != wiki.SystemAuthor || home.Rev != 1 {
		t.Errorf("home page: rev %d by %s", home.Rev, home.Author)
	}
	// The home page shows its title once: the title is its first heading.
	if len(home.Headings) == 0 || home.Headings[0].Level != 1 || home.Headings[0].Text != home.Title {
		t.Errorf("home title %q is not its first heading %+v", home.Title, home.Headings[:min(1, len(home.Headings))])
	}
	if strings.Contains(home.HTML, "missing") {
		t.Errorf("the home page links to a missing axis page:\n%s", home.HTML)
	}
	// A second Init (every CLI command does one) adds nothing.
	if err := f.svc.Init(f.ctx); err != nil {
		t.Fatal(err)
	}
	ch, _ := f.svc.RecentChanges(f.ctx, f.reader, wiki.ChangeQuery{Limit: 500})
	if len(ch) != 8 {
		t.Errorf("after two Inits the change log has %d entries, want 8", len(ch))
	}
}

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

func TestService_DeleteRevertHistory(t *testing.T) {
	f := newFixture(t, wiki.Config{})
	const p = "services/messagerie"
	texts := []string{"# Messagerie\n\nVersion un.\n", "# Messagerie\n\nVersion deux.\n", "# Messagerie\n\nVersion trois.\n"}
	for i, md := range texts {
		f.save(t, p, md, i)
	}
	path := wiki.MustPath(p)
	d, err := f.svc.Diff(f.ctx, f.reader, path, 1, 3, true)
	if err != nil || d.Added != 1 || d.Removed != 1 || !strings.Contains(d.Unified, "-Version un.\n+Version trois.\n") {
		t.Fatalf("Diff(1,3) = %+v, %v", d, err)
	}
	if d, _ := f.svc.Diff(f.ctx, f.reader, path, 0, 0, false); d.From != 2 || d.To != 3 {
		t.Errorf("default diff = %d..%d, want 2..3", d.From, d.To)
	}
	if _, err := f.svc.Diff(f.ctx, f.reader, path, 1, 9, true); wiki.ErrorCode(err) != wiki.EInvalid {
		t.Errorf("diff to a missing revision: %v", err)
	}
	rev, changed, err := f.svc.Revert(f.ctx, f.editor, path, 1, "retour")
	if err != nil || !changed || rev != 4 || f.text(t, p, 0) != texts[0] {
		t.Fatalf("Revert = %d %v %v", rev, changed, err)
	}
	if rev, changed, _ := f.svc.Revert(f.ctx, f.editor, path, 1, ""); changed || rev != 4 {
		t.Errorf("revert to the same text = %d %v, want no new revision", rev, changed)
	}
	if rev, err := f.svc.Delete(f.ctx, f.editor, path, "obsolète"); err != nil || rev != 5 {
		t.Fatalf("Delete = %d %v", rev, err)
	}
	if _, err := f.svc.Page(f.ctx, f.reader, path, 0); wiki.ErrorCode(err) != wiki.ENotFound {
		t.Errorf("deleted page: %v", err)
	}
	if _, err := f.svc.Delete(f.ctx, f.editor, path, ""); wiki.ErrorCode(err) != wiki.ENotFound {
		t.Errorf("second delete: %v", err)
	}
	if got := f.text(t, p, 2); got != texts[1] {
		t.Errorf("old revision after delete = %q", got)
	}
	if _, _, err := f.svc.Revert(f.ctx, f.editor, path, 5, ""); wiki.ErrorCode(err) != wiki.EInvalid {
		t.Errorf("revert to a deletion: %v", err)
	}
	h, err := f.svc.History(f.ctx, f.reader, path, 2, 0)
	if err != nil || len(h) != 2 || h[0].Rev != 5 || !h[0].Deleted || h[1].Kind != wiki.KindRevert {
		t.Fatalf("history = %+v, %v", h, err)
	}
	if r := f.save(t, p, "# Messagerie\n\nRecréée.\n", 5); !r.Created || r.Rev != 6 {
		t.Errorf("recreate = %+v", r)
	}
	ch, _ := f.svc.RecentChanges(f.ctx, f.reader, wiki.ChangeQuery{Namespace: "services"})
	var kinds []string
	for _, c := range ch {
		kinds = append(kinds, string(c.Kind))
	}
	if got := strings.Join(kinds, ","); got != "create,delete,revert,edit,edit,create,create" {
		t.Errorf("change kinds = %s", got)
	}
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

func TestService_Users(t *testing.T) {
	f := newFixture(t, wiki.Config{})
	if _, err := f.svc.CreateUser(f.ctx, wiki.NewUser{Login: "Camille", Password: "un mot de passe long"}); wiki.ErrorCode(err) != wiki.EConflict {
		t.Errorf("duplicate login (case-folded): %v", err)
	}
	for _, nu := range []wiki.NewUser{
		{Login: "", Password: "un mot de passe long"},
		{Login: "a b", Password: "un mot de passe long"},
		{Login: "x", Password: "court"},
		{Login: "y", Password: "un mot de passe long", Role: "chef"},
	} {
		if _, err := f.svc.CreateUser(f.ctx, nu); wiki.ErrorCode(err) != wiki.EInvalid {
			t.Errorf("CreateUser(%+v) = %v, want invalid", nu, err)
		}
	}
	if _, err := f.svc.Authenticate(f.ctx, "CAMILLE", "un mot de passe long"); err != nil {
		t.Errorf("good password: %v", err)
	}
	for _, c := range [][2]string{{"camille", "mauvais mot de passe"}, {"personne", "un mot de passe long"}} {
		if _, err := f.svc.Authenticate(f.ctx, c[0], c[1]); wiki.ErrorCode(err) != wiki.EUnauthenticated {
			t.Errorf("Authenticate(%s) = %v", c[0], err)
		}
	}
	secret, tok, err := f.svc.CreateToken(f.ctx, "camille", "script")
	if err != nil || !strings.HasPrefix(secret, "cw_") {
		t.Fatal(secret, err)
	}
	if u, err := f.svc.AuthenticateToken(f.ctx, secret); err != nil || u.Login != "camille" {
		t.Errorf("AuthenticateToken = %+v, %v", u, err)
	}
	if _, err := f.svc.AuthenticateToken(f.ctx, secret+"x"); wiki.ErrorCode(err) != wiki.EUnauthenticated {
		t.Errorf("wrong token: %v", err)
	}
	if err := f.svc.RevokeToken(f.ctx, "camille", tok.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.AuthenticateToken(f.ctx, secret); wiki.ErrorCode(err) != wiki.EUnauthenticated {
		t.Errorf("revoked token still works: %v", err)
	}
	if pw, err := f.svc.EnsureAdmin(f.ctx); err != nil || pw != "" {
		t.Errorf("EnsureAdmin with users present = %q, %v", pw, err)
	}
}

// A client keeps ETags across server restarts: a new Service over the same
// store must not hand out the tag an earlier one gave for other HTML (here,
// a link that was missing and no longer is).
func TestService_PageETagAcrossRestarts(t *testing.T) {
	f := newFixture(t, wiki.Config{})
	f.save(t, "usages/a", "Voir [[usages/b]].", 0)
	start := func() *wiki.Service {
		svc := wiki.NewService(f.db, render.New(render.Options{}), textdiff.New(), wiki.Config{Seed: assets.Seed()})
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

func TestService_NamespaceFilter(t *testing.T) {
	f := newFixture(t, wiki.Config{})
	f.save(t, "usages/cahier", "texte", 0)
	for _, ns := range []string{"usages", "Usages", " USAGES "} {
		t.Run(ns, func(t *testing.T) {
			pages, _, err := f.svc.Pages(f.ctx, f.reader, ns, 0, 0)
			if err != nil || len(pages) != 2 { // accueil and cahier
				t.Errorf("Pages(%q) = %d pages, %v", ns, len(pages), err)
			}
			changes, err := f.svc.RecentChanges(f.ctx, f.reader, wiki.ChangeQuery{Namespace: ns})
			if err != nil || len(changes) != 2 {
				t.Errorf("RecentChanges(%q) = %d changes, %v", ns, len(changes), err)
			}
		})
	}
	for _, ns := range []string{" ", "-", "usages/x", "cuisine"} {
		t.Run("invalid "+ns, func(t *testing.T) {
			if _, _, err := f.svc.Pages(f.ctx, f.reader, ns, 0, 0); wiki.ErrorCode(err) != wiki.EInvalid {
				t.Errorf("Pages(%q): %v, want EInvalid", ns, err)
			}
			if _, err := f.svc.RecentChanges(f.ctx, f.reader, wiki.ChangeQuery{Namespace: ns}); wiki.ErrorCode(err) != wiki.EInvalid {
				t.Errorf("RecentChanges(%q): %v, want EInvalid", ns, err)
			}
		})
	}
}

// Reverts that race each other retry against the winner's head: one makes
// the revision, the others find the text already there; none fails.
func TestService_RevertConcurrent(t *testing.T) {
	f := newFixture(t, wiki.Config{})
	const p = "services/agenda"
	f.save(t, p, "Version un.\n", 0)
	f.save(t, p, "Version deux.\n", 1)
	type result struct {
		rev     int
		changed bool
		err     error
	}
	results := make(chan result, 8)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			rev, changed, err := f.svc.Revert(f.ctx, f.editor, wiki.MustPath(p), 1, "")
			results <- result{rev, changed, err}
		})
	}
	wg.Wait()
	close(results)
	changed := 0
	for r := range results {
		if r.err != nil || r.rev != 3 {
			t.Errorf("Revert = %d %v %v, want revision 3", r.rev, r.changed, r.err)
		}
		if r.changed {
			changed++
		}
	}
	if changed != 1 {
		t.Errorf("%d reverts made a revision, want 1", changed)
	}
}
