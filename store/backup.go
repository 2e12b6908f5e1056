package store

import (
	"context"
	"io"

	bolt "go.etcd.io/bbolt"
)

// Backup writes a consistent copy of the whole file to w while the wiki keeps
// serving: a read transaction sees one snapshot and writers are not blocked.
// It returns the number of bytes written. ctx is checked before the copy
// starts; once it runs, only a failing w stops it (a client that went away).
func (db *DB) Backup(ctx context.Context, w io.Writer) (int64, error) {
	var n int64
	err := db.view(ctx, func(tx *bolt.Tx) (err error) {
		n, err = tx.WriteTo(w)
		return err
	})
	return n, err
}
