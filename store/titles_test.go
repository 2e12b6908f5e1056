package store_test

import (
	"context"
	"encoding/binary"
	"testing"

	"github.com/kdecole-club/clubwiki/wiki"
	bolt "go.etcd.io/bbolt"
)

// TestOpen_MigrationIndexesTitles: a file of schema 12 has no title index;
// migration 13 indexes its live pages (not the deleted ones).
func TestOpen_MigrationIndexesTitles(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, path := openTest(t)
	for _, c := range []wiki.Commit{
		{Path: wiki.MustPath("usages/a"), Kind: wiki.KindCreate, Markdown: "# Accès", Title: "Accès"},
		{Path: wiki.MustPath("club/b"), Kind: wiki.KindCreate, Markdown: "# Accès", Title: "Accès"},
		{Path: wiki.MustPath("club/b"), ExpectRev: 1, Kind: wiki.KindDelete, Deleted: true, Title: "Accès"},
	} {
		if _, err := db.Commit(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	raw, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = raw.Update(func(tx *bolt.Tx) error {
		if err := tx.DeleteBucket([]byte("titles")); err != nil {
			return err
		}
		return tx.Bucket([]byte("meta")).Put([]byte("schema"), binary.BigEndian.AppendUint32(nil, 12))
	})
	if err != nil {
		t.Fatal(err)
	}
	raw.Close()
	db = reopen(t, path)
	hs, err := db.PagesTitled(ctx, wiki.TitleKey("accès"), 10)
	if err != nil || len(hs) != 1 || hs[0].Path != wiki.MustPath("usages/a") {
		t.Fatalf("PagesTitled = %+v, %v", hs, err)
	}
}
