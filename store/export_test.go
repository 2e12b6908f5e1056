package store

import bolt "go.etcd.io/bbolt"

// MinSpacing and MaxSpacing expose the bounds of the snapshot spacing to the
// black-box tests, which check that no delta chain is longer.
const (
	MinSpacing = minSpacing
	MaxSpacing = maxSpacing
)

// Spacing is the snapshot spacing of a page of size bytes.
func Spacing(size int) int { return spacing(size) }

// BlobChunks counts the attachment chunks stored, pending uploads' too.
func (db *DB) BlobChunks() int {
	n := 0
	_ = db.bolt.View(func(tx *bolt.Tx) error {
		n = tx.Bucket(bucketFileBlobs).Stats().KeyN
		return nil
	})
	return n
}

// FilteredScanBound is the bound on a filtered Changes call in force.
func (db *DB) FilteredScanBound() int { return db.filteredScan }
