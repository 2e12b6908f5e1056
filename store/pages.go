package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"unsafe"

	"github.com/kdecole-club/clubwiki/wiki"
	bolt "go.etcd.io/bbolt"
)

// Head implements wiki.Store; deleted pages have a head too.
func (db *DB) Head(ctx context.Context, p wiki.Path) (wiki.Head, error) {
	var h wiki.Head
	err := db.view(ctx, func(tx *bolt.Tx) (err error) {
		h, err = headTx(tx, p)
		return err
	})
	return h, err
}

func headTx(tx *bolt.Tx, p wiki.Path) (wiki.Head, error) {
	v := tx.Bucket(bucketPages).Get([]byte(p.String()))
	if v == nil {
		return wiki.Head{}, wiki.Errorf(wiki.ENotFound, "the page %s does not exist", p)
	}
	h, err := decodeHeadOf(p, v)
	if err != nil {
		return wiki.Head{}, wiki.Internal(err, "reading a page head")
	}
	return h, nil
}

// Revision implements wiki.Store. Reading the head's text is two lookups
// (its record, its text); an older one rebuilds through at most maxSpacing-1 deltas (chain.go).
func (db *DB) Revision(ctx context.Context, p wiki.Path, rev int) (wiki.Revision, string, error) {
	var (
		r    wiki.Revision
		text string
	)
	err := db.view(ctx, func(tx *bolt.Tx) (err error) {
		r, text, err = db.revisionTx(tx, p, rev, true)
		return err
	})
	return r, text, err
}

// revisionTx reads revision rev of p, with its text when withText is set.
func (db *DB) revisionTx(tx *bolt.Tx, p wiki.Path, rev int, withText bool) (wiki.Revision, string, error) {
	if p.IsZero() || rev <= 0 || rev > 1<<32-1 {
		return wiki.Revision{}, "", wiki.Errorf(wiki.ENotFound, "the page %s has no revision %d", p, rev)
	}
	v := tx.Bucket(bucketRevisions).Get(revKey(p, rev))
	if v == nil {
		return wiki.Revision{}, "", wiki.Errorf(wiki.ENotFound, "the page %s has no revision %d", p, rev)
	}
	format, meta, body, err := splitRevision(v)
	if err != nil {
		return wiki.Revision{}, "", wiki.Internal(err, "reading a revision")
	}
	if !withText {
		return meta.revision(rev), "", nil
	}
	text, err := db.revText(tx, p, rev, format, meta, body)
	if err != nil {
		return wiki.Revision{}, "", damagedText(p, rev, err)
	}
	// Every text is checked in full before it is served, heads included:
	// a flipped byte in a raw text, or in a compressed one that still
	// inflates, must fail the read rather than show wrong text, and a delta
	// chain spreads one damaged byte over every older revision it reaches.
	// Hashing 10 KB takes about 20 µs (BenchmarkSumText), small next to
	// inflating and rendering it; views served from the render cache do
	// not read the store at all.
	if sum := sumText(text); !bytes.Equal(sum[:], meta.SHA256) {
		return wiki.Revision{}, "", damagedText(p, rev, errors.New("SHA-256 mismatch"))
	}
	return meta.revision(rev), text, nil
}

// sumText is the SHA-256 of text. It hashes the string's bytes in place:
// []byte(text) would copy every page read (20 KB for a typical one) only
// to hash it. SHA-256 only reads its input.
func sumText(text string) [sha256.Size]byte {
	return sha256.Sum256(unsafe.Slice(unsafe.StringData(text), len(text)))
}

// damagedText is the error for a revision whose stored text cannot be read
// back as it was saved.
func damagedText(p wiki.Path, rev int, cause error) error {
	return &wiki.Error{
		Code:    wiki.EInternal,
		Message: fmt.Sprintf("the stored text of %s revision %d is damaged (run clubwiki check)", p, rev),
		Err:     fmt.Errorf("%w: %w", cause, ErrDamaged),
	}
}

// History implements wiki.Store. limit <= 0 means every revision.
func (db *DB) History(ctx context.Context, p wiki.Path, limit, before int) ([]wiki.Revision, error) {
	var out []wiki.Revision
	err := db.view(ctx, func(tx *bolt.Tx) error {
		h, err := headTx(tx, p)
		if err != nil {
			return err
		}
		from := h.Rev
		if before > 0 && before-1 < from {
			from = before - 1
		}
		for rev := from; rev >= 1 && (limit <= 0 || len(out) < limit); rev-- {
			r, _, err := db.revisionTx(tx, p, rev, false)
			if err != nil {
				return err
			}
			out = append(out, r)
		}
		return nil
	})
	return out, err
}

// Pages implements wiki.Store. limit <= 0 means no limit (export wants every
// page). The total comes from the counters; the walk to offset reads only the
// flag byte of each head.
func (db *DB) Pages(ctx context.Context, ns string, within wiki.NamespaceSet, limit, offset int) ([]wiki.Head, int, error) {
	var (
		out   []wiki.Head
		total int
	)
	err := db.view(ctx, func(tx *bolt.Tx) error {
		counts, err := countsTx(tx)
		if err != nil {
			return err
		}
		var prefix []byte
		for k, n := range counts {
			if (ns == "" || k == ns) && within.Has(k) {
				total += n
			}
		}
		if ns != "" {
			prefix = []byte(ns + "/")
		}
		out, err = livePages(ctx, tx, prefix, within, limit, offset)
		return err
	})
	return out, total, err
}

func livePages(ctx context.Context, tx *bolt.Tx, prefix []byte, within wiki.NamespaceSet, limit, offset int) ([]wiki.Head, error) {
	var out []wiki.Head
	c := tx.Bucket(bucketPages).Cursor()
	seen := 0
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		if limit > 0 && len(out) >= limit {
			break
		}
		if !headLive(v) || !within.Has(pathNamespace(k)) {
			continue
		}
		if seen++; seen <= offset {
			if seen%4096 == 0 && ctx.Err() != nil {
				return nil, ctx.Err()
			}
			continue
		}
		h, err := decodeHead(k, v)
		if err != nil {
			return nil, wiki.Internal(err, "listing pages")
		}
		out = append(out, h)
	}
	return out, nil
}

// PageCounts implements wiki.Store from the counters Commit maintains.
func (db *DB) PageCounts(ctx context.Context) (map[string]int, error) {
	var out map[string]int
	err := db.view(ctx, func(tx *bolt.Tx) (err error) {
		out, err = countsTx(tx)
		return err
	})
	return out, err
}

func countsTx(tx *bolt.Tx) (map[string]int, error) {
	out := map[string]int{}
	err := tx.Bucket(bucketCounts).ForEach(func(k, v []byte) error {
		if len(v) != 8 {
			return wiki.Internal(errBadRecord, "reading the page counts")
		}
		out[string(k)] = int(binary.BigEndian.Uint64(v))
		return nil
	})
	return out, err
}

// Existing implements wiki.Store: every path asked for is in the map, true
// for live pages.
func (db *DB) Existing(ctx context.Context, paths []wiki.Path) (map[wiki.Path]bool, error) {
	out := make(map[wiki.Path]bool, len(paths))
	err := db.view(ctx, func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketPages)
		for _, p := range paths {
			out[p] = !p.IsZero() && headLive(b.Get([]byte(p.String())))
		}
		return nil
	})
	return out, err
}

// Backlinks implements wiki.Store: a prefix scan of target 0x00 from, which
// is already ordered by the linking path.
func (db *DB) Backlinks(ctx context.Context, p wiki.Path, within wiki.NamespaceSet) ([]wiki.Head, error) {
	var out []wiki.Head
	err := db.view(ctx, func(tx *bolt.Tx) error {
		pages := tx.Bucket(bucketPages)
		prefix := pairKey(p.String(), "")
		c := tx.Bucket(bucketBacklinks).Cursor()
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
			from := k[len(prefix):]
			if !within.Has(pathNamespace(from)) {
				continue
			}
			v := pages.Get(from)
			if !headLive(v) {
				continue // deleted pages drop their links; this is belt and braces
			}
			h, err := decodeHead(from, v)
			if err != nil {
				return wiki.Internal(err, "listing backlinks")
			}
			out = append(out, h)
		}
		return nil
	})
	return out, err
}

// pathNamespace returns the namespace of a page key, its first segment.
func pathNamespace(key []byte) string {
	if i := bytes.IndexByte(key, '/'); i >= 0 {
		key = key[:i]
	}
	return string(key)
}
