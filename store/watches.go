package store

import (
	"bytes"
	"context"
	"encoding/binary"
	"time"

	"github.com/kdecole-club/clubwiki/wiki"
	bolt "go.etcd.io/bbolt"
)

func createWatches(tx *bolt.Tx) error {
	_, err := tx.CreateBucketIfNotExists(bucketWatches)
	return err
}

// Kinds of keys under a member's prefix in bucketWatches: 'n' sorts before
// 'p', so namespaces come first.
const (
	watchNS       = 'n'
	watchPage     = 'p'
	watchSettings = 's'
	watchChanged  = 't' // when what the member watches last changed
)

func watchPrefix(login string) []byte {
	return append([]byte(login), 0)
}

func watchKey(login string, w wiki.Watched) ([]byte, error) {
	k := watchPrefix(login)
	switch {
	case login == "":
	case !w.Path.IsZero() && w.Namespace == "":
		return append(append(k, watchPage), w.Path.String()...), nil
	case w.Path.IsZero() && w.Namespace != "":
		return append(append(k, watchNS), w.Namespace...), nil
	}
	return nil, wiki.Errorf(wiki.EInvalid, "a watch needs a login and a page or a namespace")
}

// PutWatch implements wiki.WatchStore.
func (db *DB) PutWatch(ctx context.Context, login string, w wiki.Watched, on bool) error {
	k, err := watchKey(login, w)
	if err != nil {
		return err
	}
	return db.update(ctx, func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketWatches)
		if (b.Get(k) != nil) == on {
			return nil // already so: nothing changed
		}
		if !w.Path.IsZero() {
			// The page's watchers, for a move to take with it.
			rk := pairKey(w.Path.String(), login)
			if err := putOrDelete(tx.Bucket(bucketWatchers), rk, on); err != nil {
				return err
			}
		}
		if err := putOrDelete(b, k, on); err != nil {
			return err
		}
		return b.Put(changedKey(login), binary.BigEndian.AppendUint64(nil, uint64(db.now().UnixNano())))
	})
}

func putOrDelete(b *bolt.Bucket, k []byte, on bool) error {
	if on {
		return b.Put(k, []byte{})
	}
	return b.Delete(k)
}

// changedKey holds when what a member watches last changed, in Unix
// nanoseconds.
func changedKey(login string) []byte { return append(watchPrefix(login), watchChanged) }

// WatchesChanged implements wiki.WatchStore.
func (db *DB) WatchesChanged(ctx context.Context, login string) (time.Time, error) {
	var t time.Time
	err := db.view(ctx, func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketWatches).Get(changedKey(login))
		if v == nil {
			return nil
		}
		if len(v) != 8 {
			return damagef("the watch time of %s has %d bytes", login, len(v))
		}
		t = fromNanos(int64(binary.BigEndian.Uint64(v)))
		return nil
	})
	return t, err
}

// Watches implements wiki.WatchStore.
func (db *DB) Watches(ctx context.Context, login string, limit int) ([]wiki.Watched, error) {
	var out []wiki.Watched
	prefix := watchPrefix(login)
	err := db.view(ctx, func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketWatches).Cursor()
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix) && len(out) < limit; k, _ = c.Next() {
			rest := k[len(prefix):]
			if len(rest) < 2 {
				continue
			}
			switch rest[0] {
			case watchNS:
				out = append(out, wiki.Watched{Namespace: string(rest[1:])})
			case watchPage:
				p, err := wiki.ParsePath(string(rest[1:]))
				if err != nil {
					return damagef("a watched page of %s has a bad path %q", login, rest[1:])
				}
				out = append(out, wiki.Watched{Path: p})
			}
		}
		return nil
	})
	return out, err
}

// Watching implements wiki.WatchStore.
func (db *DB) Watching(ctx context.Context, login string, w wiki.Watched) (bool, error) {
	k, err := watchKey(login, w)
	if err != nil {
		return false, err
	}
	var on bool
	err = db.view(ctx, func(tx *bolt.Tx) error {
		on = tx.Bucket(bucketWatches).Get(k) != nil
		return nil
	})
	return on, err
}

// settingsKey holds a member's watch settings: "0" when their own edits
// are not watched, nothing (the default) when they are.
func settingsKey(login string) []byte { return append(watchPrefix(login), watchSettings) }

// AutoWatch implements wiki.WatchStore.
func (db *DB) AutoWatch(ctx context.Context, login string) (bool, error) {
	on := true
	err := db.view(ctx, func(tx *bolt.Tx) error {
		on = string(tx.Bucket(bucketWatches).Get(settingsKey(login))) != "0"
		return nil
	})
	return on, err
}

// SetAutoWatch implements wiki.WatchStore.
func (db *DB) SetAutoWatch(ctx context.Context, login string, on bool) error {
	if login == "" {
		return wiki.Errorf(wiki.EInvalid, "a setting needs a login")
	}
	return db.update(ctx, func(tx *bolt.Tx) error {
		if on {
			return tx.Bucket(bucketWatches).Delete(settingsKey(login))
		}
		return tx.Bucket(bucketWatches).Put(settingsKey(login), []byte("0"))
	})
}
