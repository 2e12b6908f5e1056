package wiki

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"time"
)

// DefaultSessionTTL is how long a web session lasts without signing in again.
const DefaultSessionTTL = 14 * 24 * time.Hour

// Login checks a login and password and opens a web session. It returns the
// session secret for the cookie; only its hash is stored.
func (s *Service) Login(ctx context.Context, login, password string) (string, User, error) {
	u, err := s.Authenticate(ctx, login, password)
	if err != nil {
		return "", User{}, err
	}
	secret, err := s.openSession(ctx, u)
	if err != nil {
		return "", User{}, err
	}
	return secret, u, nil
}

// openSession stores a new session of u and returns its secret.
func (s *Service) openSession(ctx context.Context, u User) (string, error) {
	raw := make([]byte, 32)
	rand.Read(raw)
	secret := base64.RawURLEncoding.EncodeToString(raw)
	now := s.cfg.Now().UTC()
	sum := sha256.Sum256([]byte(secret))
	if err := s.store.CreateSession(ctx, Session{Hash: sum[:], Login: u.Login, Created: now, Expires: now.Add(s.sessionTTL())}); err != nil {
		return "", err
	}
	return secret, nil
}

func (s *Service) sessionTTL() time.Duration {
	if s.cfg.SessionTTL > 0 {
		return s.cfg.SessionTTL
	}
	return DefaultSessionTTL
}

// SessionUser returns the user of a session secret. An unknown or expired
// session is EUnauthenticated (and an expired one is removed).
func (s *Service) SessionUser(ctx context.Context, secret string) (User, Session, error) {
	if secret == "" || len(secret) > 200 {
		return User{}, Session{}, Errorf(EUnauthenticated, "not signed in")
	}
	sum := sha256.Sum256([]byte(secret))
	sess, u, err := s.store.SessionByHash(ctx, sum[:])
	if ErrorCode(err) == ENotFound {
		return User{}, Session{}, Errorf(EUnauthenticated, "your session has ended; sign in again")
	}
	if err != nil {
		return User{}, Session{}, err
	}
	if !s.cfg.Now().Before(sess.Expires) {
		_ = s.store.DeleteSession(ctx, sum[:])
		return User{}, Session{}, Errorf(EUnauthenticated, "your session has expired; sign in again")
	}
	if err := refuseDisabled(u); err != nil {
		return User{}, Session{}, err
	}
	return u, sess, nil
}

// Logout ends a session.
func (s *Service) Logout(ctx context.Context, secret string) error {
	sum := sha256.Sum256([]byte(secret))
	return s.store.DeleteSession(ctx, sum[:])
}

// PurgeSessions removes expired sessions, and the tickets expired for a
// month (until then their links say they expired, not that they are
// unknown); the server calls it now and then.
func (s *Service) PurgeSessions(ctx context.Context) (int, error) {
	n, err := s.store.PurgeSessions(ctx, s.cfg.Now())
	if err == nil {
		_, err = s.store.PurgeTickets(ctx, s.cfg.Now().Add(-30*24*time.Hour))
	}
	return n, err
}

// ChangePassword lets a signed-in user change their own password. Every
// other session of the user ends; keepSecret (the current session, may be
// "") stays open.
func (s *Service) ChangePassword(ctx context.Context, actor *User, old, password, keepSecret string) error {
	if actor == nil {
		return Errorf(EUnauthenticated, "sign in to change your password")
	}
	// The new password's rules come first: a refusal of them says nothing
	// about the current password and costs no bcrypt.
	if err := checkPassword(password); err != nil {
		return err
	}
	if _, err := s.Authenticate(ctx, actor.Login, old); err != nil {
		return Errorf(EInvalid, "the current password is wrong").Because(ReasonPasswordWrong)
	}
	if err := s.SetPassword(ctx, actor.Login, password); err != nil {
		return err
	}
	var keep []byte
	if keepSecret != "" {
		sum := sha256.Sum256([]byte(keepSecret))
		keep = sum[:]
	}
	return s.store.DeleteUserSessions(ctx, actor.Login, keep)
}
