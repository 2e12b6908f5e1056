package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"syscall"

	"github.com/kdecole-club/clubwiki/wiki"
	bolt "go.etcd.io/bbolt"
)

// keyStoreID is the meta key of the store's identity.
var keyStoreID = []byte("id")

// createStoreID gives the file its identity, once: a migration, so that a
// file made before identities existed gets one too. A hot backup copies
// the file, so a restored backup keeps it; another wiki has another one.
func createStoreID(tx *bolt.Tx) error {
	meta := tx.Bucket(bucketMeta)
	if meta.Get(keyStoreID) != nil {
		return nil
	}
	id := make([]byte, 16)
	if _, err := rand.Read(id); err != nil {
		return err
	}
	return meta.Put(keyStoreID, []byte(hex.EncodeToString(id)))
}

// StoreID returns the store's identity: derived data (the search index)
// records it to tell its own store from another one put in its place.
func (db *DB) StoreID(ctx context.Context) (string, error) {
	var id string
	err := db.view(ctx, func(tx *bolt.Tx) error {
		id = string(tx.Bucket(bucketMeta).Get(keyStoreID))
		if id == "" {
			return wiki.Internal(errors.New("no identity recorded"), fmt.Sprintf("reading the identity of %s", db.path))
		}
		return nil
	})
	return id, err
}

// storageFull returns the error of a write the disk had no room for (or
// that went over a quota), nil for any other error. bbolt rolls such a
// commit back, so nothing was saved and saving works again once space is
// freed.
func storageFull(err error) error {
	if !errors.Is(err, syscall.ENOSPC) && !errors.Is(err, syscall.EDQUOT) {
		return nil
	}
	return &wiki.Error{
		Code:    wiki.EStorageFull,
		Message: "the disk holding the wiki's data is full: nothing was saved; save again once space has been freed",
		Err:     err,
	}
}
