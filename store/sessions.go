package store

import (
	"bytes"
	"context"
	"time"

	"github.com/kdecole-club/clubwiki/wiki"
	bolt "go.etcd.io/bbolt"
)

// sessionRecord is a web session; the hash of its secret is the key.
type sessionRecord struct {
	Login   string `json:"l"`
	Created int64  `json:"c"`
	Expires int64  `json:"x"`
}

// CreateSession implements wiki.Store. The user must exist.
func (db *DB) CreateSession(ctx context.Context, s wiki.Session) error {
	if len(s.Hash) == 0 || s.Login == "" {
		return wiki.Errorf(wiki.EInvalid, "a session needs a hash and a login")
	}
	return db.update(ctx, func(tx *bolt.Tx) error {
		if _, err := userTx(tx, s.Login); err != nil {
			return err
		}
		r := sessionRecord{Login: s.Login, Created: s.Created.UnixNano(), Expires: s.Expires.UnixNano()}
		return tx.Bucket(bucketSessions).Put(bytes.Clone(s.Hash), encodeJSON(r))
	})
}

// SessionByHash implements wiki.Store. Expired sessions are still returned:
// the use case decides, with its own clock.
func (db *DB) SessionByHash(ctx context.Context, hash []byte) (wiki.Session, wiki.User, error) {
	var (
		s wiki.Session
		u wiki.User
	)
	err := db.view(ctx, func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketSessions).Get(hash)
		if len(hash) == 0 || v == nil {
			return wiki.Errorf(wiki.ENotFound, "no such session")
		}
		var r sessionRecord
		if err := decodeJSON(v, &r); err != nil {
			return wiki.Internal(err, "reading a session")
		}
		s = wiki.Session{Hash: bytes.Clone(hash), Login: r.Login, Created: fromNanos(r.Created), Expires: fromNanos(r.Expires)}
		var err error
		u, err = userTx(tx, r.Login)
		return err
	})
	if err != nil {
		return wiki.Session{}, wiki.User{}, err
	}
	return s, u, nil
}

// DeleteSession implements wiki.Store.
func (db *DB) DeleteSession(ctx context.Context, hash []byte) error {
	if len(hash) == 0 {
		return nil
	}
	return db.update(ctx, func(tx *bolt.Tx) error {
		return tx.Bucket(bucketSessions).Delete(hash)
	})
}

// DeleteUserSessions implements wiki.Store. It scans every session: there
// are few (one per signed-in browser) and this runs on password changes only.
func (db *DB) DeleteUserSessions(ctx context.Context, login string, keep []byte) error {
	return db.deleteSessions(ctx, func(k []byte, r sessionRecord) bool {
		return r.Login == login && !bytes.Equal(k, keep)
	}, nil)
}

// PurgeSessions implements wiki.Store.
func (db *DB) PurgeSessions(ctx context.Context, t time.Time) (int, error) {
	n := 0
	err := db.deleteSessions(ctx, func(_ []byte, r sessionRecord) bool {
		return r.Expires < t.UnixNano()
	}, &n)
	return n, err
}

func (db *DB) deleteSessions(ctx context.Context, match func([]byte, sessionRecord) bool, count *int) error {
	return db.update(ctx, func(tx *bolt.Tx) error { return deleteSessionsTx(tx, match, count) })
}

// deleteSessionsTx deletes in tx the sessions that match.
func deleteSessionsTx(tx *bolt.Tx, match func([]byte, sessionRecord) bool, count *int) error {
	c := tx.Bucket(bucketSessions).Cursor()
	for k, v := c.First(); k != nil; {
		var r sessionRecord
		if err := decodeJSON(v, &r); err != nil {
			return wiki.Internal(err, "reading a session")
		}
		if !match(k, r) {
			k, v = c.Next()
			continue
		}
		// After a Delete, Next may skip an item: seek past the
		// deleted key instead (a copy: k points into the page).
		next := bytes.Clone(k)
		if err := c.Delete(); err != nil {
			return err
		}
		if count != nil {
			*count++
		}
		k, v = c.Seek(next)
	}
	return nil
}
