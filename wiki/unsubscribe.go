package wiki

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/url"
)

// unsubscribeSig signs login with the store's mail secret: only the wiki
// can make the link, and one member's link says nothing of another's.
func (s *Service) unsubscribeSig(ctx context.Context, login string) (string, error) {
	secret, err := s.store.MailSecret(ctx)
	if err != nil {
		return "", err
	}
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte("unsubscribe\x00" + login))
	return base64.RawURLEncoding.EncodeToString(mac.Sum(nil)), nil
}

// UnsubscribeURL returns the one-click link that turns login's mail off,
// under base (the wiki's address).
func (s *Service) UnsubscribeURL(ctx context.Context, base, login string) (string, error) {
	sig, err := s.unsubscribeSig(ctx, login)
	if err != nil {
		return "", err
	}
	return base + "/unsubscribe?" + url.Values{"u": {login}, "s": {sig}}.Encode(), nil
}

// CheckUnsubscribe reports whether sig is the signature of login's
// unsubscribe link, without changing anything: the link's page asks for a
// click first, so that a mail scanner opening links turns nothing off.
func (s *Service) CheckUnsubscribe(ctx context.Context, login, sig string) error {
	bad := Errorf(EUnauthenticated, "this unsubscribe link is not valid")
	if login == "" || len(login) > 64 || len(sig) > 100 {
		return bad
	}
	want, err := s.unsubscribeSig(ctx, login)
	if err != nil {
		return err
	}
	if !hmac.Equal([]byte(sig), []byte(want)) {
		return bad
	}
	if _, err := s.store.User(ctx, login); ErrorCode(err) == ENotFound {
		return bad
	} else if err != nil {
		return err
	}
	return nil
}

// Unsubscribe turns login's notifications off when sig is their link's
// signature; it needs no sign-in, the signature is the proof. Any wrong
// or forged link is the same EUnauthenticated error.
func (s *Service) Unsubscribe(ctx context.Context, login, sig string) error {
	if err := s.CheckUnsubscribe(ctx, login, sig); err != nil {
		return err
	}
	n, err := s.store.NotifySettings(ctx, login)
	if err != nil {
		return err
	}
	n.Mode = NotifyOff
	return s.store.PutNotifySettings(ctx, login, n)
}
