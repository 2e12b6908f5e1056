package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/kdecole-club/clubwiki/wiki"
	bolt "go.etcd.io/bbolt"
)

// maxProblems bounds the report of a badly damaged file; the rest are only
// counted.
const maxProblems = 1000

// Report is the result of Check.
type Report struct {
	Pages     int      // page heads, deleted ones included
	Revisions int      // revision records
	Changes   int      // change-log entries
	Problems  []string // one sentence per damage found, at most maxProblems
	More      int      // problems found beyond those listed
}

// OK reports whether Check found no damage.
func (r Report) OK() bool { return len(r.Problems) == 0 }

func (r *Report) addf(format string, args ...any) {
	if len(r.Problems) >= maxProblems {
		r.More++
		return
	}
	r.Problems = append(r.Problems, fmt.Sprintf(format, args...))
}

// Check verifies the file behind `clubwiki check`: bbolt's own page
// structure; every revision readable with its recorded size and SHA-256,
// deltas rebuilt through their chain (a damaged base is reported for every
// revision that depends on it); every stored text used by its record;
// revisions numbered 1..head with the head matching the last one; the
// change log complete from 1 to its sequence, each entry naming a revision;
// live-page counters; links and backlinks mirroring each other.
//
// Damage goes into the Report, never a panic: the page tree is first walked
// from the file with bounds (pagecheck.go), and a panic or fault reading a
// damaged record becomes a problem; the error is for failing to run at all. It
// reads one snapshot in one read transaction, which on a busy server delays
// the file's growth until it ends: run it at a quiet time.
func (db *DB) Check(ctx context.Context) (Report, error) {
	var rep Report
	err := db.view(ctx, func(tx *bolt.Tx) error {
		ck := checker{db: db, tx: tx, rep: &rep, last: map[string]revRecord{}}
		// On a broken b-tree bbolt's cursors may loop or point outside
		// the file, and its checker runs in a goroutine of its own where
		// a fault cannot be recovered: the rest is read only when every
		// page lies where it should.
		if !ck.pagesSound() {
			rep.addf("the file's structure is broken: its records were not read; restore a backup")
			return nil
		}
		if ck.guard("reading every record", ck.walk) == nil {
			for err := range tx.Check() {
				rep.addf("bbolt structure: %v", err)
			}
		}
		steps := []struct {
			name string
			fn   func(context.Context) error
		}{{"revisions", ck.revisions}, {"stored texts", ck.texts}, {"page heads", ck.heads}, {"change log", ck.changes}, {"links", ck.links}, {"attachments", ck.files}}
		for _, step := range steps {
			err := ck.guard("checking "+step.name, func() error { return step.fn(ctx) })
			if ctx.Err() != nil {
				return ctx.Err()
			}
			if err != nil && !errors.Is(err, errPanicked) {
				rep.addf("%s: %v", step.name, err)
			}
		}
		return nil
	})
	return rep, err
}

// checker carries what one step learns to the next.
type checker struct {
	db     *DB
	tx     *bolt.Tx
	rep    *Report
	last   map[string]revRecord // path → its highest revision's metadata
	revN   map[string]int       // path → highest revision number
	walked uint32               // checksum of everything walk read
}

func splitRevKey(k []byte) (string, int, bool) {
	if len(k) < 6 || k[len(k)-5] != 0 {
		return "", 0, false
	}
	return string(k[:len(k)-5]), int(binary.BigEndian.Uint32(k[len(k)-4:])), true
}

// revisions reads every revision, text included, one page at a time:
// a page's records are gathered in key order, then verified from the newest
// down so that each delta is applied to the text just verified above it.
func (ck *checker) revisions(ctx context.Context) error {
	ck.revN = map[string]int{}
	var (
		page string
		recs []storedRev
	)
	c := ck.tx.Bucket(bucketRevisions).Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		if ck.rep.Revisions++; ck.rep.Revisions%1024 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		path, rev, ok := splitRevKey(k)
		if !ok {
			ck.rep.addf("revision key %q is malformed", k)
			continue
		}
		if path != page {
			ck.page(page, recs)
			page, recs = path, recs[:0]
		}
		if want := ck.revN[path] + 1; rev != want {
			ck.rep.addf("%s: revision %d follows revision %d", path, rev, want-1)
		}
		ck.revN[path] = rev
		recs = append(recs, storedRev{rev, v})
	}
	ck.page(page, recs)
	return nil
}

// storedRev is a revision record as read from the file; v is valid for the
// transaction.
type storedRev struct {
	rev int
	v   []byte
}

// page verifies the revisions of one page, newest first, and records the
// metadata of the newest one when it is sound.
func (ck *checker) page(path string, recs []storedRev) {
	if len(recs) == 0 {
		return
	}
	p, err := decodePath([]byte(path))
	if err != nil {
		ck.rep.addf("%s: %v", path, err)
		return
	}
	texts := map[int]string{} // verified texts a delta may still need; never a deletion's
	bad := map[int]bool{}
	for i := len(recs) - 1; i >= 0; i-- {
		r := recs[i]
		meta, text, err := ck.revision(p, r, texts, bad)
		if err != nil {
			ck.rep.addf("%s revision %d: %v", path, r.rev, err)
			bad[r.rev] = true
			continue
		}
		if !meta.Deleted {
			texts[r.rev] = text
		}
		// Deltas this binary writes rebuild from the next revision; any
		// other goes through revText. Two texts a page at most, then,
		// whatever the snapshot spacing.
		delete(texts, r.rev+1)
		if i == len(recs)-1 {
			ck.last[path] = meta
		}
	}
}

// revision decodes one record, rebuilds its text (from the texts already
// verified when it is a delta) and checks it against its metadata.
func (ck *checker) revision(p wiki.Path, r storedRev, texts map[int]string, bad map[int]bool) (revRecord, string, error) {
	format, meta, body, err := splitRevision(r.v)
	if err != nil {
		return meta, "", fmt.Errorf("unreadable record: %w", err)
	}
	var text string
	if format == revFormatDelta {
		text, err = ck.delta(p, r.rev, meta, body, texts, bad)
	} else {
		text, _, err = ck.db.fullText(ck.tx, revKey(p, r.rev), format, body, meta.Size)
	}
	if err != nil {
		return meta, "", fmt.Errorf("unreadable text: %w", err)
	}
	if len(text) != meta.Size {
		return meta, "", fmt.Errorf("text is %d bytes, recorded %d", len(text), meta.Size)
	}
	if sum := sha256.Sum256([]byte(text)); !bytes.Equal(sum[:], meta.SHA256) {
		return meta, "", fmt.Errorf("SHA-256 of the text does not match the recorded one")
	}
	return meta, text, nil
}

// delta rebuilds a format-3 text from its base's verified text, or through
// revText when the base is beyond what texts keeps.
func (ck *checker) delta(p wiki.Path, rev int, meta revRecord, body []byte, texts map[int]string, bad map[int]bool) (string, error) {
	dist, d, err := splitDelta(body)
	if err != nil {
		return "", err
	}
	base := rev + dist
	if bad[base] {
		return "", fmt.Errorf("its delta base, revision %d, is damaged", base)
	}
	if t, ok := texts[base]; ok {
		return ck.db.applyDelta(t, d, meta.Size)
	}
	if base > ck.revN[p.String()] {
		return "", fmt.Errorf("its delta base, revision %d, is missing", base)
	}
	return ck.db.revText(ck.tx, p, rev, revFormatDelta, meta, body)
}

// heads compares every head with its last revision and recounts live pages.
func (ck *checker) heads(ctx context.Context) error {
	live := map[string]int{}
	err := ck.tx.Bucket(bucketPages).ForEach(func(k, v []byte) error {
		if ck.rep.Pages++; ck.rep.Pages%1024 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		h, err := decodeHead(k, v)
		if err != nil {
			ck.rep.addf("head %q: %v", k, err)
			return nil
		}
		if !h.Deleted {
			live[h.Path.Namespace()]++
		}
		ck.compareHead(h)
		return nil
	})
	if err != nil {
		return err
	}
	for p := range ck.revN {
		if ck.tx.Bucket(bucketPages).Get([]byte(p)) == nil {
			ck.rep.addf("%s has revisions but no head", p)
		}
	}
	counts, err := countsTx(ck.tx)
	if err != nil {
		ck.rep.addf("page counters: %v", err)
	} else if !maps.Equal(counts, live) {
		ck.rep.addf("live-page counters %v do not match the pages %v", counts, live)
	}
	return nil
}

func (ck *checker) compareHead(h wiki.Head) {
	p := h.Path.String()
	if ck.revN[p] != h.Rev {
		ck.rep.addf("%s: head says revision %d, the last stored is %d", p, h.Rev, ck.revN[p])
		return
	}
	last, ok := ck.last[p]
	if !ok {
		return // already reported as unreadable
	}
	r := last.revision(h.Rev)
	if r.Deleted != h.Deleted || r.Size != h.Size || r.Title != h.Title || r.Author != h.Author || !r.Time.Equal(h.Updated) {
		ck.rep.addf("%s: head does not match revision %d", p, h.Rev)
	}
}

// changes checks the log has every number from 1 to its sequence and that
// each entry names a stored revision.
func (ck *checker) changes(ctx context.Context) error {
	b := ck.tx.Bucket(bucketChanges)
	moves, err := movesOf(ctx, b)
	if err != nil {
		return err
	}
	want := uint64(1)
	c := b.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		if ck.rep.Changes++; ck.rep.Changes%1024 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		ch, err := decodeChange(k, v)
		if err != nil {
			ck.rep.addf("change %x: %v", k, err)
			want++
			continue
		}
		if ch.Seq != want {
			ck.rep.addf("change log: entries %d to %d are missing", want, ch.Seq-1)
		}
		want = ch.Seq + 1
		if ck.revN[moves.where(ch.Path.String(), ch.Seq)] < ch.Rev {
			ck.rep.addf("change %d names %s revision %d, which is not stored", ch.Seq, ch.Path, ch.Rev)
		}
	}
	if seq := b.Sequence(); want-1 != seq {
		ck.rep.addf("change log: ends at %d but its sequence is %d", want-1, seq)
	}
	return nil
}

// links checks that the link table and the backlink index mirror each other
// and that deleted pages link nowhere.
func (ck *checker) links(ctx context.Context) error {
	pages, bl := ck.tx.Bucket(bucketPages), ck.tx.Bucket(bucketBacklinks)
	err := ck.tx.Bucket(bucketLinks).ForEach(func(from, v []byte) error {
		if !headLive(pages.Get(from)) {
			ck.rep.addf("%s is not a live page but has outgoing links", from)
		}
		for _, t := range strings.Split(string(v), "\n") {
			if bl.Get(pairKey(t, string(from))) == nil {
				ck.rep.addf("%s links to %s but the backlink is missing", from, t)
			}
		}
		return ctx.Err()
	})
	if err != nil {
		return err
	}
	links := ck.tx.Bucket(bucketLinks)
	return bl.ForEach(func(k, _ []byte) error {
		target, from, ok := bytes.Cut(k, []byte{0})
		if !ok || !slices.Contains(strings.Split(string(links.Get(from)), "\n"), string(target)) {
			ck.rep.addf("backlink %q has no matching link", k)
		}
		return nil
	})
}

// moveLog is every move of the log: for each former path, the moves away
// from it in order of sequence.
type moveLog map[string][]moveEntry

type moveEntry struct {
	seq uint64
	to  string
}

// movesOf reads the moves of the change log (one pass; moves are few).
func movesOf(ctx context.Context, b *bolt.Bucket) (moveLog, error) {
	out := moveLog{}
	n := 0
	err := b.ForEach(func(k, v []byte) error {
		if n++; n%4096 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		ch, err := decodeChange(k, v)
		if err == nil && ch.Kind == wiki.KindMove && !ch.From.IsZero() {
			f := ch.From.String()
			out[f] = append(out[f], moveEntry{ch.Seq, ch.Path.String()})
		}
		return nil // a damaged entry is reported by the walk itself
	})
	return out, err
}

// where is the path that holds now the revisions a change at path p with
// sequence seq wrote: the page may have moved since, more than once.
func (m moveLog) where(p string, seq uint64) string {
	for range len(m) + 1 {
		next := ""
		for _, e := range m[p] {
			if e.seq > seq {
				next, seq = e.to, e.seq
				break
			}
		}
		if next == "" {
			return p
		}
		p = next
	}
	return p
}
