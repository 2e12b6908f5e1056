package store

import (
	"context"

	"github.com/kdecole-club/clubwiki/wiki"
	bolt "go.etcd.io/bbolt"
)

// Buckets of the reviewed marks and the members' preferences.
var (
	bucketReviews = []byte("reviews") // path 0x00 BE uint32 rev (revKey) → reviewRecord
	bucketPrefs   = []byte("prefs")   // login → prefsRecord
)

// createReviews is migration 5.
func createReviews(tx *bolt.Tx) error {
	for _, name := range [][]byte{bucketReviews, bucketPrefs} {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return err
		}
	}
	return nil
}

type reviewRecord struct {
	By   string `json:"b"`
	Time int64  `json:"t"` // Unix nanoseconds
}

// MarkReviewed implements wiki.ReviewStore: the first mark of a revision
// stands; its log entry is written with it.
func (db *DB) MarkReviewed(ctx context.Context, r wiki.Review) (wiki.Review, bool, error) {
	var (
		out   wiki.Review
		added bool
	)
	err := db.update(ctx, func(tx *bolt.Tx) error {
		if _, _, err := db.revisionTx(tx, r.Path, r.Rev, false); err != nil {
			return err
		}
		b := tx.Bucket(bucketReviews)
		key := revKey(r.Path, r.Rev)
		if v := b.Get(key); v != nil {
			var err error
			out, err = decodeReview(r.Path, r.Rev, v)
			return err
		}
		ch, err := db.appendEvent(tx, wiki.Change{Kind: wiki.KindReview, Path: r.Path, Rev: r.Rev, Author: r.By}, false)
		if err != nil {
			return err
		}
		out = wiki.Review{Path: r.Path, Rev: r.Rev, By: r.By, Time: ch.Time}
		added = true
		return b.Put(key, encodeJSON(reviewRecord{By: r.By, Time: ch.Time.UnixNano()}))
	})
	if err != nil {
		return wiki.Review{}, false, err
	}
	return out, added, nil
}

// Reviews implements wiki.ReviewStore: one read transaction, one lookup per
// key.
func (db *DB) Reviews(ctx context.Context, keys []wiki.RevisionKey) (map[wiki.RevisionKey]wiki.Review, error) {
	out := make(map[wiki.RevisionKey]wiki.Review)
	err := db.view(ctx, func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketReviews)
		for _, k := range keys {
			if k.Path.IsZero() || k.Rev <= 0 || k.Rev > 1<<32-1 {
				continue
			}
			v := b.Get(revKey(k.Path, k.Rev))
			if v == nil {
				continue
			}
			r, err := decodeReview(k.Path, k.Rev, v)
			if err != nil {
				return err
			}
			out[k] = r
		}
		return nil
	})
	return out, err
}

// reviewed reports whether revision rev of p has a mark, inside tx.
func reviewed(tx *bolt.Tx, p wiki.Path, rev int) bool {
	return rev > 0 && rev <= 1<<32-1 && tx.Bucket(bucketReviews).Get(revKey(p, rev)) != nil
}

func decodeReview(p wiki.Path, rev int, v []byte) (wiki.Review, error) {
	var rec reviewRecord
	if err := decodeJSON(v, &rec); err != nil {
		return wiki.Review{}, wiki.Internal(err, "reading a reviewed mark")
	}
	return wiki.Review{Path: p, Rev: rev, By: rec.By, Time: fromNanos(rec.Time)}, nil
}

type prefsRecord struct {
	HideMinor   bool `json:"hm,omitempty"`
	HideImports bool `json:"hi,omitempty"`
	HideMine    bool `json:"ho,omitempty"`
	Unreviewed  bool `json:"u,omitempty"`
}

// Prefs implements wiki.PrefStore.
func (db *DB) Prefs(ctx context.Context, login string) (wiki.Prefs, error) {
	var rec prefsRecord
	err := db.view(ctx, func(tx *bolt.Tx) error {
		if v := tx.Bucket(bucketPrefs).Get([]byte(login)); v != nil && login != "" {
			if err := decodeJSON(v, &rec); err != nil {
				return wiki.Internal(err, "reading a member's preferences")
			}
		}
		return nil
	})
	return wiki.Prefs{Changes: wiki.ChangeFilters(rec)}, err
}

// PutPrefs implements wiki.PrefStore. Preferences are not a change of the
// wiki: no log entry.
func (db *DB) PutPrefs(ctx context.Context, login string, p wiki.Prefs) error {
	if login == "" {
		return wiki.Errorf(wiki.EInvalid, "preferences need a member")
	}
	return db.update(ctx, func(tx *bolt.Tx) error {
		if tx.Bucket(bucketUsers).Get([]byte(login)) == nil {
			return wiki.Errorf(wiki.ENotFound, "no user %q", login)
		}
		return tx.Bucket(bucketPrefs).Put([]byte(login), encodeJSON(prefsRecord(p.Changes)))
	})
}

// UserNames implements wiki.UserStore: one read transaction.
func (db *DB) UserNames(ctx context.Context, logins []string) (map[string]string, error) {
	out := make(map[string]string, len(logins))
	err := db.view(ctx, func(tx *bolt.Tx) error {
		for _, l := range logins {
			if _, done := out[l]; done || l == "" {
				continue
			}
			if u, err := userTx(tx, l); err == nil {
				out[l] = u.Name
			} else if wiki.ErrorCode(err) != wiki.ENotFound {
				return err
			}
		}
		return nil
	})
	return out, err
}
