package store

import (
	bolt "go.etcd.io/bbolt"

	"github.com/kdecole-club/clubwiki/internal/mapped"
)

// ReleaseMapped drops the data file's pages from the process's resident
// memory. bbolt reads through a memory mapping, so every page a read ever
// touched (all of them, after the search index was rebuilt) stays counted
// as the server's memory; the kernel's page cache keeps them all the same,
// and the next read maps them again. The server calls it from time to
// time (cmd/clubwiki's releaser).
func (db *DB) ReleaseMapped() error {
	// The first release writes the file back, outside the transaction.
	mapped.WriteBack(db.path)
	// A read transaction keeps bbolt's mapping where it is: bbolt maps
	// the file again, elsewhere, only under a lock every open transaction
	// holds for reading.
	return db.bolt.View(func(*bolt.Tx) error { return mapped.Release(db.path) })
}
