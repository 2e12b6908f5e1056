package store

import (
	"bytes"
	"context"
	"encoding/binary"
	"time"

	"github.com/kdecole-club/clubwiki/wiki"
	bolt "go.etcd.io/bbolt"
)

func createDrafts(tx *bolt.Tx) error {
	_, err := tx.CreateBucketIfNotExists(bucketDrafts)
	return err
}

// draftKey is login 0x00 path: a member's drafts are one prefix, by path.
func draftKey(login string, p wiki.Path) []byte {
	return append(append([]byte(login), 0), p.String()...)
}

// A draft record is BE uint32 base revision, BE int64 Unix nanoseconds of
// the save, then the Markdown.
const draftHeader = 12

func encodeDraft(d wiki.Draft) []byte {
	b := make([]byte, 0, draftHeader+len(d.Markdown))
	b = binary.BigEndian.AppendUint32(b, uint32(d.BaseRev))
	b = binary.BigEndian.AppendUint64(b, uint64(d.Saved.UnixNano()))
	return append(b, d.Markdown...)
}

// decodeDraft reads a record; withText copies the Markdown out too.
func decodeDraft(login string, p wiki.Path, v []byte, withText bool) (wiki.Draft, error) {
	if len(v) < draftHeader {
		return wiki.Draft{}, damagef("the draft of %s by %s has %d bytes", p, login, len(v))
	}
	d := wiki.Draft{
		Login: login, Path: p,
		BaseRev: int(binary.BigEndian.Uint32(v)),
		Saved:   time.Unix(0, int64(binary.BigEndian.Uint64(v[4:]))).UTC(),
	}
	if withText {
		d.Markdown = string(v[draftHeader:])
	}
	return d, nil
}

// PutDraft implements wiki.DraftStore.
func (db *DB) PutDraft(ctx context.Context, d wiki.Draft, max int) error {
	if d.Login == "" || d.Path.IsZero() || d.BaseRev < 0 {
		return wiki.Errorf(wiki.EInvalid, "a draft needs a login, a page and a base revision")
	}
	k := draftKey(d.Login, d.Path)
	return db.update(ctx, func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketDrafts)
		if b.Get(k) == nil && countPrefix(b, append([]byte(d.Login), 0), max) >= max {
			return wiki.Errorf(wiki.ETooLarge, "you keep %d drafts already, the most one member may keep", max)
		}
		return b.Put(k, encodeDraft(d))
	})
}

// countPrefix counts the keys of b under prefix, stopping at max.
func countPrefix(b *bolt.Bucket, prefix []byte, max int) int {
	n := 0
	c := b.Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix) && n < max; k, _ = c.Next() {
		n++
	}
	return n
}

// Draft implements wiki.DraftStore.
func (db *DB) Draft(ctx context.Context, login string, p wiki.Path) (wiki.Draft, error) {
	var d wiki.Draft
	err := db.view(ctx, func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketDrafts).Get(draftKey(login, p))
		if v == nil || login == "" {
			return wiki.Errorf(wiki.ENotFound, "no draft of %s", p)
		}
		var err error
		d, err = decodeDraft(login, p, v, true)
		return err
	})
	return d, err
}

// DeleteDraft implements wiki.DraftStore.
func (db *DB) DeleteDraft(ctx context.Context, login string, p wiki.Path) error {
	if login == "" {
		return nil
	}
	// Every save asks to drop its author's draft, and most have none: a
	// read transaction finds out without a write (and its fsync).
	k := draftKey(login, p)
	var found bool
	if err := db.view(ctx, func(tx *bolt.Tx) error {
		found = tx.Bucket(bucketDrafts).Get(k) != nil
		return nil
	}); err != nil || !found {
		return err
	}
	return db.update(ctx, func(tx *bolt.Tx) error {
		return tx.Bucket(bucketDrafts).Delete(k)
	})
}

// Drafts implements wiki.DraftStore.
func (db *DB) Drafts(ctx context.Context, login string, limit int) ([]wiki.Draft, error) {
	var out []wiki.Draft
	if login == "" {
		return out, nil
	}
	prefix := append([]byte(login), 0)
	err := db.view(ctx, func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketDrafts).Cursor()
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix) && len(out) < limit; k, v = c.Next() {
			p, err := wiki.ParsePath(string(k[len(prefix):]))
			if err != nil {
				return damagef("a draft of %s has a bad path %q", login, k[len(prefix):])
			}
			d, err := decodeDraft(login, p, v, false)
			if err != nil {
				return err
			}
			out = append(out, d)
		}
		return nil
	})
	return out, err
}
