package store

import (
	"bytes"
	"context"

	"github.com/kdecole-club/clubwiki/wiki"
	bolt "go.etcd.io/bbolt"
)

// feedKeyRecord is a feed key; the hash of its secret is the key.
type feedKeyRecord struct {
	Login   string `json:"l"`
	Created int64  `json:"c"`
}

// createFeedKeys is the migration that creates the feed keys' buckets:
// by hash, which authentication looks up, and by owner, which finds a
// member's key to replace or revoke it.
func createFeedKeys(tx *bolt.Tx) error {
	for _, name := range [][]byte{bucketFeedKeys, bucketFeedOwners} {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return err
		}
	}
	return nil
}

// PutFeedKey implements wiki.Store. The owner must exist; their former key,
// if any, is removed in the same transaction.
func (db *DB) PutFeedKey(ctx context.Context, k wiki.FeedKey) error {
	if err := checkLogin(k.Login); err != nil {
		return err
	}
	if len(k.Hash) != feedHashLen {
		return wiki.Errorf(wiki.EInvalid, "a feed key needs a SHA-256 hash")
	}
	return db.update(ctx, func(tx *bolt.Tx) error {
		if _, err := userTx(tx, k.Login); err != nil {
			return err
		}
		b := tx.Bucket(bucketFeedKeys)
		if b.Get(k.Hash) != nil {
			return wiki.Errorf(wiki.EConflict, "this feed key exists")
		}
		if err := deleteFeedKeyTx(tx, k.Login); err != nil {
			return err
		}
		if k.Created.IsZero() {
			k.Created = db.now()
		}
		r := feedKeyRecord{Login: k.Login, Created: k.Created.UnixNano()}
		if err := b.Put(bytes.Clone(k.Hash), encodeJSON(r)); err != nil {
			return wiki.Internal(err, "writing a feed key")
		}
		return tx.Bucket(bucketFeedOwners).Put([]byte(k.Login), bytes.Clone(k.Hash))
	})
}

// feedHashLen is the length of a SHA-256 hash, the only length of key a
// lookup by hash reads.
const feedHashLen = 32

// FeedKeyByHash implements wiki.Store; the owner is read in the same
// transaction.
func (db *DB) FeedKeyByHash(ctx context.Context, hash []byte) (wiki.FeedKey, wiki.User, error) {
	var (
		k wiki.FeedKey
		u wiki.User
	)
	err := db.view(ctx, func(tx *bolt.Tx) error {
		if len(hash) != feedHashLen {
			return wiki.Errorf(wiki.ENotFound, "no such feed key")
		}
		r, err := feedKeyTx(tx.Bucket(bucketFeedKeys), hash)
		if err != nil {
			return err
		}
		k = wiki.FeedKey{Login: r.Login, Hash: bytes.Clone(hash), Created: fromNanos(r.Created)}
		u, err = userTx(tx, r.Login)
		return err
	})
	if err != nil {
		return wiki.FeedKey{}, wiki.User{}, err
	}
	return k, u, nil
}

// FeedKey implements wiki.Store.
func (db *DB) FeedKey(ctx context.Context, login string) (wiki.FeedKey, error) {
	var k wiki.FeedKey
	err := db.view(ctx, func(tx *bolt.Tx) error {
		var hash []byte
		if login != "" {
			hash = tx.Bucket(bucketFeedOwners).Get([]byte(login))
		}
		if hash == nil {
			return wiki.Errorf(wiki.ENotFound, "%s has no feed key", login)
		}
		r, err := feedKeyTx(tx.Bucket(bucketFeedKeys), hash)
		if err != nil {
			return err
		}
		k = wiki.FeedKey{Login: r.Login, Hash: bytes.Clone(hash), Created: fromNanos(r.Created)}
		return nil
	})
	return k, err
}

// DeleteFeedKey implements wiki.Store.
func (db *DB) DeleteFeedKey(ctx context.Context, login string) error {
	return db.update(ctx, func(tx *bolt.Tx) error {
		return deleteFeedKeyTx(tx, login)
	})
}

func feedKeyTx(b *bolt.Bucket, hash []byte) (feedKeyRecord, error) {
	var r feedKeyRecord
	v := b.Get(hash)
	if v == nil {
		return r, wiki.Errorf(wiki.ENotFound, "no such feed key")
	}
	if err := decodeJSON(v, &r); err != nil {
		return r, wiki.Internal(err, "reading a feed key")
	}
	return r, nil
}

// deleteFeedKeyTx removes login's key and its owner entry, if any.
func deleteFeedKeyTx(tx *bolt.Tx, login string) error {
	if login == "" {
		return nil
	}
	owners := tx.Bucket(bucketFeedOwners)
	if hash := owners.Get([]byte(login)); hash != nil {
		if err := tx.Bucket(bucketFeedKeys).Delete(bytes.Clone(hash)); err != nil {
			return wiki.Internal(err, "removing a feed key")
		}
	}
	return owners.Delete([]byte(login))
}
