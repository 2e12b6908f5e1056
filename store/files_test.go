package store_test

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"

	"github.com/kdecole-club/clubwiki/wiki"
)

func TestDB_PutFile(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, _ := openTest(t)
	commit(t, db, "usages/a", 0, "un")
	up := wiki.FileUpload{Page: wiki.MustPath("usages/a"), Name: "gros.bin", Author: "bob", Max: 1 << 20}
	t.Run("over the limit nothing stays", func(t *testing.T) {
		_, err := db.PutFile(ctx, up, bytes.NewReader(make([]byte, 3<<20)))
		if wiki.ErrorCode(err) != wiki.ETooLarge {
			t.Fatalf("err = %v", err)
		}
		if n := db.BlobChunks(); n != 0 {
			t.Fatalf("%d chunks left behind", n)
		}
	})
	t.Run("exactly the limit is kept", func(t *testing.T) {
		f, err := db.PutFile(ctx, up, bytes.NewReader(make([]byte, 1<<20)))
		if err != nil || f.Size != 1<<20 {
			t.Fatalf("PutFile = %+v, %v", f, err)
		}
	})
}

func TestDB_CheckFiles(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, path := openTest(t)
	commit(t, db, "usages/a", 0, "un")
	body := []byte(strings.Repeat("PIECE-JOINTE-INTACTE ", 5000))
	if _, err := db.PutFile(ctx, wiki.FileUpload{Page: wiki.MustPath("usages/a"), Name: "notes.txt", Author: "bob", Max: 1 << 20}, bytes.NewReader(body)); err != nil {
		t.Fatal(err)
	}
	t.Run("a sound attachment passes", func(t *testing.T) {
		rep, err := db.Check(ctx)
		if err != nil || !rep.OK() {
			t.Fatalf("Check = %+v, %v", rep.Problems, err)
		}
	})
	t.Run("a damaged attachment is found", func(t *testing.T) {
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
		raw, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		i := bytes.Index(raw, []byte("PIECE-JOINTE-INTACTE"))
		if i < 0 {
			t.Fatal("content not found in the file")
		}
		raw[i] = 'X'
		if err := os.WriteFile(path, raw, 0o600); err != nil {
			t.Fatal(err)
		}
		db = reopen(t, path)
		rep, err := db.Check(ctx)
		if err != nil || rep.OK() || !strings.Contains(strings.Join(rep.Problems, "\n"), "usages/a/notes.txt revision 1") {
			t.Fatalf("Check = %+v, %v", rep.Problems, err)
		}
	})
}
