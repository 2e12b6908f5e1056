package store

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/kdecole-club/clubwiki/wiki"
	bolt "go.etcd.io/bbolt"
)

// TestOpen_AuditBackfill: a file of the schema before tickets holds permission events
// and no audit index; opening it indexes them, so that the audit log is
// complete from the first rule ever set.
func TestOpen_AuditBackfill(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "wiki.db")
	db, err := Open(path, Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.PutGroup(ctx, wiki.Group{Name: "e-lyco", Title: "e-lyco"}, "chef"); err != nil {
		t.Fatal(err)
	}
	if err := db.CreateUser(ctx, wiki.User{Login: "marie", Role: wiki.RoleEditor}); err != nil {
		t.Fatal(err)
	}
	if err := db.PutGroup(ctx, wiki.Group{Name: "toutatice", Title: "Toutatice"}, "chef"); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	// Back to the schema before tickets (15): no tickets, no audit index.
	raw, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	err = raw.Update(func(tx *bolt.Tx) error {
		for _, b := range [][]byte{bucketTickets, bucketAudit} {
			if err := tx.DeleteBucket(b); err != nil {
				return err
			}
		}
		return setSchemaVersion(tx, 15)
	})
	if err != nil || raw.Close() != nil {
		t.Fatal(err)
	}
	db, err = Open(path, Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	got, err := db.Audit(ctx, 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Subject != "group:toutatice" || got[1].Subject != "group:e-lyco" || got[0].Author != "chef" {
		t.Fatalf("audit after the migration: %+v", got)
	}
}
