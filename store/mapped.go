package store

import (
	bolt "go.etcd.io/bbolt"

	"github.com/kdecole-club/clubwiki/internal/mapped"
)

// ReleaseMapped drops the data file's pages from the process's resident
// memory. bbolt reads through a memory mapping, so every page a read ever
// touched (all of them, after the search index was rebuilt) stays counted
// as the server's memory; the kernel's page cache keeps them all the same,
// and the next read maps them again. The server calls it often
// (cmd/clubwiki's releaser): a lookup faults in its root, branch and leaf
// pages, and the kernel maps up to 64 KB of cached neighbours with each
// (fault-around), so under a load of reads the mapping is back to tens
// of megabytes within a tenth of a second.
//
// The first call goes through mapped.Release, which writes the file back
// and drops its large folios from the page cache; later ones advise the
// mapping's range directly, two system calls, cheap enough to run every
// few tens of milliseconds.
func (db *DB) ReleaseMapped() error {
	db.releaseMu.Lock()
	defer db.releaseMu.Unlock()
	if !db.released {
		// The first release writes the file back, outside the transaction.
		mapped.WriteBack(db.path)
	}
	// A read transaction keeps bbolt's mapping where it is: bbolt maps
	// the file again, elsewhere, only under a lock every open transaction
	// holds for reading.
	return db.bolt.View(func(tx *bolt.Tx) error {
		if db.released {
			return mapped.ReleaseRange(db.bolt.Info().Data, uintptr(tx.Size()))
		}
		if err := mapped.Release(db.path); err != nil {
			return err
		}
		db.released = true
		return nil
	})
}
