package store

import (
	"bytes"
	"context"

	"github.com/kdecole-club/clubwiki/wiki"
	bolt "go.etcd.io/bbolt"
)

// Buckets of moves (migration 9).
var (
	// bucketRedirects: 'f' from → to, where a moved page went; 't' to 0x00
	// from → empty, the reverse, so that a move repoints the redirects
	// that led to the page it moves and no chain of redirects forms.
	bucketRedirects = []byte("redirects")
	bucketWatchers  = []byte("watchers") // path 0x00 login → empty: bucketWatches by page
	bucketVisitors  = []byte("visitors") // path 0x00 login → empty: bucketVisits by page
)

const (
	redirectFrom = 'f'
	redirectTo   = 't'
)

// maxRedirectHops bounds how far Redirects follows redirects that lead to
// redirects, which moves never leave (putRedirect repoints them) but a file
// written otherwise might hold: a loop ends there as no redirect.
const maxRedirectHops = 8

// createMoves is migration 9: the redirects, and the reverse indexes of
// watches and visits that a move re-keys, filled from what exists.
func createMoves(tx *bolt.Tx) error {
	for _, name := range [][]byte{bucketRedirects, bucketWatchers, bucketVisitors} {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return err
		}
	}
	watchers := tx.Bucket(bucketWatchers)
	err := tx.Bucket(bucketWatches).ForEach(func(k, _ []byte) error {
		login, rest, ok := bytes.Cut(k, []byte{0})
		if !ok || len(rest) < 2 || rest[0] != watchPage {
			return nil
		}
		return watchers.Put(pairKey(string(rest[1:]), string(login)), []byte{})
	})
	if err != nil {
		return err
	}
	visitors := tx.Bucket(bucketVisitors)
	return tx.Bucket(bucketVisits).ForEach(func(k, _ []byte) error {
		login, path, ok := bytes.Cut(k, []byte{0})
		if !ok {
			return nil
		}
		return visitors.Put(pairKey(string(path), string(login)), []byte{})
	})
}

func redirectKey(from string) []byte { return append([]byte{redirectFrom}, from...) }

func reverseKey(to, from string) []byte {
	return append([]byte{redirectTo}, pairKey(to, from)...)
}

// putRedirect makes from redirect to to: a redirect that was at to goes
// (a page is there now), and those that led to from lead to to.
func putRedirect(tx *bolt.Tx, from, to wiki.Path) error {
	if err := dropRedirect(tx, to); err != nil {
		return err
	}
	b := tx.Bucket(bucketRedirects)
	prefix := reverseKey(from.String(), "")
	var olds []string
	c := b.Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		olds = append(olds, string(k[len(prefix):]))
	}
	for _, o := range append(olds, from.String()) {
		if err := b.Delete(reverseKey(from.String(), o)); err != nil {
			return err
		}
		if err := b.Put(redirectKey(o), []byte(to.String())); err != nil {
			return err
		}
		if err := b.Put(reverseKey(to.String(), o), []byte{}); err != nil {
			return err
		}
	}
	return nil
}

// dropRedirect removes the redirect at p, if any: a page is written there.
func dropRedirect(tx *bolt.Tx, p wiki.Path) error {
	b := tx.Bucket(bucketRedirects)
	to := b.Get(redirectKey(p.String()))
	if to == nil {
		return nil
	}
	if err := b.Delete(reverseKey(string(to), p.String())); err != nil {
		return err
	}
	return b.Delete(redirectKey(p.String()))
}

// Redirects implements wiki.PageMover.
func (db *DB) Redirects(ctx context.Context, paths []wiki.Path) (map[wiki.Path]wiki.Path, error) {
	out := map[wiki.Path]wiki.Path{}
	if len(paths) == 0 {
		return out, nil
	}
	err := db.view(ctx, func(tx *bolt.Tx) error {
		for _, p := range paths {
			to, ok, err := redirectTx(tx, p)
			if err != nil {
				return err
			}
			if ok {
				out[p] = to
			}
		}
		return nil
	})
	return out, err
}

// redirectTx follows the redirects from p to a path without one; ok is
// false when p has none, a page is at p, or the redirects loop.
func redirectTx(tx *bolt.Tx, p wiki.Path) (wiki.Path, bool, error) {
	b, pages := tx.Bucket(bucketRedirects), tx.Bucket(bucketPages)
	if pages.Get([]byte(p.String())) != nil {
		return wiki.Path{}, false, nil
	}
	cur := p.String()
	for range maxRedirectHops {
		next := b.Get(redirectKey(cur))
		if next == nil {
			if cur == p.String() {
				return wiki.Path{}, false, nil
			}
			to, err := decodePath([]byte(cur))
			if err != nil {
				return wiki.Path{}, false, wiki.Internal(err, "reading a redirect")
			}
			return to, true, nil
		}
		if pages.Get(next) != nil {
			to, err := decodePath(next)
			if err != nil {
				return wiki.Path{}, false, wiki.Internal(err, "reading a redirect")
			}
			return to, true, nil
		}
		cur = string(next)
	}
	return wiki.Path{}, false, nil
}
