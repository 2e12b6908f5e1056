package store_test

import (
	"context"
	"crypto/sha256"
	"testing"
	"time"

	"github.com/kdecole-club/clubwiki/wiki"
)

func TestDB_Sessions(t *testing.T) {
	t.Parallel()
	outer := t
	db, path := openTest(t)
	ctx := context.Background()
	for _, login := range []string{"anne", "bruno"} {
		if err := db.CreateUser(ctx, wiki.User{Login: login, Role: wiki.RoleEditor}); err != nil {
			t.Fatal(err)
		}
	}
	now := time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)
	hash := func(s string) []byte { h := sha256.Sum256([]byte(s)); return h[:] }
	sessions := []wiki.Session{
		{Hash: hash("a1"), Login: "anne", Created: now, Expires: now.Add(time.Hour)},
		{Hash: hash("a2"), Login: "anne", Created: now, Expires: now.Add(-time.Hour)},
		{Hash: hash("a3"), Login: "anne", Created: now, Expires: now.Add(2 * time.Hour)},
		{Hash: hash("b1"), Login: "bruno", Created: now, Expires: now.Add(-time.Minute)},
	}
	for _, s := range sessions {
		if err := db.CreateSession(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	t.Run("unknown user refused", func(t *testing.T) {
		err := db.CreateSession(ctx, wiki.Session{Hash: hash("x"), Login: "personne", Expires: now})
		if wiki.ErrorCode(err) != wiki.ENotFound {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("survives reopen", func(t *testing.T) {
		db.Close()
		db = reopen(outer, path) // closed when the whole test ends
		s, u, err := db.SessionByHash(ctx, hash("a1"))
		if err != nil || u.Login != "anne" || !s.Expires.Equal(now.Add(time.Hour)) {
			t.Fatalf("SessionByHash = %+v %+v %v", s, u, err)
		}
		if _, _, err := db.SessionByHash(ctx, hash("zz")); wiki.ErrorCode(err) != wiki.ENotFound {
			t.Errorf("unknown session: %v", err)
		}
	})
	t.Run("purge expired", func(t *testing.T) {
		n, err := db.PurgeSessions(ctx, now)
		if err != nil || n != 2 {
			t.Fatalf("PurgeSessions = %d, %v; want 2", n, err)
		}
		for _, gone := range []string{"a2", "b1"} {
			if _, _, err := db.SessionByHash(ctx, hash(gone)); wiki.ErrorCode(err) != wiki.ENotFound {
				t.Errorf("expired session %s still there", gone)
			}
		}
	})
	t.Run("delete user sessions but one", func(t *testing.T) {
		if err := db.DeleteUserSessions(ctx, "anne", hash("a3")); err != nil {
			t.Fatal(err)
		}
		if _, _, err := db.SessionByHash(ctx, hash("a1")); wiki.ErrorCode(err) != wiki.ENotFound {
			t.Error("a1 survived")
		}
		if _, _, err := db.SessionByHash(ctx, hash("a3")); err != nil {
			t.Errorf("kept session gone: %v", err)
		}
		if err := db.DeleteSession(ctx, hash("a3")); err != nil {
			t.Fatal(err)
		}
		if _, _, err := db.SessionByHash(ctx, hash("a3")); wiki.ErrorCode(err) != wiki.ENotFound {
			t.Error("a3 survived DeleteSession")
		}
	})
}
