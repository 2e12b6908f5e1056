package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"

	"github.com/kdecole-club/clubwiki/wiki"
	bolt "go.etcd.io/bbolt"
)

// Revisions are stored as reverse deltas so that storage grows with the
// size of the edits, not with page size × revisions:
//
//   - The head revision is always full (its text in the texts bucket,
//     texts.go): reading the latest text, by far the most common read,
//     stays two lookups.
//   - When revision N+1 is committed, revision N is rewritten in the same
//     transaction as a delta (format 3) that rebuilds its text from N+1's,
//     with its metadata bytes unchanged.
//   - N stays full (a snapshot) when the deltas below it already number
//     what its size allows (spacing, texts.go: 63 for a 16 KB page, 15 from
//     64 KB), when N or N+1 is a deletion (no text to rebuild from), or when
//     the delta would not save at least half of the stored text (a rewrite
//     is its own snapshot).
//
// Reading revision r walks forward to the first full record, at most
// spacing-1 deltas away, and applies the deltas backwards.

// maxChain bounds the walk through a damaged file whose deltas point at
// further deltas without end. It is far above maxSpacing so that a later
// clubwiki may space its snapshots more widely and this one still reads them.
const maxChain = 1024

// deltaWanted tells whether revision prev may become a delta once a
// successor is committed; deleted is whether the successor is a deletion.
// keepFull then decides on the spacing of snapshots.
func deltaWanted(prev int, deleted bool) bool {
	return prev > 0 && !deleted
}

// revisionDelta returns the format-3 body that rebuilds oldText (stored in
// fullLen bytes, with SHA-256 oldSum) from newText, or nil when the revision
// must stay full. The delta is applied and hashed before it is returned: a
// bad delta must never replace a good full text.
func (db *DB) revisionDelta(oldText string, oldSum []byte, fullLen int, newText string) []byte {
	d, err := db.makeDelta(newText, oldText)
	if err != nil || len(d)+1 > fullLen/2 {
		return nil
	}
	got, err := db.applyDelta(newText, d, len(oldText))
	if err != nil {
		return nil
	}
	if sum := sha256.Sum256([]byte(got)); !bytes.Equal(sum[:], oldSum) {
		return nil
	}
	return append(binary.AppendUvarint(make([]byte, 0, 1+len(d)), 1), d...) // base is the next revision
}

// preparedDelta is the delta of the head a commit replaces, computed by
// Commit before the write transaction so that the diff does not hold the
// writer lock.
type preparedDelta struct {
	rev  int
	sum  []byte // SHA-256 of the text it rebuilds, to match the stored record
	body []byte // nil when the revision stays full
}

// prepareDelta computes the delta of c.ExpectRev against c's text. It
// returns nil when there is nothing to prepare; commitTx then decides (and
// computes) under the lock. Revision texts never change, so a delta
// computed here stays valid whatever commits in between: if the head moved,
// the commit fails as stale anyway.
func (db *DB) prepareDelta(ctx context.Context, c wiki.Commit) *preparedDelta {
	if !deltaWanted(c.ExpectRev, c.Deleted) {
		return nil
	}
	var (
		old     string
		meta    revRecord
		fullLen int
	)
	err := db.view(ctx, func(tx *bolt.Tx) error {
		key := revKey(c.Path, c.ExpectRev)
		revs := tx.Bucket(bucketRevisions)
		format, m, body, err := splitRevision(revs.Get(key))
		if err != nil || format == revFormatDelta || m.Deleted || keepFull(revs, c.Path, c.ExpectRev, m.Size) {
			return errBadRecord // nothing to prepare; commitTx decides
		}
		meta = m
		old, fullLen, err = db.fullText(tx, key, format, body, m.Size)
		return err
	})
	if err != nil {
		return nil
	}
	return &preparedDelta{rev: c.ExpectRev, sum: meta.SHA256, body: db.revisionDelta(old, meta.SHA256, fullLen, c.Markdown)}
}

// demoteTx turns revision prev of p into a delta against newText, the text
// of the revision being committed on top of it. It is part of every commit
// transaction (Commit goes through commitTx). pre, when it
// matches the stored record, spares computing the delta under the lock.
// Only a failed write is an error: a revision that cannot be turned into a
// delta stays full, which is always correct.
func (db *DB) demoteTx(tx *bolt.Tx, p wiki.Path, prev int, newText string, deleted bool, pre *preparedDelta) error {
	if !deltaWanted(prev, deleted) {
		return nil
	}
	revs, texts := writeBuckets(tx)
	key := revKey(p, prev)
	v := revs.Get(key)
	format, meta, body, err := splitRevision(v)
	if err != nil || format == revFormatDelta || meta.Deleted || keepFull(revs, p, prev, meta.Size) {
		return nil
	}
	var d []byte
	if pre != nil && pre.rev == prev && bytes.Equal(pre.sum, meta.SHA256) {
		d = pre.body
	} else if old, fullLen, err := db.fullText(tx, key, format, body, meta.Size); err == nil {
		d = db.revisionDelta(old, meta.SHA256, fullLen, newText)
	}
	if d == nil {
		return nil
	}
	if err := revs.Put(key, rebody(v, body, revFormatDelta, d)); err != nil {
		return err
	}
	if format == revFormatText {
		return texts.Delete(key)
	}
	return nil
}

// splitDelta splits a format-3 body into the distance to its base revision
// and the delta.
func splitDelta(body []byte) (int, []byte, error) {
	dist, w := binary.Uvarint(body)
	if w <= 0 || dist == 0 || dist > 1<<32 {
		return 0, nil, fmt.Errorf("delta base: %w", errBadDelta)
	}
	return int(dist), body[w:], nil
}

// revText returns the text of revision rev of p, whose record splitRevision
// gave as format, meta and body. A delta is rebuilt by walking forward to
// the first full text and applying the deltas backwards, each checked
// against its recorded size.
func (db *DB) revText(tx *bolt.Tx, p wiki.Path, rev int, format byte, meta revRecord, body []byte) (string, error) {
	type link struct {
		rev, size int
		delta     []byte
	}
	var chain []link
	for format == revFormatDelta {
		if len(chain) == maxChain {
			return "", fmt.Errorf("revision %d: delta chain longer than %d: %w", rev, maxChain, errBadDelta)
		}
		dist, delta, err := splitDelta(body)
		if err != nil {
			return "", fmt.Errorf("revision %d: %w", rev, err)
		}
		chain = append(chain, link{rev, meta.Size, delta})
		rev += dist
		v := tx.Bucket(bucketRevisions).Get(revKey(p, rev))
		if v == nil {
			return "", fmt.Errorf("delta base revision %d is missing: %w", rev, errBadDelta)
		}
		if format, meta, body, err = splitRevision(v); err != nil {
			return "", fmt.Errorf("delta base revision %d: %w", rev, err)
		}
		if meta.Deleted {
			return "", fmt.Errorf("delta base revision %d is a deletion: %w", rev, errBadDelta)
		}
	}
	text, _, err := db.fullText(tx, revKey(p, rev), format, body, meta.Size)
	if err != nil {
		return "", fmt.Errorf("revision %d: %w", rev, err)
	}
	if len(chain) == 0 {
		return text, nil
	}
	// Two buffers in turn: a chain of 60 deltas of a 20 KB page would
	// otherwise allocate 1.2 MB a read.
	cur, next := []byte(text), []byte(nil)
	for i := len(chain) - 1; i >= 0; i-- {
		if next, err = applyDeltaTo(db, next, cur, chain[i].delta, chain[i].size); err != nil {
			return "", fmt.Errorf("revision %d: %w", chain[i].rev, err)
		}
		cur, next = next, cur
	}
	return string(cur), nil
}
