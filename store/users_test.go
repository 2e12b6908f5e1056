package store_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"slices"
	"testing"
	"time"

	"github.com/kdecole-club/clubwiki/wiki"
)

func TestDB_Namespaces(t *testing.T) {
	ctx := context.Background()
	db, _ := openTest(t)
	for _, k := range []string{"usages", "accompagnement", "assistance", "club"} {
		if err := db.PutNamespace(ctx, wiki.Namespace{Key: k, Title: "T " + k}); err != nil {
			t.Fatal(err)
		}
	}
	t.Run("creation order, update keeps place", func(t *testing.T) {
		if err := db.PutNamespace(ctx, wiki.Namespace{Key: "usages", Title: "Usages et pratiques", Description: "d"}); err != nil {
			t.Fatal(err)
		}
		got, err := db.Namespaces(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var keys []string
		for _, n := range got {
			keys = append(keys, n.Key)
		}
		if !slices.Equal(keys, []string{"usages", "accompagnement", "assistance", "club"}) {
			t.Fatalf("order = %v", keys)
		}
		if got[0] != (wiki.Namespace{Key: "usages", Title: "Usages et pratiques", Description: "d"}) {
			t.Fatalf("updated = %+v", got[0])
		}
	})
	t.Run("invalid keys", func(t *testing.T) {
		for _, k := range []string{"", "a/b", "Usages", "é"} {
			wantCode(t, db.PutNamespace(ctx, wiki.Namespace{Key: k}), wiki.EInvalid)
		}
	})
}

func TestDB_Users(t *testing.T) {
	ctx := context.Background()
	db, _ := openTest(t)
	alice := wiki.User{Login: "alice", Name: "Alice Martin", Email: "a@ac-nantes.fr", Role: wiki.RoleEditor, PasswordHash: []byte("$argon2id$x")}
	if err := db.CreateUser(ctx, alice); err != nil {
		t.Fatal(err)
	}
	t.Run("read back with password hash and clock time", func(t *testing.T) {
		got, err := db.User(ctx, "alice")
		if err != nil || got.Name != alice.Name || got.Role != wiki.RoleEditor || !bytes.Equal(got.PasswordHash, alice.PasswordHash) || got.Created.IsZero() {
			t.Fatalf("User = %+v, %v", got, err)
		}
	})
	t.Run("login taken", func(t *testing.T) {
		wantCode(t, db.CreateUser(ctx, wiki.User{Login: "alice"}), wiki.EConflict)
		wantCode(t, db.CreateUser(ctx, wiki.User{}), wiki.EInvalid)
	})
	t.Run("update keeps creation time", func(t *testing.T) {
		before, _ := db.User(ctx, "alice")
		if err := db.UpdateUser(ctx, wiki.User{Login: "alice", Role: wiki.RoleAdmin, PasswordHash: []byte("new")}); err != nil {
			t.Fatal(err)
		}
		got, _ := db.User(ctx, "alice")
		if got.Role != wiki.RoleAdmin || string(got.PasswordHash) != "new" || !got.Created.Equal(before.Created) {
			t.Fatalf("after update: %+v", got)
		}
	})
	t.Run("missing users", func(t *testing.T) {
		_, err := db.User(ctx, "bob")
		wantCode(t, err, wiki.ENotFound)
		wantCode(t, db.UpdateUser(ctx, wiki.User{Login: "bob"}), wiki.ENotFound)
	})
	t.Run("count", func(t *testing.T) {
		if err := db.CreateUser(ctx, wiki.User{Login: "bob", Role: wiki.RoleReader}); err != nil {
			t.Fatal(err)
		}
		if n, err := db.UserCount(ctx); err != nil || n != 2 {
			t.Fatalf("UserCount = %d, %v", n, err)
		}
	})
}

func TestDB_Tokens(t *testing.T) {
	ctx := context.Background()
	db, _ := openTest(t)
	for _, l := range []string{"alice", "alice2"} {
		if err := db.CreateUser(ctx, wiki.User{Login: l, Role: wiki.RoleEditor}); err != nil {
			t.Fatal(err)
		}
	}
	hash := func(s string) []byte { h := sha256.Sum256([]byte(s)); return h[:] }
	day := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	mk := []wiki.Token{
		{ID: "t2", Login: "alice", Label: "script", Hash: hash("s2"), Created: day.Add(time.Hour)},
		{ID: "t1", Login: "alice", Label: "connecteur", Hash: hash("s1"), Created: day},
		{ID: "t1", Login: "alice2", Hash: hash("s3"), Created: day},
	}
	for _, tok := range mk {
		if err := db.CreateToken(ctx, tok); err != nil {
			t.Fatal(err)
		}
	}
	t.Run("by hash with owner", func(t *testing.T) {
		tok, u, err := db.TokenByHash(ctx, hash("s2"))
		if err != nil || tok.ID != "t2" || tok.Label != "script" || u.Login != "alice" || !tok.Created.Equal(day.Add(time.Hour)) {
			t.Fatalf("TokenByHash = %+v, %+v, %v", tok, u, err)
		}
		_, _, err = db.TokenByHash(ctx, hash("nope"))
		wantCode(t, err, wiki.ENotFound)
	})
	t.Run("list per user, oldest first", func(t *testing.T) {
		got, err := db.Tokens(ctx, "alice")
		if err != nil || len(got) != 2 || got[0].ID != "t1" || got[1].ID != "t2" {
			t.Fatalf("Tokens = %+v, %v", got, err)
		}
	})
	t.Run("duplicates and unknown owner", func(t *testing.T) {
		wantCode(t, db.CreateToken(ctx, wiki.Token{ID: "t9", Login: "alice", Hash: hash("s1")}), wiki.EConflict)
		wantCode(t, db.CreateToken(ctx, wiki.Token{ID: "t1", Login: "alice", Hash: hash("s9")}), wiki.EConflict)
		wantCode(t, db.CreateToken(ctx, wiki.Token{ID: "t1", Login: "carole", Hash: hash("s9")}), wiki.ENotFound)
		wantCode(t, db.CreateToken(ctx, wiki.Token{ID: "t1", Login: "alice"}), wiki.EInvalid)
	})
	t.Run("delete", func(t *testing.T) {
		if err := db.DeleteToken(ctx, "alice", "t1"); err != nil {
			t.Fatal(err)
		}
		if _, _, err := db.TokenByHash(ctx, hash("s1")); wiki.ErrorCode(err) != wiki.ENotFound {
			t.Fatalf("deleted token still found: %v", err)
		}
		got, _ := db.Tokens(ctx, "alice")
		if len(got) != 1 || got[0].ID != "t2" {
			t.Fatalf("Tokens = %+v", got)
		}
		other, _ := db.Tokens(ctx, "alice2")
		if len(other) != 1 {
			t.Fatalf("alice2's tokens = %+v", other)
		}
		wantCode(t, db.DeleteToken(ctx, "alice", "t1"), wiki.ENotFound)
		wantCode(t, db.DeleteToken(ctx, "alice2", "t2"), wiki.ENotFound)
	})
}
