package store

import (
	"bytes"

	"github.com/kdecole-club/clubwiki/wiki"
	bolt "go.etcd.io/bbolt"
)

// orphanFilesAt refuses a move to a path that has attachments but no page
// (uploaded from the editor of a page never saved): the moved page's
// attachments would be mixed with them.
func orphanFilesAt(tx *bolt.Tx, to wiki.Path) error {
	prefix := pairKey(to.String(), "")
	if k, _ := tx.Bucket(bucketFileRevs).Cursor().Seek(prefix); k != nil && bytes.HasPrefix(k, prefix) {
		return wiki.Errorf(wiki.EExists, "attachments were uploaded at %s for a page never saved: delete them, or choose another path", to)
	}
	return nil
}
