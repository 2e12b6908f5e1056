package wiki_test

import (
	"context"
	"errors"
	"github.com/kdecole-club/clubwiki/internal/testgc"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

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
	// Tests skip fsync: they run in one process, where what a commit
	// wrote is read back without it, and the store's own tests and the
	// e2e crash test cover durability. Benchmarks measure it.
	_, bench := t.(*testing.B)
	path := filepath.Join(t.TempDir(), "wiki.db")
	// Most tests use the default configuration: they start from a copy of
	// one wiki seeded and given its two users once per process (seeding
	// renders and saves every seed page, a fifth of this package's time),
	// which is the wiki a restart finds. Init still runs over the copy.
	shared := !bench && seedsAsDefault(cfg)
	if shared {
		copyFile(t, seededTemplate(t), path)
	}
	db, err := store.Open(path, store.Options{NoSync: !bench})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	svc := newFixtureService(db, cfg)
	ctx := context.Background()
	if err := svc.Init(ctx); err != nil {
		t.Fatal(err)
	}
	f := &fixture{svc: svc, db: db, ctx: ctx}
	if shared {
		f.editor, f.reader = f.existingUser(t, "camille"), f.existingUser(t, "lecteur")
		return f
	}
	f.editor = f.user(t, "camille", wiki.RoleEditor)
	f.reader = f.user(t, "lecteur", wiki.RoleReader)
	return f
}

// seedsAsDefault reports whether Init and the fixture's users make the
// same store under cfg as under the default configuration: cfg differs
// from it at most in fields read after (the feed's bounds, the visit
// buffer, the waiting rooms' wait), or in a ReadRule that hides nothing
// from the wiki itself, which writes the seed.
func seedsAsDefault(cfg wiki.Config) bool {
	if cfg.ReadRule != nil {
		for _, ns := range wiki.DefaultNamespaces() {
			if !cfg.ReadRule(wiki.System(), ns.Key) {
				return false
			}
		}
	}
	cfg.FeedTime, cfg.FeedBytes, cfg.FeedEntryBytes, cfg.VisitBuffer, cfg.RoomWait, cfg.ReadRule = 0, 0, 0, 0, 0, nil
	return reflect.DeepEqual(cfg, wiki.Config{})
}

// newFixtureService returns the service of a fixture over db.
func newFixtureService(db *store.DB, cfg wiki.Config) *wiki.Service {
	cfg.BcryptCost = 4
	if cfg.Seed == nil {
		cfg.Seed = assets.Seed()
	}
	return wiki.NewService(db, fixtureRenderer(), textdiff.New(), cfg)
}

// fixtureRenderer returns the renderer every fixture shares: a Renderer
// is built once and shared (render.New), and building one per fixture
// cost more than many tests.
var fixtureRenderer = sync.OnceValue(func() *render.Renderer { return render.New(render.Options{}) })

// template is the store file newFixture copies for the default
// configuration, made once per process by seededTemplate.
var template struct {
	once sync.Once
	dir  string
	err  error
}

// seededTemplate returns the path of a store file holding a wiki of the
// default configuration, initialised, with the fixture's editor and
// reader, made the way newFixture makes one.
func seededTemplate(t testing.TB) string {
	t.Helper()
	template.once.Do(func() {
		template.dir, template.err = os.MkdirTemp("", "wiki-fixture-")
		if template.err != nil {
			return
		}
		template.err = func() error {
			db, err := store.Open(filepath.Join(template.dir, "wiki.db"), store.Options{NoSync: true})
			if err != nil {
				return err
			}
			return errors.Join(initTemplate(db), db.Close())
		}()
	})
	if template.err != nil {
		t.Fatalf("seeding the fixture's template: %v", template.err)
	}
	return filepath.Join(template.dir, "wiki.db")
}

// initTemplate initialises the wiki of db and creates the fixture's
// editor and reader, as newFixture does, in the same order.
func initTemplate(db *store.DB) error {
	svc := newFixtureService(db, wiki.Config{})
	ctx := context.Background()
	if err := svc.Init(ctx); err != nil {
		return err
	}
	for _, u := range []struct {
		login string
		role  wiki.Role
	}{{"camille", wiki.RoleEditor}, {"lecteur", wiki.RoleReader}} {
		nu := wiki.NewUser{Login: u.login, Name: u.login, Role: u.role, Password: "un mot de passe long"}
		if _, err := svc.CreateUser(ctx, nu); err != nil {
			return err
		}
	}
	return nil
}

// copyFile copies the file at from to a new file at to.
func copyFile(t testing.TB, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// existingUser returns the user login of the fixture's store.
func (f *fixture) existingUser(t testing.TB, login string) *wiki.User {
	t.Helper()
	u, err := f.svc.User(f.ctx, login)
	if err != nil {
		t.Fatal(err)
	}
	return &u
}

func TestMain(m *testing.M) {
	testgc.Relax()
	code := m.Run()
	if template.dir != "" {
		os.RemoveAll(template.dir)
	}
	os.Exit(code)
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
		want := 1 // its index page
		switch n.Key {
		case "club":
			want = 7 // the synonyms the search reads, the projects' comparison and their four sheets
		case "services":
			want = 2 // and the requests to the vendor, ranked
		}
		if n.Pages != want {
			t.Errorf("namespace %s has %d pages, want %d", n.Key, n.Pages, want)
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
	if len(ch) != 15 {
		t.Errorf("after two Inits the change log has %d entries, want 15", len(ch))
	}
}

// TestService_InitSeedsNewPages checks that a wiki created before a seed
// page existed gets it at its next start, and that a page members deleted
// is not seeded again.
func TestService_InitSeedsNewPages(t *testing.T) {
	f := newFixture(t, wiki.Config{Seed: fstest.MapFS{"club/accueil.md": {Data: []byte("# Accueil\n")}}})
	syn := wiki.MustPath("club/synonymes")
	if _, err := f.db.Head(f.ctx, syn); wiki.ErrorCode(err) != wiki.ENotFound {
		t.Fatalf("synonyms before: %v", err)
	}
	init := func() {
		t.Helper()
		svc := wiki.NewService(f.db, render.New(render.Options{}), textdiff.New(), wiki.Config{Seed: assets.Seed()})
		if err := svc.Init(f.ctx); err != nil {
			t.Fatal(err)
		}
	}
	init()
	if h, err := f.db.Head(f.ctx, syn); err != nil || h.Rev != 1 || h.Author != wiki.SystemAuthor {
		t.Fatalf("synonyms after the next start: %+v, %v", h, err)
	}
	if _, err := f.svc.Delete(f.ctx, wiki.System(), syn, "pas de synonymes"); err != nil {
		t.Fatal(err)
	}
	init()
	if h, err := f.db.Head(f.ctx, syn); err != nil || !h.Deleted {
		t.Errorf("deleted synonyms seeded again: %+v, %v", h, err)
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
	// An unknown login is checked against a dummy hash to take the same
	// time; that hash's own password must not sign anyone in.
	if u, err := f.svc.Authenticate(f.ctx, "personne", "clubwiki-dummy-password"); wiki.ErrorCode(err) != wiki.EUnauthenticated {
		t.Errorf("unknown login with the dummy hash's password = %+v, %v", u, err)
	}
	secret, tok, err := f.svc.CreateToken(f.ctx, wiki.System(), "camille", "script")
	if err != nil || !strings.HasPrefix(secret, "cw_") {
		t.Fatal(secret, err)
	}
	if u, err := f.svc.AuthenticateToken(f.ctx, secret); err != nil || u.Login != "camille" {
		t.Errorf("AuthenticateToken = %+v, %v", u, err)
	}
	if _, err := f.svc.AuthenticateToken(f.ctx, secret+"x"); wiki.ErrorCode(err) != wiki.EUnauthenticated {
		t.Errorf("wrong token: %v", err)
	}
	if err := f.svc.RevokeToken(f.ctx, wiki.System(), "camille", tok.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.AuthenticateToken(f.ctx, secret); wiki.ErrorCode(err) != wiki.EUnauthenticated {
		t.Errorf("revoked token still works: %v", err)
	}
	if pw, err := f.svc.EnsureAdmin(f.ctx); err != nil || pw != "" {
		t.Errorf("EnsureAdmin with users present = %q, %v", pw, err)
	}
}
