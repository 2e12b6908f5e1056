package store

import (
	"context"
	"encoding/binary"
	"encoding/json"

	"github.com/kdecole-club/clubwiki/wiki"
	bolt "go.etcd.io/bbolt"
)

// DefaultChangesLimit is the number of changes Changes returns when the query
// sets no limit.
const DefaultChangesLimit = 50

// Changes implements wiki.Store: page changes newest first, walking the log backwards from
// its end (or from q.Before) and stopping at q.Since, so a follower that is
// up to date reads nothing but the last key.
func (db *DB) Changes(ctx context.Context, q wiki.ChangeQuery) ([]wiki.Change, error) {
	limit := q.Limit
	if limit <= 0 {
		limit = DefaultChangesLimit
	}
	var out []wiki.Change
	err := db.view(ctx, func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketChanges).Cursor()
		n := 0
		for k, v := lastBefore(c, q.Before); k != nil && len(out) < limit; k, v = c.Prev() {
			if n++; n%4096 == 0 && ctx.Err() != nil {
				return ctx.Err() // a namespace filter may walk a long way
			}
			if n > db.filteredScan && filtered(q) {
				break // see FilteredScan
			}
			ch, err := decodeChange(k, v)
			if err != nil {
				return wiki.Internal(err, "reading the change log")
			}
			if ch.Seq <= q.Since {
				break
			}
			if !ch.Kind.IsPage() {
				continue // recent changes are of pages
			}
			if ns := ch.Path.Namespace(); (q.Namespace == "" || ns == q.Namespace) && q.Namespaces.Has(ns) && kept(tx, q, ch) {
				out = append(out, withSizes(tx, q, ch))
			}
		}
		return nil
	})
	return out, err
}

// FilteredScan bounds the log entries one call of Changes reads when the
// filters of recent changes are on (wiki.ChangeQuery.HideMinor and the
// others): when nearly everything is filtered out (every change reviewed),
// a view reads this many entries rather than the whole log, and the list
// comes back shorter than its limit.
const FilteredScan = 10000

// filtered reports whether q has a filter that may leave out many entries.
func filtered(q wiki.ChangeQuery) bool {
	return q.HideMinor || q.HideImports || q.NotAuthor != "" || q.Author != "" || q.Unreviewed
}

// kept applies the filters of recent changes to a page change; the
// reviewed marks are read in the same transaction, one lookup each.
func kept(tx *bolt.Tx, q wiki.ChangeQuery, ch wiki.Change) bool {
	switch {
	case q.HideMinor && ch.Minor,
		q.HideImports && ch.IsImport(),
		q.NotAuthor != "" && ch.Author == q.NotAuthor,
		q.Author != "" && ch.Author != q.Author,
		q.Unreviewed && reviewed(tx, ch.Path, ch.Rev):
		return false
	}
	return true
}

// withSizes fills the sizes of ch from the records of its revision and the
// one before when q asks for them; ch stays unsized when one is missing.
func withSizes(tx *bolt.Tx, q wiki.ChangeQuery, ch wiki.Change) wiki.Change {
	if !q.Sizes || ch.Rev <= 0 || ch.Rev > 1<<32-1 {
		return ch
	}
	size, ok := revSize(tx, ch.Path, ch.Rev)
	if !ok {
		return ch
	}
	before := 0
	if ch.Rev > 1 {
		if before, ok = revSize(tx, ch.Path, ch.Rev-1); !ok {
			return ch
		}
	}
	ch.Sized, ch.Size, ch.SizeBefore = true, size, before
	return ch
}

// revSize reads the size of a revision from its record's metadata, decoding
// only that field (the hash and the text are left alone).
func revSize(tx *bolt.Tx, p wiki.Path, rev int) (int, bool) {
	v := tx.Bucket(bucketRevisions).Get(revKey(p, rev))
	if len(v) < 2 || v[0] < revFormatRaw || v[0] > revFormatText {
		return 0, false
	}
	n, w := binary.Uvarint(v[1:])
	if w <= 0 || n > uint64(len(v)-1-w) {
		return 0, false
	}
	var meta struct {
		Size *int `json:"z"`
	}
	if err := json.Unmarshal(v[1+w:1+w+int(n)], &meta); err != nil || meta.Size == nil {
		return 0, false
	}
	return *meta.Size, true
}

// lastBefore positions c on the newest entry with a sequence number below
// before (0: no bound).
func lastBefore(c *bolt.Cursor, before uint64) (k, v []byte) {
	if before == 0 {
		return c.Last()
	}
	if k, _ = c.Seek(seqKey(before)); k == nil {
		return c.Last()
	}
	return c.Prev()
}

// LastSeq returns the sequence number of the newest change, 0 for an empty
// log. Followers such as the search index compare it with what they applied.
func (db *DB) LastSeq(ctx context.Context) (uint64, error) {
	var seq uint64
	err := db.view(ctx, func(tx *bolt.Tx) error {
		seq = tx.Bucket(bucketChanges).Sequence()
		return nil
	})
	return seq, err
}

// ChangesAfter implements wiki.Store: entries with Seq > since, oldest
// first, found by a seek since the keys are the sequence numbers.
func (db *DB) ChangesAfter(ctx context.Context, since uint64, limit int) ([]wiki.Change, error) {
	if limit <= 0 {
		limit = DefaultChangesLimit
	}
	var out []wiki.Change
	err := db.view(ctx, func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketChanges).Cursor()
		for k, v := c.Seek(seqKey(since + 1)); k != nil && len(out) < limit; k, v = c.Next() {
			ch, err := decodeChange(k, v)
			if err != nil {
				return wiki.Internal(err, "reading the change log")
			}
			out = append(out, ch)
		}
		return nil
	})
	return out, err
}
