package wiki_test

import (
	"sync/atomic"
	"testing"
	"time"

	"github.com/kdecole-club/clubwiki/wiki"
)

func TestService_Sessions(t *testing.T) {
	var now atomic.Int64
	now.Store(time.Date(2026, 9, 1, 8, 0, 0, 0, time.UTC).UnixNano())
	clock := func() time.Time { return time.Unix(0, now.Load()).UTC() }
	f := newFixture(t, wiki.Config{Now: clock, SessionTTL: time.Hour})

	if _, _, err := f.svc.Login(f.ctx, "camille", "pas le bon mot de passe"); wiki.ErrorCode(err) != wiki.EUnauthenticated {
		t.Fatalf("bad password: %v", err)
	}
	secret, u, err := f.svc.Login(f.ctx, "Camille", "un mot de passe long")
	if err != nil || u.Login != "camille" || len(secret) < 40 {
		t.Fatalf("Login = %q %+v %v", secret, u, err)
	}
	other, _, _ := f.svc.Login(f.ctx, "camille", "un mot de passe long")
	if got, _, err := f.svc.SessionUser(f.ctx, secret); err != nil || got.Login != "camille" {
		t.Fatalf("SessionUser = %+v %v", got, err)
	}
	t.Run("password change ends other sessions", func(t *testing.T) {
		if err := f.svc.ChangePassword(f.ctx, &u, "mauvais", "nouveau mot de passe", secret); wiki.ErrorCode(err) != wiki.EInvalid {
			t.Errorf("wrong old password: %v", err)
		}
		if err := f.svc.ChangePassword(f.ctx, &u, "un mot de passe long", "nouveau mot de passe", secret); err != nil {
			t.Fatal(err)
		}
		if _, _, err := f.svc.SessionUser(f.ctx, other); wiki.ErrorCode(err) != wiki.EUnauthenticated {
			t.Errorf("other session survived a password change: %v", err)
		}
		if _, _, err := f.svc.SessionUser(f.ctx, secret); err != nil {
			t.Errorf("current session ended: %v", err)
		}
		if _, err := f.svc.Authenticate(f.ctx, "camille", "nouveau mot de passe"); err != nil {
			t.Errorf("new password refused: %v", err)
		}
	})
	t.Run("expiry", func(t *testing.T) {
		now.Add(int64(time.Hour))
		if _, _, err := f.svc.SessionUser(f.ctx, secret); wiki.ErrorCode(err) != wiki.EUnauthenticated {
			t.Errorf("expired session accepted: %v", err)
		}
	})
	t.Run("logout", func(t *testing.T) {
		s2, _, _ := f.svc.Login(f.ctx, "camille", "nouveau mot de passe")
		if err := f.svc.Logout(f.ctx, s2); err != nil {
			t.Fatal(err)
		}
		if _, _, err := f.svc.SessionUser(f.ctx, s2); wiki.ErrorCode(err) != wiki.EUnauthenticated {
			t.Errorf("session works after logout: %v", err)
		}
	})
}

func TestService_SaveWakesWatch(t *testing.T) {
	f := newFixture(t, wiki.Config{})
	ch := f.db.Watch(f.ctx)
	select {
	case <-ch:
		t.Fatal("signal before any commit")
	default:
	}
	f.save(t, "club/reunion", "Compte rendu.\n", 0)
	select {
	case <-ch:
	case <-time.After(time.Second):
		t.Fatal("no signal after a commit")
	}
}
