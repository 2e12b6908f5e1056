package store

import (
	"context"
	"encoding/binary"
	"fmt"

	"github.com/kdecole-club/clubwiki/wiki"
	bolt "go.etcd.io/bbolt"
)

// Full texts (the head of every page and the snapshots of its history) are
// kept in the texts bucket, under the key of their revision, and their
// revision record (format 4) holds only the metadata. Kept in the records,
// a 4–8 KB head always came last among its page's small deltas, and bbolt,
// which leaves at least two keys on the right of a split, cut the page's
// leaves two deltas at a time: a thousand edits filled 500 pages of 4 KB a
// sixth full. Apart, the revisions bucket holds metadata and deltas packed
// to the brim, and the texts bucket texts that fill their pages.
//
// A text value is the format byte of a full record (revFormatRaw or
// revFormatFlate) and the body. Records written before schema 4 keep their
// text inline (formats 1 and 2) and are read as they are.

// createTexts is the migration that creates the texts bucket: a clubwiki
// of an older schema cannot read format 4 and refuses the file.
func createTexts(tx *bolt.Tx) error {
	_, err := tx.CreateBucketIfNotExists(bucketTexts)
	return err
}

// writeBuckets returns the revisions and texts buckets of tx set to fill
// their pages: a page's keys only ever grow at its end, so a full page is
// never split again by an insert in its middle.
func writeBuckets(tx *bolt.Tx) (revs, texts *bolt.Bucket) {
	revs, texts = tx.Bucket(bucketRevisions), tx.Bucket(bucketTexts)
	revs.FillPercent, texts.FillPercent = 1, 1
	return revs, texts
}

// putRevision stores a revision: its text, when it has one, in the texts
// bucket, and its record.
func putRevision(tx *bolt.Tx, key []byte, meta revRecord, format byte, body []byte) error {
	revs, texts := writeBuckets(tx)
	if meta.Deleted {
		return revs.Put(key, encodeRevision(format, meta, body))
	}
	v := make([]byte, 0, 1+len(body))
	if err := texts.Put(key, append(append(v, format), body...)); err != nil {
		return err
	}
	return revs.Put(key, encodeRevision(revFormatText, meta, nil))
}

// storedText returns the format and body of a full text: the record's own
// for formats 1 and 2, the texts bucket's for format 4.
func storedText(tx *bolt.Tx, key []byte, format byte, body []byte) (byte, []byte, error) {
	if format != revFormatText {
		return format, body, nil
	}
	texts := tx.Bucket(bucketTexts)
	if texts == nil {
		return 0, nil, fmt.Errorf("the texts bucket is missing: %w", errBadRecord)
	}
	return splitText(texts.Get(key))
}

// splitText splits a texts bucket value into its format and body.
func splitText(v []byte) (byte, []byte, error) {
	if len(v) == 0 {
		return 0, nil, fmt.Errorf("its text is missing: %w", errBadRecord)
	}
	if v[0] != revFormatRaw && v[0] != revFormatFlate {
		return 0, nil, fmt.Errorf("its text has format %d: %w", v[0], errBadRecord)
	}
	return v[0], v[1:], nil
}

// fullText decodes the full text of the record under key, which
// splitRevision gave as format and body, and returns it with the length it
// takes stored.
func (db *DB) fullText(tx *bolt.Tx, key []byte, format byte, body []byte, size int) (string, int, error) {
	format, body, err := storedText(tx, key, format, body)
	if err != nil {
		return "", 0, err
	}
	text, err := db.unpackText(format, body, size)
	return text, len(body), err
}

// Snapshot spacing. Reading a revision applies every delta between it and
// the next full text, each of which writes a whole text: the cost is the
// number of deltas times the page size. A page may have as many deltas in
// a row as rebuild chainBudget bytes of text, between minSpacing (what
// clubwiki always allowed, whatever the size) and maxSpacing.
const (
	chainBudget = 1 << 20
	minSpacing  = 16
	maxSpacing  = 64
)

// spacing returns how many revisions in a row, the full one included, a
// page whose texts are about size bytes may have.
func spacing(size int) int {
	return min(max(chainBudget/max(size, 1), minSpacing), maxSpacing)
}

// keepFull tells whether revision prev of p, of size bytes, must stay a
// full text (a snapshot): when the spacing's worth of deltas already lie
// below it. It reads back at most maxSpacing records, their first byte.
func keepFull(revs *bolt.Bucket, p wiki.Path, prev, size int) bool {
	limit := spacing(size) - 1
	prefix := revKey(p, 0)
	prefix = prefix[:len(prefix)-4]
	c := revs.Cursor()
	if k, _ := c.Seek(revKey(p, prev)); k == nil {
		return true
	}
	n := 0
	for k, v := c.Prev(); n < limit; k, v = c.Prev() {
		if len(k) != len(prefix)+4 || string(k[:len(prefix)]) != string(prefix) ||
			int(binary.BigEndian.Uint32(k[len(prefix):])) != prev-1-n || len(v) == 0 || v[0] != revFormatDelta {
			break
		}
		n++
	}
	return n >= limit
}

// texts reports stored texts that no revision record uses: a text under
// the key of no revision, or of one whose record is not format 4.
func (ck *checker) texts(ctx context.Context) error {
	revs := ck.tx.Bucket(bucketRevisions)
	return ck.tx.Bucket(bucketTexts).ForEach(func(k, _ []byte) error {
		path, rev, ok := splitRevKey(k)
		switch v := revs.Get(k); {
		case !ok:
			ck.rep.addf("stored text key %q is malformed", k)
		case v == nil:
			ck.rep.addf("%s revision %d has a stored text but no record", path, rev)
		case v[0] != revFormatText:
			ck.rep.addf("%s revision %d has a stored text its record does not use", path, rev)
		}
		return ctx.Err()
	})
}
