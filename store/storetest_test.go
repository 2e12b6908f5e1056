package store_test

import (
	"path/filepath"
	"testing"

	"github.com/kdecole-club/clubwiki/store"
	"github.com/kdecole-club/clubwiki/wiki"
	"github.com/kdecole-club/clubwiki/wiki/storetest"
)

// TestDB_StoreSuite holds the bbolt store to the contract every wiki.Store
// shows. It uses the real clock, as a server does, so that nothing in the
// suite leans on the deterministic one of the other tests. Commits skip
// fsync: the suite is about behaviour, not durability.
func TestDB_StoreSuite(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T) wiki.Store {
		db, err := store.Open(filepath.Join(t.TempDir(), "clubwiki.db"), store.Options{NoSync: true})
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		t.Cleanup(func() { _ = db.Close() })
		return db
	})
}
