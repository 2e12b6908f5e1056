package store

import (
	"context"
	"crypto/sha256"

	"github.com/kdecole-club/clubwiki/wiki"
	bolt "go.etcd.io/bbolt"
)

// CommitBatch writes many commits in one bbolt transaction: each exactly as
// Commit writes it (revision, head, live-page counter, link table, one
// change-log entry), but with one fsync for all, which is what makes an
// import of thousands of pages fast. It is all or nothing: when one commit's
// ExpectRev is stale the whole batch fails with ErrStaleHead and nothing is
// written. Two commits of one batch must not name the same page.
func (db *DB) CommitBatch(ctx context.Context, cs []wiki.Commit) ([]wiki.Change, error) {
	type packed struct {
		sum    [32]byte
		format byte
		body   []byte
	}
	packs := make([]packed, len(cs))
	for i, c := range cs {
		if err := validateCommit(c); err != nil {
			return nil, err
		}
		// Compressing before the transaction keeps the writer lock short.
		format, body, err := db.packText(c.Markdown)
		if err != nil {
			return nil, wiki.Internal(err, "compressing the page text")
		}
		packs[i] = packed{sha256.Sum256([]byte(c.Markdown)), format, body}
	}
	out := make([]wiki.Change, 0, len(cs))
	err := db.update(ctx, func(tx *bolt.Tx) error {
		for i, c := range cs {
			ch, err := db.commitTx(tx, c, packs[i].sum, packs[i].format, packs[i].body)
			if err != nil {
				return err
			}
			out = append(out, ch)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
