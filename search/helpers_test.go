package search

import (
	"context"
	"github.com/kdecole-club/clubwiki/internal/testgc"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/kdecole-club/clubwiki/render"
	"github.com/kdecole-club/clubwiki/store"
	"github.com/kdecole-club/clubwiki/wiki"
	"github.com/kdecole-club/clubwiki/wiki/textdiff"
)

// testRenderer is the renderer every env shares: building one (goldmark's
// pipeline, bluemonday's policy) costs more than many a test's searches,
// and a Renderer is made to be built once and shared (render.New).
var testRenderer = sync.OnceValue(func() *render.Renderer { return render.New(render.Options{}) })

// env is a real wiki (bbolt store, renderer, service) with a real index in
// a temporary folder.
type env struct {
	t    testing.TB
	ctx  context.Context
	db   *store.DB
	svc  *wiki.Service
	idx  *Index
	fol  *Follower
	dir  string // the index folder
	user *wiki.User
}

func newEnv(t testing.TB) *env {
	t.Helper()
	return newEnvIn(t, t.TempDir())
}

// newEnvIn is newEnv over the store and index in dir (wiki.db and index),
// created when missing.
func newEnvIn(t testing.TB, dir string) *env {
	t.Helper()
	db, err := store.Open(filepath.Join(dir, "wiki.db"), store.Options{NoSync: true})
	if err != nil {
		t.Fatalf("store.Open: %v", err)
	}
	t.Cleanup(func() { _ = db.Close() })
	svc := wiki.NewService(db, testRenderer(), textdiff.New(), wiki.Config{BcryptCost: 4})
	ctx := context.Background()
	if err := svc.Init(ctx); err != nil {
		t.Fatalf("Init: %v", err)
	}
	e := &env{t: t, ctx: ctx, db: db, svc: svc, dir: filepath.Join(dir, "index"), user: wiki.System()}
	e.open()
	return e
}

// open opens the index folder and a follower over it, and gives the index
// to the service.
func (e *env) open() {
	e.t.Helper()
	idx, _, err := Open(e.dir)
	if err != nil {
		e.t.Fatalf("Open: %v", err)
	}
	e.t.Cleanup(func() { _ = idx.Close() })
	e.idx = idx
	e.fol = &Follower{Index: idx, Source: e.db, Renderer: testRenderer(), Watch: e.db.Watch}
	e.svc.SetSearch(idx)
}

// sync brings the index up to date (rebuilding it when fresh).
func (e *env) sync() {
	e.t.Helper()
	if e.idx.NeedsRebuild() {
		if _, err := e.fol.Rebuild(e.ctx); err != nil {
			e.t.Fatalf("Rebuild: %v", err)
		}
	}
	if _, err := e.fol.CatchUp(e.ctx); err != nil {
		e.t.Fatalf("CatchUp: %v", err)
	}
	e.idx.partial.Store(false)
}

// save saves a page through the service.
func (e *env) save(path, md string) {
	e.t.Helper()
	p := wiki.MustPath(path)
	head, err := e.db.Head(e.ctx, p)
	base := head.Rev
	if err != nil {
		base = 0
	}
	if _, err := e.svc.Save(e.ctx, e.user, wiki.SaveRequest{Path: p, Markdown: md, BaseRev: base}); err != nil {
		e.t.Fatalf("Save %s: %v", path, err)
	}
}

// search runs q over every namespace, as a member would.
func (e *env) search(q string) wiki.SearchResult {
	e.t.Helper()
	res, err := e.svc.Search(e.ctx, e.user, wiki.SearchParams{Q: q, Limit: 50})
	if err != nil {
		e.t.Fatalf("Search %q: %v", q, err)
	}
	return res
}

func paths(res wiki.SearchResult) []string {
	out := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		out[i] = h.Path.String()
	}
	return out
}

// waitFor polls until cond holds or the deadline passes.
func waitFor(t testing.TB, within time.Duration, cond func() bool) bool {
	t.Helper()
	deadline := time.Now().Add(within)
	for time.Now().Before(deadline) {
		if cond() {
			return true
		}
		time.Sleep(10 * time.Millisecond)
	}
	return cond()
}

func searchParams(q, sort string) wiki.SearchParams {
	return wiki.SearchParams{Q: q, Sort: sort, Limit: 50}
}

// Fixtures are wikis built once per test binary, store and index, that
// the tests using them copy into their own folder: each still works on a
// wiki of its own, without paying again for writing and indexing it.
var fixtures struct {
	mu    sync.Mutex
	root  string              // removed by TestMain
	built map[string]struct{} // names built under root
}

func TestMain(m *testing.M) {
	testgc.Relax()
	code := m.Run()
	if fixtures.root != "" {
		_ = os.RemoveAll(fixtures.root)
	}
	os.Exit(code)
}

// fixtureEnv returns an env over a copy of the wiki named name, which
// build fills (saving pages, syncing the index) the first time it is
// asked for. build must be deterministic: the copy stands for what it
// built.
func fixtureEnv(t *testing.T, name string, build func(e *env)) *env {
	t.Helper()
	fixtures.mu.Lock()
	defer fixtures.mu.Unlock()
	if fixtures.root == "" {
		root, err := os.MkdirTemp("", "search-fixtures-")
		if err != nil {
			t.Fatal(err)
		}
		fixtures.root, fixtures.built = root, map[string]struct{}{}
	}
	src := filepath.Join(fixtures.root, name)
	if _, ok := fixtures.built[name]; !ok {
		if err := os.RemoveAll(src); err != nil { // a failed build's
			t.Fatal(err)
		}
		if err := os.Mkdir(src, 0o755); err != nil {
			t.Fatal(err)
		}
		e := newEnvIn(t, src)
		build(e)
		// Closed, the files hold everything written.
		if err := e.idx.Close(); err != nil {
			t.Fatal(err)
		}
		if err := e.db.Close(); err != nil {
			t.Fatal(err)
		}
		fixtures.built[name] = struct{}{}
	}
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(src)); err != nil {
		t.Fatal(err)
	}
	e := newEnvIn(t, dir)
	e.sync()
	return e
}
