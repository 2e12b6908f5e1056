package store_test

import (
	"context"
	"encoding/binary"
	"os"
	"path/filepath"
	"testing"

	"github.com/kdecole-club/clubwiki/wiki"
	bolt "go.etcd.io/bbolt"
)

func TestDB_StoreID(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, path := openTest(t)
	id, err := db.StoreID(ctx)
	if err != nil || len(id) != 32 {
		t.Fatalf("StoreID = %q, %v; want 32 hex digits", id, err)
	}
	commit(t, db, "club/accueil", 0, "Bonjour.\n")

	t.Run("kept by a hot backup", func(t *testing.T) {
		copyPath := filepath.Join(t.TempDir(), "copie.db")
		f, err := os.Create(copyPath)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Backup(ctx, f); err != nil {
			t.Fatal(err)
		}
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
		if got, err := reopen(t, copyPath).StoreID(ctx); err != nil || got != id {
			t.Errorf("the backup's StoreID = %q, %v; want %q", got, err, id)
		}
	})
	t.Run("another store has another", func(t *testing.T) {
		other, _ := openTest(t)
		if got, _ := other.StoreID(ctx); got == id || got == "" {
			t.Errorf("two stores share the identity %q", got)
		}
	})
	t.Run("stable across restarts", func(t *testing.T) {
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
		if got, err := reopen(t, path).StoreID(ctx); err != nil || got != id {
			t.Errorf("after reopening StoreID = %q, %v; want %q", got, err, id)
		}
	})
}

func TestDB_StoreIDCreatedForOlderFile(t *testing.T) {
	t.Parallel()
	db, path := openTest(t)
	commit(t, db, "club/accueil", 0, "Bonjour.\n")
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	// Make it a file of schema 2, from before stores had an identity.
	b, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = b.Update(func(tx *bolt.Tx) error {
		meta := tx.Bucket([]byte("meta"))
		if err := meta.Delete([]byte("id")); err != nil {
			return err
		}
		return meta.Put([]byte("schema"), binary.BigEndian.AppendUint32(nil, 2))
	})
	if cerr := b.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}
	db = reopen(t, path)
	id, err := db.StoreID(context.Background())
	if err != nil || len(id) != 32 {
		t.Fatalf("StoreID of a migrated file = %q, %v", id, err)
	}
	if _, err := db.Head(context.Background(), wiki.MustPath("club/accueil")); err != nil {
		t.Errorf("the migrated file lost its page: %v", err)
	}
}
