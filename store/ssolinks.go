package store

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/kdecole-club/clubwiki/wiki"
	bolt "go.etcd.io/bbolt"
)

// bucketSSOLinks links an identity provider's subject to a member:
// issuer 0x00 subject → login. The subject never changes at the provider,
// where the user name may: the link keeps finding the same member.
var bucketSSOLinks = []byte("ssolinks")

// createSSOLinks is the migration that creates the links' bucket.
func createSSOLinks(tx *bolt.Tx) error {
	_, err := tx.CreateBucketIfNotExists(bucketSSOLinks)
	return err
}

// maxSSOPart bounds an issuer or a subject (OpenID Connect: a subject is at
// most 255 ASCII characters; an issuer is a URL).
const maxSSOPart = 1024

// ssoKey is the key of a link, or EInvalid for a part that is empty, too
// long, not UTF-8 or holds the separator.
func ssoKey(issuer, subject string) ([]byte, error) {
	for _, p := range []string{issuer, subject} {
		if p == "" || len(p) > maxSSOPart || !utf8.ValidString(p) || strings.IndexByte(p, 0) >= 0 {
			return nil, wiki.Errorf(wiki.EInvalid, "invalid identity issuer or subject")
		}
	}
	return []byte(issuer + "\x00" + subject), nil
}

// SSOLogin implements wiki.Store.
func (db *DB) SSOLogin(ctx context.Context, issuer, subject string) (string, error) {
	key, err := ssoKey(issuer, subject)
	if err != nil {
		return "", err
	}
	var login string
	err = db.view(ctx, func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketSSOLinks).Get(key)
		if v == nil {
			return wiki.Errorf(wiki.ENotFound, "no member is linked to this identity")
		}
		login = string(v)
		return nil
	})
	return login, err
}

// CreateSSOUser implements wiki.Store: the member and the link in one
// transaction, so that two first sign-ins at once make one member.
func (db *DB) CreateSSOUser(ctx context.Context, u wiki.User, issuer, subject string) error {
	key, err := ssoKey(issuer, subject)
	if err == nil {
		err = checkLogin(u.Login)
	}
	if err != nil {
		return err
	}
	return db.update(ctx, func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketSSOLinks)
		if b.Get(key) != nil {
			return wiki.Errorf(wiki.EConflict, "this identity is linked to a member already")
		}
		if err := db.createUserTx(tx, u); err != nil {
			return err
		}
		return b.Put(key, []byte(u.Login))
	})
}

// LinkSSO implements wiki.Store.
func (db *DB) LinkSSO(ctx context.Context, issuer, subject, login string) error {
	key, err := ssoKey(issuer, subject)
	if err != nil {
		return err
	}
	return db.update(ctx, func(tx *bolt.Tx) error {
		if _, err := userTx(tx, login); err != nil {
			return err
		}
		b := tx.Bucket(bucketSSOLinks)
		if v := b.Get(key); v != nil && string(v) != login {
			return wiki.Errorf(wiki.EConflict, "this identity is linked to another member")
		}
		return b.Put(key, []byte(login))
	})
}
