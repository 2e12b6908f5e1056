package search

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kdecole-club/clubwiki/store"
	"github.com/kdecole-club/clubwiki/wiki"
)

// backupStore writes a hot backup of e's store and opens it as another
// store, as an admin restoring it would.
func (e *env) backupStore() *store.DB {
	e.t.Helper()
	path := filepath.Join(e.t.TempDir(), "restored.db")
	f, err := os.Create(path)
	if err != nil {
		e.t.Fatal(err)
	}
	if _, err := e.db.Backup(e.ctx, f); err != nil {
		e.t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		e.t.Fatal(err)
	}
	return openStore(e.t, path)
}

func openStore(t testing.TB, path string) *store.DB {
	t.Helper()
	db, err := store.Open(path, store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}

// searchAll lists what the index finds for q, by path.
func (e *env) searchAll(q string) (found []string, partial bool) {
	e.t.Helper()
	res, err := e.idx.Search(e.ctx, wiki.SearchQuery{Query: wiki.ParseQuery(q), Limit: 50,
		Namespaces: []string{"accompagnement", "assistance", "club", "connecteurs", "marches", "portails", "services", "usages"}})
	if err != nil {
		e.t.Fatalf("Search %q: %v", q, err)
	}
	found = paths(res)
	slices.Sort(found)
	return found, res.Partial
}

func TestIndex_CheckOrigin(t *testing.T) {
	t.Parallel()
	t.Run("an older backup of the store restored under the index", func(t *testing.T) {
		e := newEnv(t)
		e.save("club/gardee", "# Gardée\n\nLe mot commun est là.\n")
		e.sync()
		restored := e.backupStore()
		e.save("club/disparue", "# Disparue\n\nLe mot commun aussi.\n")
		e.sync()
		reason, err := e.idx.CheckOrigin(e.ctx, restored)
		if err != nil || !strings.Contains(reason, "ahead") {
			t.Fatalf("CheckOrigin = %q, %v; want the index ahead of the store", reason, err)
		}
		if found, partial := e.searchAll("commun"); len(found) != 0 || !partial {
			t.Errorf("before the rebuild: %v (partial %v), want nothing, partial", found, partial)
		}
		f := &Follower{Index: e.idx, Source: restored, Renderer: testRenderer()}
		if _, err := f.Rebuild(e.ctx); err != nil {
			t.Fatal(err)
		}
		if found, _ := e.searchAll("commun"); !slices.Equal(found, []string{"club/gardee"}) {
			t.Errorf("after the rebuild: %v, want only the page the backup has", found)
		}
		if reason, err := e.idx.CheckOrigin(e.ctx, restored); reason != "" || err != nil {
			t.Errorf("a rebuilt index is checked again: %q, %v", reason, err)
		}
	})
	t.Run("a copy of the store that went its own way", func(t *testing.T) {
		e := newEnv(t)
		e.save("club/gardee", "# Gardée\n\nLe mot commun est là.\n")
		e.sync()
		copied := e.backupStore()
		e.save("club/originale", "# Originale\n\nLe mot commun.\n")
		e.sync()
		// The copy numbers its own change like the original's.
		if _, err := copied.Commit(e.ctx, wiki.Commit{Path: wiki.MustPath("club/copie"), Kind: wiki.KindCreate,
			Author: "marie", Markdown: "# Copie\n\nLe mot commun.\n", Title: "Copie"}); err != nil {
			t.Fatal(err)
		}
		reason, err := e.idx.CheckOrigin(e.ctx, copied)
		if err != nil || !strings.Contains(reason, "not the one the index applied") {
			t.Fatalf("CheckOrigin = %q, %v; want the histories told apart", reason, err)
		}
	})
	t.Run("another wiki's store", func(t *testing.T) {
		e := newEnv(t)
		e.save("club/ici", "# Ici\n\nLe mot commun.\n")
		e.sync()
		other := newEnv(t)
		reason, err := e.idx.CheckOrigin(e.ctx, other.db)
		if err != nil || !strings.Contains(reason, "another store") {
			t.Fatalf("CheckOrigin = %q, %v; want a foreign index", reason, err)
		}
		if !e.idx.NeedsRebuild() {
			t.Error("a foreign index is not rebuilt")
		}
	})
	t.Run("the store it follows", func(t *testing.T) {
		e := newEnv(t)
		e.save("club/ici", "# Ici\n\nLe mot commun.\n")
		e.sync()
		e.save("club/la", "# Là\n\nLe mot commun.\n") // behind: caught up, not rebuilt
		if reason, err := e.idx.CheckOrigin(e.ctx, e.db); reason != "" || err != nil || e.idx.NeedsRebuild() {
			t.Errorf("CheckOrigin = %q, %v on its own store", reason, err)
		}
	})
}

// TestFollower_RestoredBackup is the restore the README describes, with a
// running follower: the index is rebuilt, and pages saved after the
// restore (whose change numbers the old index had already passed) are
// found.
func TestFollower_RestoredBackup(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.save("club/gardee", "# Gardée\n\nLe mot commun est là.\n")
	e.sync()
	restored := e.backupStore()
	for _, p := range []string{"club/disparue-1", "club/disparue-2"} {
		e.save(p, "# Disparue\n\nLe mot commun aussi.\n")
	}
	e.sync()
	_ = e.idx.Close()

	e.db = restored
	e.svc = wiki.NewService(restored, testRenderer(), nil, wiki.Config{BcryptCost: 4})
	e.open()
	e.run()
	if !waitFor(t, 10*time.Second, func() bool { return !e.idx.Partial() }) {
		t.Fatal("never caught up")
	}
	if found, _ := e.searchAll("commun"); !slices.Equal(found, []string{"club/gardee"}) {
		t.Errorf("after the restore: %v, want only club/gardee", found)
	}
	e.save("club/apres", "# Après\n\nLe mot commun, écrit après la restauration.\n")
	if !waitFor(t, 5*time.Second, func() bool { found, _ := e.searchAll("commun"); return len(found) == 2 }) {
		found, _ := e.searchAll("commun")
		t.Errorf("a page saved after the restore is not found: %v", found)
	}
}
