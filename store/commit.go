package store

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/kdecole-club/clubwiki/wiki"
	bolt "go.etcd.io/bbolt"
)

// Commit implements wiki.Store. Everything the commits touch (revisions,
// heads, live-page counter, link table, change log) is written in one bbolt
// transaction, so a crash leaves either all of it or none, and bbolt's commit
// fsyncs once before Commit returns, which is what makes an import of
// thousands of pages fast. When one commit's ExpectRev is stale the whole
// batch fails with ErrStaleHead and nothing is written.
func (db *DB) Commit(ctx context.Context, cs ...wiki.Commit) ([]wiki.Change, error) {
	packs := make([]packedCommit, len(cs))
	for i, c := range cs {
		if err := validateCommit(c); err != nil {
			return nil, err
		}
		p, err := db.packCommit(ctx, c)
		if err != nil {
			return nil, err
		}
		packs[i] = p
	}
	if len(cs) == 0 {
		return []wiki.Change{}, nil
	}
	out := make([]wiki.Change, 0, len(cs))
	err := db.update(ctx, func(tx *bolt.Tx) error {
		for i, c := range cs {
			p := packs[i]
			ch, err := db.commitTx(tx, c, p.sum, p.format, p.body, p.pre)
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

// packedCommit is what Commit computes of a commit before taking the
// single writer lock, to keep it short: the text's checksum, its compressed
// body and the previous revision's delta (nil when commitTx decides).
type packedCommit struct {
	sum    [32]byte
	format byte
	body   []byte
	pre    *preparedDelta
}

func (db *DB) packCommit(ctx context.Context, c wiki.Commit) (packedCommit, error) {
	format, body, err := db.packText(c.Markdown)
	if err != nil {
		return packedCommit{}, wiki.Internal(err, "compressing the page text")
	}
	return packedCommit{sha256.Sum256([]byte(c.Markdown)), format, body, db.prepareDelta(ctx, c)}, nil
}

func validateCommit(c wiki.Commit) error {
	switch {
	case c.Path.IsZero():
		return wiki.Errorf(wiki.EInvalid, "a commit needs a page path")
	case c.ExpectRev < 0:
		return wiki.Errorf(wiki.EInvalid, "the expected revision of %s cannot be negative (%d)", c.Path, c.ExpectRev)
	case c.ExpectRev >= math.MaxUint32:
		return wiki.Errorf(wiki.EInvalid, "the page %s has too many revisions", c.Path)
	case c.Deleted && c.Markdown != "":
		return wiki.Errorf(wiki.EInvalid, "a deletion of %s carries no text", c.Path)
	case !c.From.IsZero():
		// Moves are written by Move alone, with everything that follows
		// the page.
		return wiki.Errorf(wiki.EInvalid, "moving %s to %s takes Move, not Commit", c.From, c.Path)
	}
	switch c.Kind {
	case wiki.KindCreate, wiki.KindEdit, wiki.KindDelete, wiki.KindRevert, wiki.KindMove:
		return nil
	}
	return wiki.Errorf(wiki.EInvalid, "unknown change kind %q", c.Kind)
}

// commitTx does the work of one commit inside tx, with the previous
// revision's delta possibly computed beforehand (pre may be nil or stale;
// demoteTx checks it and computes it under the lock when it must).
func (db *DB) commitTx(tx *bolt.Tx, c wiki.Commit, sum [32]byte, format byte, body []byte, pre *preparedDelta) (wiki.Change, error) {
	headRev, wasLive, err := expectHead(tx, c)
	if err != nil {
		return wiki.Change{}, err
	}
	oldTitle := ""
	if wasLive {
		h, err := headTx(tx, c.Path)
		if err != nil {
			return wiki.Change{}, err
		}
		oldTitle = h.Title
	}
	// One clock reading for the whole transaction, rounded to what the
	// records keep so the returned Change equals what is read back.
	now := fromNanos(db.now().UnixNano())
	rev := headRev + 1
	meta := revRecord{
		Kind: c.Kind, Author: c.Author, Time: now.UnixNano(), Summary: c.Summary, Minor: c.Minor,
		Size: len(c.Markdown), SHA256: sum[:], Deleted: c.Deleted, Title: c.Title,
	}
	if err := putRevision(tx, revKey(c.Path, rev), meta, format, body); err != nil {
		return wiki.Change{}, wiki.Internal(err, "writing the revision")
	}
	if err := db.demoteTx(tx, c.Path, headRev, c.Markdown, c.Deleted, pre); err != nil {
		return wiki.Change{}, wiki.Internal(err, "storing the previous revision as a delta")
	}
	head := wiki.Head{Path: c.Path, Title: c.Title, Rev: rev, Updated: now, Author: c.Author, Deleted: c.Deleted, Size: len(c.Markdown)}
	if err := tx.Bucket(bucketPages).Put([]byte(c.Path.String()), encodeHead(head)); err != nil {
		return wiki.Change{}, wiki.Internal(err, "writing the page head")
	}
	if err := dropRedirect(tx, c.Path); err != nil { // a page is here now
		return wiki.Change{}, wiki.Internal(err, "removing a redirect")
	}
	if err := retitle(tx, c.Path, oldTitle, wasLive, c.Title, !c.Deleted); err != nil {
		return wiki.Change{}, wiki.Internal(err, "updating the title index")
	}
	if err := addCount(tx, c.Path.Namespace(), liveDelta(wasLive, !c.Deleted)); err != nil {
		return wiki.Change{}, wiki.Internal(err, "updating the page count")
	}
	var links []wiki.Path
	if !c.Deleted {
		links = c.Links // a deleted page links nowhere
	}
	if err := replaceLinks(tx, c.Path, links); err != nil {
		return wiki.Change{}, wiki.Internal(err, "updating the link table")
	}
	if c.Deleted { // attachments go with their page, their history stays
		if err := db.deleteFilesTx(tx, c.Path, c.Author); err != nil {
			return wiki.Change{}, wiki.Internal(err, "deleting the page's attachments")
		}
	}
	ch := wiki.Change{Path: c.Path, Rev: rev, Kind: c.Kind, Author: c.Author, Time: now, Summary: c.Summary, Title: c.Title, Minor: c.Minor, From: c.From}
	seq, err := db.appendChange(tx, ch)
	if err != nil {
		return wiki.Change{}, wiki.Internal(err, "appending to the change log")
	}
	ch.Seq = seq
	// The page came or went (moveTx marks its moves), or its title, which
	// links by title and links without a label show, changed.
	if wasLive == c.Deleted || (wasLive && oldTitle != c.Title) {
		if err := setLinksSeq(tx, seq); err != nil {
			return wiki.Change{}, wiki.Internal(err, "recording the change of the links")
		}
	}
	return ch, nil
}

// expectHead returns the page's head revision (0 when there is none) and
// whether it is live, or ErrStaleHead when it is not the one c was computed
// against. The error carries EConflict so that, should a use case let it
// through, the user sees an edit conflict rather than an internal error.
func expectHead(tx *bolt.Tx, c wiki.Commit) (int, bool, error) {
	headRev, live := 0, false
	if v := tx.Bucket(bucketPages).Get([]byte(c.Path.String())); v != nil {
		h, err := decodeHeadOf(c.Path, v)
		if err != nil {
			return 0, false, wiki.Internal(err, "reading the page head")
		}
		headRev, live = h.Rev, !h.Deleted
	}
	if headRev != c.ExpectRev {
		return 0, false, &wiki.Error{
			Code:    wiki.EConflict,
			Message: fmt.Sprintf("the page %s is at revision %d, not %d", c.Path, headRev, c.ExpectRev),
			Err:     wiki.ErrStaleHead,
		}
	}
	return headRev, live, nil
}

func liveDelta(was, is bool) int {
	switch {
	case is && !was:
		return 1
	case was && !is:
		return -1
	}
	return 0
}

// addCount keeps the live-page count of each namespace so that PageCounts
// and Pages' total are one read, not a scan of every head.
func addCount(tx *bolt.Tx, ns string, delta int) error {
	if delta == 0 {
		return nil
	}
	b := tx.Bucket(bucketCounts)
	n := int64(0)
	if v := b.Get([]byte(ns)); len(v) == 8 {
		n = int64(binary.BigEndian.Uint64(v))
	}
	n += int64(delta)
	if n <= 0 {
		return b.Delete([]byte(ns))
	}
	return b.Put([]byte(ns), binary.BigEndian.AppendUint64(nil, uint64(n)))
}

// replaceLinks swaps the outgoing links of from: the old backlink entries
// go, the new ones come.
func replaceLinks(tx *bolt.Tx, from wiki.Path, targets []wiki.Path) error {
	lb, bb := tx.Bucket(bucketLinks), tx.Bucket(bucketBacklinks)
	key := []byte(from.String())
	if old := lb.Get(key); len(old) > 0 {
		// Split a copy: deleting keys while holding slices into the map is
		// legal in bbolt, but the copy makes it obviously so.
		for _, t := range strings.Split(string(old), "\n") {
			if err := bb.Delete(pairKey(t, from.String())); err != nil {
				return err
			}
		}
	}
	names := make([]string, 0, len(targets))
	for _, t := range targets {
		if !t.IsZero() {
			names = append(names, t.String())
		}
	}
	slices.Sort(names)
	names = slices.Compact(names)
	if len(names) == 0 {
		return lb.Delete(key)
	}
	for _, t := range names {
		if err := bb.Put(pairKey(t, from.String()), nil); err != nil {
			return err
		}
	}
	return lb.Put(key, []byte(strings.Join(names, "\n")))
}
