package wiki

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"strings"
	"time"
)

// FeedKey is a member's feed key: a secret a feed reader, which cannot
// sign in, puts in a feed's URL. It reads feeds only, as its owner; only
// the SHA-256 of the secret is stored.
type FeedKey struct {
	Login   string
	Hash    []byte
	Created time.Time
}

// feedKeyPrefix marks feed keys, apart from API tokens ("cw_"): a feed key
// is never taken for a token, nor a token for a feed key.
const feedKeyPrefix = "cwf_"

// NewFeedKey makes a new feed key for actor, replacing the one they had,
// and returns its secret, which is shown once.
func (s *Service) NewFeedKey(ctx context.Context, actor *User) (string, FeedKey, error) {
	if err := s.authorize(ctx, actor, ActRead, ""); err != nil {
		return "", FeedKey{}, err
	}
	raw := make([]byte, 32)
	rand.Read(raw)
	secret := feedKeyPrefix + base64.RawURLEncoding.EncodeToString(raw)
	sum := sha256.Sum256([]byte(secret))
	k := FeedKey{Login: actor.Login, Hash: sum[:], Created: s.cfg.Now().UTC()}
	if err := s.store.PutFeedKey(ctx, k); err != nil {
		return "", FeedKey{}, err
	}
	return secret, k, nil
}

// FeedKey returns actor's feed key (its hash and date, not its secret);
// ENotFound when they have none.
func (s *Service) FeedKey(ctx context.Context, actor *User) (FeedKey, error) {
	if err := s.authorize(ctx, actor, ActRead, ""); err != nil {
		return FeedKey{}, err
	}
	return s.store.FeedKey(ctx, actor.Login)
}

// RevokeFeedKey removes actor's feed key: feeds read with it answer 401.
func (s *Service) RevokeFeedKey(ctx context.Context, actor *User) error {
	if err := s.authorize(ctx, actor, ActRead, ""); err != nil {
		return err
	}
	return s.store.DeleteFeedKey(ctx, actor.Login)
}

// AuthenticateFeedKey returns the owner of a feed key secret. The key is
// looked up by the hash of the secret, so the lookup's time says nothing
// about how much of a guess was right.
func (s *Service) AuthenticateFeedKey(ctx context.Context, secret string) (User, error) {
	if !strings.HasPrefix(secret, feedKeyPrefix) || len(secret) > 200 {
		return User{}, Errorf(EUnauthenticated, "invalid feed key")
	}
	sum := sha256.Sum256([]byte(secret))
	k, u, err := s.store.FeedKeyByHash(ctx, sum[:])
	if ErrorCode(err) == ENotFound {
		return User{}, Errorf(EUnauthenticated, "invalid or revoked feed key")
	}
	if err != nil {
		return User{}, err
	}
	if subtle.ConstantTimeCompare(k.Hash, sum[:]) != 1 {
		return User{}, Errorf(EUnauthenticated, "invalid or revoked feed key")
	}
	if err := refuseDisabled(u); err != nil {
		return User{}, err
	}
	return u, nil
}
