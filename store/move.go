package store

import (
	"bytes"
	"context"
	"fmt"

	"github.com/kdecole-club/clubwiki/wiki"
	bolt "go.etcd.io/bbolt"
)

// Move implements wiki.PageMover: every page moved and every rewrite, in
// one bbolt transaction. The texts are packed before the writer lock is
// taken, as Commit does.
func (db *DB) Move(ctx context.Context, m wiki.Move) ([]wiki.Change, error) {
	if err := validateMove(m); err != nil {
		return nil, err
	}
	moves := make([]packedCommit, len(m.Pages))
	for i, pm := range m.Pages {
		// The previous revision's delta is the same text under the old
		// path: prepared there, it is used under the new one.
		p, err := db.packCommit(ctx, wiki.Commit{Path: pm.From, ExpectRev: pm.ExpectRev, Markdown: pm.Markdown})
		if err != nil {
			return nil, err
		}
		moves[i] = p
	}
	rewrites := make([]packedCommit, len(m.Rewrites))
	for i, c := range m.Rewrites {
		p, err := db.packCommit(ctx, c)
		if err != nil {
			return nil, err
		}
		rewrites[i] = p
	}
	out := make([]wiki.Change, 0, len(m.Pages)+len(m.Rewrites))
	err := db.update(ctx, func(tx *bolt.Tx) error {
		for i, pm := range m.Pages {
			ch, err := db.moveTx(tx, pm, m.Author, m.Summary, moves[i])
			if err != nil {
				return err
			}
			out = append(out, ch)
		}
		if err := moveDrafts(tx, m.Pages); err != nil {
			return err
		}
		for i, c := range m.Rewrites {
			p := rewrites[i]
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

// validateMove refuses a move that names a page twice: two pages going to
// one path, a page going where another leaves, or a rewrite of a page the
// move takes away.
func validateMove(m wiki.Move) error {
	if len(m.Pages) == 0 {
		return wiki.Errorf(wiki.EInvalid, "a move needs a page")
	}
	seen := map[wiki.Path]bool{}
	for _, pm := range m.Pages {
		if pm.From.IsZero() || pm.To.IsZero() || pm.From == pm.To || seen[pm.From] || seen[pm.To] {
			return wiki.Errorf(wiki.EInvalid, "moving %s to %s: each page moves once, to a path of its own", pm.From, pm.To)
		}
		seen[pm.From], seen[pm.To] = true, true
	}
	for _, c := range m.Rewrites {
		if err := validateCommit(c); err != nil {
			return err
		}
		if seen[c.Path] || c.Deleted {
			return wiki.Errorf(wiki.EInvalid, "a move cannot also rewrite %s", c.Path)
		}
	}
	return nil
}

// moveTx moves one page inside tx: history, head, count, links, reviewed
// marks, watchers, visits and redirects go to pm.To, then the move
// revision is committed there.
func (db *DB) moveTx(tx *bolt.Tx, pm wiki.PageMove, author, summary string, p packedCommit) (wiki.Change, error) {
	_, live, err := expectHead(tx, wiki.Commit{Path: pm.From, ExpectRev: pm.ExpectRev})
	if err == nil && !live {
		err = &wiki.Error{Code: wiki.EConflict, Message: fmt.Sprintf("the page %s was deleted", pm.From), Err: wiki.ErrStaleHead}
	}
	if err != nil {
		return wiki.Change{}, err
	}
	if err := destinationFree(tx, pm.To); err != nil {
		return wiki.Change{}, err
	}
	h, err := headTx(tx, pm.From)
	if err != nil {
		return wiki.Change{}, err
	}
	if err := db.moveRecords(tx, pm.From, pm.To, h); err != nil {
		return wiki.Change{}, wiki.Internal(err, "moving the page's records")
	}
	c := wiki.Commit{
		Path: pm.To, From: pm.From, ExpectRev: pm.ExpectRev, Kind: wiki.KindMove, Author: author,
		Summary: summary, Markdown: pm.Markdown, Title: pm.Title, Links: pm.Links,
	}
	ch, err := db.commitTx(tx, c, p.sum, p.format, p.body, p.pre)
	if err != nil {
		return wiki.Change{}, err
	}
	if err := setLinksSeq(tx, ch.Seq); err != nil { // a path went, another came
		return wiki.Change{}, wiki.Internal(err, "recording the change of the links")
	}
	return ch, nil
}

// destinationFree refuses a destination where a page is, live or deleted:
// a page's history is never mixed with another's.
func destinationFree(tx *bolt.Tx, to wiki.Path) error {
	v := tx.Bucket(bucketPages).Get([]byte(to.String()))
	switch {
	case v == nil:
		return orphanFilesAt(tx, to)
	case headLive(v):
		return wiki.Errorf(wiki.EExists, "a page already exists at %s", to).Because(wiki.ReasonPageExists, to.String())
	}
	return wiki.Errorf(wiki.EExists, "a deleted page is at %s: its history stays there; restore and move it, or choose another path", to).
		Because(wiki.ReasonPageDeletedThere, to.String())
}

// moveRecords re-keys what belongs to the page from one path to the
// other, and leaves a redirect behind. h is the head at from.
func (db *DB) moveRecords(tx *bolt.Tx, from, to wiki.Path, h wiki.Head) error {
	for _, b := range [][]byte{bucketRevisions, bucketTexts, bucketReviews, bucketWatchers, bucketVisitors, bucketFiles, bucketFileRevs} {
		if err := renamePrefix(tx.Bucket(b), pairKey(from.String(), ""), pairKey(to.String(), "")); err != nil {
			return err
		}
	}
	if err := tx.Bucket(bucketPages).Delete([]byte(from.String())); err != nil {
		return err
	}
	if err := retitle(tx, from, h.Title, true, "", false); err != nil {
		return err
	}
	if err := retitle(tx, to, "", false, h.Title, true); err != nil {
		return err
	}
	h.Path = to
	if err := tx.Bucket(bucketPages).Put([]byte(to.String()), encodeHead(h)); err != nil {
		return err
	}
	if err := addCount(tx, from.Namespace(), -1); err != nil {
		return err
	}
	if err := addCount(tx, to.Namespace(), 1); err != nil {
		return err
	}
	if err := replaceLinks(tx, from, nil); err != nil {
		return err // commitTx writes the new path's links
	}
	if err := moveMembers(tx, from, to); err != nil {
		return err
	}
	return putRedirect(tx, from, to)
}

// moveDrafts re-keys the members' drafts of the moved pages, so that the
// editor at the new path offers them back: nobody loses what they typed
// because someone else moved the page. Drafts are keyed by member first
// and bounded per member (wiki.MaxDrafts): one pass over them serves every
// page of the move.
func moveDrafts(tx *bolt.Tx, pages []wiki.PageMove) error {
	to := make(map[string]wiki.Path, len(pages))
	for _, pm := range pages {
		to[pm.From.String()] = pm.To
	}
	b := tx.Bucket(bucketDrafts)
	type found struct {
		old, new, v []byte
	}
	var all []found
	c := b.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		login, path, ok := bytes.Cut(k, []byte{0})
		if dest, moved := to[string(path)]; ok && moved {
			all = append(all, found{bytes.Clone(k), draftKey(string(login), dest), bytes.Clone(v)})
		}
	}
	for _, d := range all {
		if err := b.Delete(d.old); err != nil {
			return err
		}
		if err := b.Put(d.new, d.v); err != nil {
			return err
		}
	}
	return nil
}

// renamePrefix moves every key of b starting with from to the same key
// starting with to. Keys are copied out before the bucket changes.
func renamePrefix(b *bolt.Bucket, from, to []byte) error {
	type kv struct{ k, v []byte }
	var all []kv
	c := b.Cursor()
	for k, v := c.Seek(from); k != nil && bytes.HasPrefix(k, from); k, v = c.Next() {
		all = append(all, kv{bytes.Clone(k), bytes.Clone(v)})
	}
	for _, e := range all {
		if err := b.Delete(e.k); err != nil {
			return err
		}
	}
	for _, e := range all {
		nk := append(bytes.Clone(to), e.k[len(from):]...)
		if err := b.Put(nk, e.v); err != nil {
			return err
		}
	}
	return nil
}

// moveMembers re-keys the watches and visits of the page's members, found
// through the reverse indexes (already moved by moveRecords).
func moveMembers(tx *bolt.Tx, from, to wiki.Path) error {
	w, vis := tx.Bucket(bucketWatches), tx.Bucket(bucketVisits)
	for _, login := range members(tx.Bucket(bucketWatchers), to) {
		old, _ := watchKey(login, wiki.Watched{Path: from})
		nk, _ := watchKey(login, wiki.Watched{Path: to})
		if err := w.Delete(old); err != nil {
			return err
		}
		if err := w.Put(nk, []byte{}); err != nil {
			return err
		}
	}
	for _, login := range members(tx.Bucket(bucketVisitors), to) {
		old := visitKey(login, from)
		v := bytes.Clone(vis.Get(old))
		if v == nil {
			continue
		}
		if err := vis.Delete(old); err != nil {
			return err
		}
		if err := vis.Put(visitKey(login, to), v); err != nil {
			return err
		}
	}
	return nil
}

// members lists the logins of a reverse index (path 0x00 login) for p.
func members(b *bolt.Bucket, p wiki.Path) []string {
	prefix := pairKey(p.String(), "")
	var out []string
	c := b.Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		out = append(out, string(k[len(prefix):]))
	}
	return out
}

// SubPages implements wiki.PageMover.
func (db *DB) SubPages(ctx context.Context, p wiki.Path, limit int) ([]wiki.Head, error) {
	var out []wiki.Head
	prefix := []byte(p.String() + "/")
	err := db.view(ctx, func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketPages).Cursor()
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix) && len(out) < limit; k, v = c.Next() {
			if !headLive(v) {
				continue
			}
			h, err := decodeHead(k, v)
			if err != nil {
				return wiki.Internal(err, "reading a page head")
			}
			out = append(out, h)
		}
		return nil
	})
	return out, err
}
