package store

import (
	"context"
	"encoding/binary"

	"github.com/kdecole-club/clubwiki/wiki"
	bolt "go.etcd.io/bbolt"
)

func createVisits(tx *bolt.Tx) error {
	_, err := tx.CreateBucketIfNotExists(bucketVisits)
	return err
}

// visitKey is login 0x00 path: a member's visits are one prefix.
func visitKey(login string, p wiki.Path) []byte {
	k := make([]byte, 0, len(login)+1+len(p.String()))
	k = append(k, login...)
	k = append(k, 0)
	return append(k, p.String()...)
}

// PutVisits implements wiki.VisitStore.
func (db *DB) PutVisits(ctx context.Context, vs []wiki.Visit) error {
	for _, v := range vs {
		if v.Login == "" || v.Path.IsZero() || v.Rev < 1 {
			return wiki.Errorf(wiki.EInvalid, "a visit needs a login, a page and a revision")
		}
	}
	if len(vs) == 0 {
		return nil
	}
	return db.update(ctx, func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketVisits)
		for _, v := range vs {
			k := visitKey(v.Login, v.Path)
			old := b.Get(k)
			if len(old) == 4 && int(binary.BigEndian.Uint32(old)) >= v.Rev {
				continue
			}
			if old == nil { // a first visit: the page's visitors, for a move
				if err := tx.Bucket(bucketVisitors).Put(pairKey(v.Path.String(), v.Login), []byte{}); err != nil {
					return err
				}
			}
			if err := b.Put(k, binary.BigEndian.AppendUint32(nil, uint32(v.Rev))); err != nil {
				return err
			}
		}
		return nil
	})
}

// Visits implements wiki.VisitStore.
func (db *DB) Visits(ctx context.Context, login string, paths []wiki.Path) (map[wiki.Path]int, error) {
	out := make(map[wiki.Path]int, len(paths))
	if login == "" || len(paths) == 0 {
		return out, nil
	}
	err := db.view(ctx, func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketVisits)
		for _, p := range paths {
			v := b.Get(visitKey(login, p))
			if len(v) == 4 {
				out[p] = int(binary.BigEndian.Uint32(v))
			} else if v != nil {
				return damagef("the visit record of %s on %s has %d bytes, want 4", login, p, len(v))
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
