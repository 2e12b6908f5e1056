package storetest

import (
	"bytes"
	"context"
	"slices"
	"testing"
	"time"

	"github.com/kdecole-club/clubwiki/wiki"
)

// testNamespaces covers namespaces: listed in creation order, updated in
// place, keys checked.
func testNamespaces(t *testing.T, open func(t *testing.T) wiki.Store) {
	ctx := context.Background()
	s := open(t)
	t.Run("none in a new store", func(t *testing.T) {
		if got, err := s.Namespaces(ctx); err != nil || len(got) != 0 {
			t.Fatalf("Namespaces = %+v, %v", got, err)
		}
	})
	for _, k := range []string{"usages", "accompagnement", "assistance", "club"} {
		if err := s.PutNamespace(ctx, wiki.Namespace{Key: k, Title: "T " + k}); err != nil {
			t.Fatal(err)
		}
	}
	t.Run("creation order, update keeps place", func(t *testing.T) {
		if err := s.PutNamespace(ctx, wiki.Namespace{Key: "usages", Title: "Usages et pratiques", Description: "d"}); err != nil {
			t.Fatal(err)
		}
		got, err := s.Namespaces(ctx)
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
		if got[0] != (wiki.Namespace{Key: "usages", Title: "Usages et pratiques", Description: "d"}) || got[3] != (wiki.Namespace{Key: "club", Title: "T club"}) {
			t.Fatalf("namespaces = %+v", got)
		}
	})
	t.Run("invalid keys", func(t *testing.T) {
		for _, k := range []string{"", "a/b", "Usages", "é"} {
			wantCode(t, s.PutNamespace(ctx, wiki.Namespace{Key: k}), wiki.EInvalid)
		}
		if got, _ := s.Namespaces(ctx); len(got) != 4 {
			t.Fatalf("an invalid namespace was stored: %+v", got)
		}
	})
}

// testUsers covers users: create, read, update, conflict, count.
func testUsers(t *testing.T, open func(t *testing.T) wiki.Store) {
	ctx := context.Background()
	s := open(t)
	t.Run("none in a new store", func(t *testing.T) {
		if n, err := s.UserCount(ctx); err != nil || n != 0 {
			t.Fatalf("UserCount = %d, %v", n, err)
		}
	})
	alice := wiki.User{Login: "alice", Name: "Alice Martin", Email: "a@ac-nantes.fr", Role: wiki.RoleEditor, PasswordHash: []byte("$argon2id$x")}
	if err := s.CreateUser(ctx, alice); err != nil {
		t.Fatal(err)
	}
	t.Run("read back with password hash and clock time", func(t *testing.T) {
		got, err := s.User(ctx, "alice")
		if err != nil || got.Login != "alice" || got.Name != alice.Name || got.Email != alice.Email || got.Role != wiki.RoleEditor ||
			!bytes.Equal(got.PasswordHash, alice.PasswordHash) || got.Created.IsZero() {
			t.Fatalf("User = %+v, %v", got, err)
		}
	})
	t.Run("a given creation time is kept", func(t *testing.T) {
		when := time.Date(2024, 9, 2, 8, 0, 0, 0, time.UTC)
		if err := s.CreateUser(ctx, wiki.User{Login: "ancien", Role: wiki.RoleReader, Created: when}); err != nil {
			t.Fatal(err)
		}
		if got, err := s.User(ctx, "ancien"); err != nil || !got.Created.Equal(when) {
			t.Fatalf("User = %+v, %v", got, err)
		}
	})
	t.Run("login taken", func(t *testing.T) {
		wantCode(t, s.CreateUser(ctx, wiki.User{Login: "alice", Name: "Autre"}), wiki.EConflict)
		if got, _ := s.User(ctx, "alice"); got.Name != alice.Name {
			t.Fatalf("a refused creation changed the user: %+v", got)
		}
		wantCode(t, s.CreateUser(ctx, wiki.User{}), wiki.EInvalid)
	})
	t.Run("update keeps creation time", func(t *testing.T) {
		before, _ := s.User(ctx, "alice")
		if err := s.UpdateUser(ctx, wiki.User{Login: "alice", Role: wiki.RoleAdmin, PasswordHash: []byte("new")}); err != nil {
			t.Fatal(err)
		}
		got, err := s.User(ctx, "alice")
		if err != nil || got.Role != wiki.RoleAdmin || string(got.PasswordHash) != "new" || !got.Created.Equal(before.Created) {
			t.Fatalf("after update: %+v, %v", got, err)
		}
	})
	t.Run("missing users", func(t *testing.T) {
		_, err := s.User(ctx, "bob")
		wantCode(t, err, wiki.ENotFound)
		wantCode(t, s.UpdateUser(ctx, wiki.User{Login: "bob"}), wiki.ENotFound)
		if _, err := s.User(ctx, "bob"); wiki.ErrorCode(err) != wiki.ENotFound {
			t.Fatalf("UpdateUser created bob: %v", err)
		}
	})
	t.Run("count", func(t *testing.T) {
		if n, err := s.UserCount(ctx); err != nil || n != 2 {
			t.Fatalf("UserCount = %d, %v; want 2", n, err)
		}
	})
}

// addUsers creates editors with those logins.
func addUsers(t *testing.T, s wiki.Store, logins ...string) {
	t.Helper()
	for _, l := range logins {
		if err := s.CreateUser(context.Background(), wiki.User{Login: l, Role: wiki.RoleEditor}); err != nil {
			t.Fatalf("CreateUser(%s): %v", l, err)
		}
	}
}
