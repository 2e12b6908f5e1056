package store

import (
	"bytes"
	"context"

	"github.com/kdecole-club/clubwiki/wiki"
	bolt "go.etcd.io/bbolt"
)

// bucketTitles indexes live pages by title: wiki.TitleKey(title) 0x00 path
// → empty. A title whose key is empty, too long or holds a 0x00 is not
// indexed.
var bucketTitles = []byte("titles")

// maxTitleKeyBytes is the longest title key indexed: a wiki link's target
// is at most a few hundred bytes, so a longer title cannot be linked to.
const maxTitleKeyBytes = 1024

// titleEntry is the index key of the page p titled title, nil when the
// title is not indexed.
func titleEntry(title string, p wiki.Path) []byte {
	k := wiki.TitleKey(title)
	if k == "" || len(k) > maxTitleKeyBytes || bytes.IndexByte([]byte(k), 0) >= 0 {
		return nil
	}
	return pairKey(k, p.String())
}

// retitle replaces the index entry of p titled old (when it was live) by
// the one titled title (when it is live).
func retitle(tx *bolt.Tx, p wiki.Path, old string, wasLive bool, title string, live bool) error {
	b := tx.Bucket(bucketTitles)
	if k := titleEntry(old, p); wasLive && k != nil {
		if err := b.Delete(k); err != nil {
			return err
		}
	}
	if k := titleEntry(title, p); live && k != nil {
		return b.Put(k, []byte{})
	}
	return nil
}

// createTitles is migration 13: the title index of the live pages.
func createTitles(tx *bolt.Tx) error {
	b, err := tx.CreateBucketIfNotExists(bucketTitles)
	if err != nil {
		return err
	}
	return tx.Bucket(bucketPages).ForEach(func(k, v []byte) error {
		if !headLive(v) {
			return nil
		}
		h, err := decodeHead(k, v)
		if err != nil {
			return err
		}
		if e := titleEntry(h.Title, h.Path); e != nil {
			return b.Put(e, []byte{})
		}
		return nil
	})
}

// LinkTargets implements wiki.TitleIndex: one read transaction, a lookup
// per path and a short prefix scan per title.
func (db *DB) LinkTargets(ctx context.Context, paths []wiki.Path, titles []string) (wiki.LinkTargets, error) {
	out := wiki.LinkTargets{Live: make(map[wiki.Path]wiki.Head, len(paths)), ByTitle: map[string][]wiki.Head{}}
	err := db.view(ctx, func(tx *bolt.Tx) error {
		pages := tx.Bucket(bucketPages)
		for _, p := range paths {
			if v := pages.Get([]byte(p.String())); !p.IsZero() && headLive(v) {
				h, err := decodeHeadOf(p, v)
				if err != nil {
					return wiki.Internal(err, "reading a page head")
				}
				out.Live[p] = h
			}
		}
		for _, t := range titles {
			found, err := titledHeads(tx, t, wiki.MaxTitleMatches)
			if err != nil {
				return err
			}
			if len(found) > 0 {
				out.ByTitle[t] = found
			}
		}
		return nil
	})
	return out, err
}

// titled returns up to limit live pages whose title key is key, by path.
func titled(tx *bolt.Tx, key string, limit int) ([]wiki.Path, error) {
	if key == "" || len(key) > maxTitleKeyBytes {
		return nil, nil
	}
	var out []wiki.Path
	prefix := pairKey(key, "")
	c := tx.Bucket(bucketTitles).Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix) && len(out) < limit; k, _ = c.Next() {
		p, err := decodePath(k[len(prefix):])
		if err != nil {
			return nil, wiki.Internal(err, "reading the title index")
		}
		out = append(out, p)
	}
	return out, nil
}

// PagesTitled implements wiki.TitleIndex.
func (db *DB) PagesTitled(ctx context.Context, key string, limit int) ([]wiki.Head, error) {
	var out []wiki.Head
	err := db.view(ctx, func(tx *bolt.Tx) (err error) {
		out, err = titledHeads(tx, key, limit)
		return err
	})
	return out, err
}

// titledHeads is titled with the pages' heads.
func titledHeads(tx *bolt.Tx, key string, limit int) ([]wiki.Head, error) {
	paths, err := titled(tx, key, limit)
	if err != nil {
		return nil, err
	}
	out := make([]wiki.Head, 0, len(paths))
	for _, p := range paths {
		h, err := headTx(tx, p)
		if err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	return out, nil
}
