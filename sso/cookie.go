package sso

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
)

// pending is a sign-in under way, kept in the browser's cookie: sealed
// (encrypted and authenticated), so that the browser can neither read the
// PKCE verifier nor change the state, the nonce or where it goes next.
type pending struct {
	State    string `json:"s"`
	Nonce    string `json:"n"`
	Verifier string `json:"v"`
	Next     string `json:"x"`
	Expires  int64  `json:"e"` // Unix seconds
}

// sealer seals pending sign-ins with a key made at start: a restart only
// asks the sign-ins under way to start again.
type sealer struct{ aead cipher.AEAD }

func newSealer() (*sealer, error) {
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &sealer{aead: aead}, nil
}

func (s *sealer) seal(p pending) (string, error) {
	plain, err := json.Marshal(p)
	if err != nil {
		return "", err
	}
	nonce := make([]byte, s.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(s.aead.Seal(nonce, nonce, plain, nil)), nil
}

// maxCookie bounds the cookie read back.
const maxCookie = 2048

func (s *sealer) open(v string) (pending, error) {
	var p pending
	if v == "" {
		return p, errors.New("no sign-in under way in this browser")
	}
	b, err := base64.RawURLEncoding.Strict().DecodeString(v)
	if err != nil || len(v) > maxCookie || len(b) < s.aead.NonceSize() {
		return p, errors.New("malformed sign-in cookie")
	}
	n := s.aead.NonceSize()
	plain, err := s.aead.Open(nil, b[:n], b[n:], nil)
	if err != nil {
		return p, errors.New("the sign-in cookie was not made here")
	}
	if err := json.Unmarshal(plain, &p); err != nil {
		return p, errors.New("malformed sign-in cookie")
	}
	return p, nil
}

// random is 32 random bytes, URL-safe.
func random() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
