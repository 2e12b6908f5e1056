package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/kdecole-club/clubwiki/wiki"
)

// testTokens covers API tokens: found by hash with their owner, listed per
// user oldest first, unique, deleted only by their owner.
func testTokens(t *testing.T, open func(t *testing.T) wiki.Store) {
	ctx := context.Background()
	s := open(t)
	addUsers(t, s, "alice", "alice2")
	day := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, tok := range []wiki.Token{
		{ID: "t2", Login: "alice", Label: "script", Hash: hash("s2"), Created: day.Add(time.Hour)},
		{ID: "t1", Login: "alice", Label: "connecteur", Hash: hash("s1"), Created: day},
		{ID: "t1", Login: "alice2", Hash: hash("s3"), Created: day},
	} {
		if err := s.CreateToken(ctx, tok); err != nil {
			t.Fatal(err)
		}
	}
	t.Run("by hash with owner", func(t *testing.T) {
		tok, u, err := s.TokenByHash(ctx, hash("s2"))
		if err != nil || tok.ID != "t2" || tok.Login != "alice" || tok.Label != "script" || u.Login != "alice" || u.Role != wiki.RoleEditor || !tok.Created.Equal(day.Add(time.Hour)) {
			t.Fatalf("TokenByHash = %+v, %+v, %v", tok, u, err)
		}
		_, _, err = s.TokenByHash(ctx, hash("nope"))
		wantCode(t, err, wiki.ENotFound)
		_, _, err = s.TokenByHash(ctx, nil)
		wantCode(t, err, wiki.ENotFound)
	})
	t.Run("list per user, oldest first", func(t *testing.T) {
		got, err := s.Tokens(ctx, "alice")
		if err != nil || len(got) != 2 || got[0].ID != "t1" || got[1].ID != "t2" || got[0].Label != "connecteur" {
			t.Fatalf("Tokens = %+v, %v", got, err)
		}
		if got, err := s.Tokens(ctx, "personne"); err != nil || len(got) != 0 {
			t.Fatalf("Tokens(personne) = %+v, %v", got, err)
		}
	})
	t.Run("a zero creation time is set", func(t *testing.T) {
		if err := s.CreateToken(ctx, wiki.Token{ID: "t3", Login: "alice2", Hash: hash("s4")}); err != nil {
			t.Fatal(err)
		}
		if tok, _, err := s.TokenByHash(ctx, hash("s4")); err != nil || tok.Created.IsZero() {
			t.Fatalf("TokenByHash = %+v, %v", tok, err)
		}
	})
	t.Run("duplicates and unknown owner", func(t *testing.T) {
		wantCode(t, s.CreateToken(ctx, wiki.Token{ID: "t9", Login: "alice", Hash: hash("s1")}), wiki.EConflict)
		wantCode(t, s.CreateToken(ctx, wiki.Token{ID: "t1", Login: "alice", Hash: hash("s9")}), wiki.EConflict)
		wantCode(t, s.CreateToken(ctx, wiki.Token{ID: "t1", Login: "carole", Hash: hash("s9")}), wiki.ENotFound)
		wantCode(t, s.CreateToken(ctx, wiki.Token{ID: "t1", Login: "alice"}), wiki.EInvalid)
		if _, _, err := s.TokenByHash(ctx, hash("s9")); wiki.ErrorCode(err) != wiki.ENotFound {
			t.Fatalf("a refused token was stored: %v", err)
		}
	})
	testDeleteToken(t, s)
}

func testDeleteToken(t *testing.T, s wiki.SessionStore) {
	ctx := context.Background()
	t.Run("delete", func(t *testing.T) {
		if err := s.DeleteToken(ctx, "alice", "t1"); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.TokenByHash(ctx, hash("s1")); wiki.ErrorCode(err) != wiki.ENotFound {
			t.Fatalf("deleted token still found: %v", err)
		}
		if got, err := s.Tokens(ctx, "alice"); err != nil || len(got) != 1 || got[0].ID != "t2" {
			t.Fatalf("Tokens = %+v, %v", got, err)
		}
		if other, err := s.Tokens(ctx, "alice2"); err != nil || len(other) != 2 {
			t.Fatalf("alice2's tokens = %+v, %v", other, err)
		}
	})
	t.Run("delete only one's own", func(t *testing.T) {
		wantCode(t, s.DeleteToken(ctx, "alice", "t1"), wiki.ENotFound)
		wantCode(t, s.DeleteToken(ctx, "alice2", "t2"), wiki.ENotFound)
		wantCode(t, s.DeleteToken(ctx, "", "t2"), wiki.ENotFound)
		if _, _, err := s.TokenByHash(ctx, hash("s2")); err != nil {
			t.Fatalf("alice's t2 went: %v", err)
		}
	})
}

// testSessions covers web sessions: found by hash with their user,
// deleted one by one, all but one of a user, or when expired.
func testSessions(t *testing.T, open func(t *testing.T) wiki.Store) {
	ctx := context.Background()
	s := open(t)
	addUsers(t, s, "anne", "bruno")
	now := time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)
	for _, se := range []wiki.Session{
		{Hash: hash("a1"), Login: "anne", Created: now, Expires: now.Add(time.Hour)},
		{Hash: hash("a2"), Login: "anne", Created: now, Expires: now.Add(-time.Hour)},
		{Hash: hash("a3"), Login: "anne", Created: now, Expires: now.Add(2 * time.Hour)},
		{Hash: hash("a4"), Login: "anne", Created: now, Expires: now.Add(3 * time.Hour)},
		{Hash: hash("b1"), Login: "bruno", Created: now, Expires: now.Add(-time.Minute)},
		{Hash: hash("b2"), Login: "bruno", Created: now, Expires: now.Add(time.Minute)},
	} {
		if err := s.CreateSession(ctx, se); err != nil {
			t.Fatal(err)
		}
	}
	t.Run("unknown user refused", func(t *testing.T) {
		wantCode(t, s.CreateSession(ctx, wiki.Session{Hash: hash("x"), Login: "personne", Expires: now}), wiki.ENotFound)
		gone(t, s, "x")
	})
	t.Run("by hash with user, expired ones too", func(t *testing.T) {
		se, u, err := s.SessionByHash(ctx, hash("a2"))
		if err != nil || se.Login != "anne" || u.Login != "anne" || u.Role != wiki.RoleEditor ||
			!se.Created.Equal(now) || !se.Expires.Equal(now.Add(-time.Hour)) {
			t.Fatalf("SessionByHash = %+v %+v %v", se, u, err)
		}
		gone(t, s, "zz")
		_, _, err = s.SessionByHash(ctx, nil)
		wantCode(t, err, wiki.ENotFound)
	})
	testSessionDeletes(t, s, now)
}

// testSessionDeletes removes the sessions testSessions made, in the ways a
// sign-out, a password change and the periodic purge do.
func testSessionDeletes(t *testing.T, s wiki.SessionStore, now time.Time) {
	ctx := context.Background()
	t.Run("purge expired", func(t *testing.T) {
		n, err := s.PurgeSessions(ctx, now)
		if err != nil || n != 2 {
			t.Fatalf("PurgeSessions = %d, %v; want 2", n, err)
		}
		gone(t, s, "a2", "b1")
		kept(t, s, "a1", "a3", "a4", "b2")
		if n, err := s.PurgeSessions(ctx, now); err != nil || n != 0 {
			t.Fatalf("second PurgeSessions = %d, %v; want 0", n, err)
		}
	})
	t.Run("delete user sessions but one", func(t *testing.T) {
		if err := s.DeleteUserSessions(ctx, "anne", hash("a3")); err != nil {
			t.Fatal(err)
		}
		gone(t, s, "a1", "a4")
		kept(t, s, "a3", "b2")
	})
	t.Run("delete one session, twice", func(t *testing.T) {
		for range 2 {
			if err := s.DeleteSession(ctx, hash("a3")); err != nil {
				t.Fatal(err)
			}
		}
		gone(t, s, "a3")
		kept(t, s, "b2")
	})
	t.Run("delete every session of a user", func(t *testing.T) {
		if err := s.DeleteUserSessions(ctx, "bruno", nil); err != nil {
			t.Fatal(err)
		}
		gone(t, s, "b2")
	})
}

// gone fails unless the sessions with those secrets are not found.
func gone(t *testing.T, s wiki.SessionStore, secrets ...string) {
	t.Helper()
	for _, sec := range secrets {
		if _, _, err := s.SessionByHash(context.Background(), hash(sec)); wiki.ErrorCode(err) != wiki.ENotFound {
			t.Errorf("session %s: %v, want not found", sec, err)
		}
	}
}

// kept fails unless the sessions with those secrets are still there.
func kept(t *testing.T, s wiki.SessionStore, secrets ...string) {
	t.Helper()
	for _, sec := range secrets {
		if _, _, err := s.SessionByHash(context.Background(), hash(sec)); err != nil {
			t.Errorf("session %s: %v, want kept", sec, err)
		}
	}
}
