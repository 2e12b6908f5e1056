package store

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/kdecole-club/clubwiki/wiki/textdiff"
)

// A delta rebuilds a target text from a base text. It is a coding byte
// (deltaRaw or deltaFlate) followed by the script, DEFLATE-compressed when
// that saves a tenth:
//
//	uvarint target length
//	ops: uvarint n<<1|opCopy, varint (offset - end of previous copy), or
//	     uvarint n<<1|opInsert, n literal bytes
//
// Copies address the base by byte offset, relative to where the previous
// copy ended: an edit script mostly copies forward, so offsets are 0 or
// small and take one byte. The script is byte-oriented, so any text
// (invalid UTF-8, CRLF, no final newline) round-trips; lines only guide the
// diff.
const (
	deltaRaw   = 0
	deltaFlate = 1

	opCopy   = 0
	opInsert = 1
)

// diffTimeout bounds the line diff, which runs on the write path. Past it
// the diff is coarser but still exact, so a pathological rewrite costs
// storage, never correctness or a stuck writer.
const diffTimeout = 20 * time.Millisecond

// maxDeltaTarget refuses a delta claiming a text larger than any page could
// be, so a damaged length never drives an allocation.
const maxDeltaTarget = 1 << 30

var errBadDelta = errors.New("malformed delta")

// opWriter appends ops, merging adjacent copies and adjacent inserts so a
// run of unchanged lines costs one op.
type opWriter struct {
	out          []byte
	base, target string
	kind         int // pending op: -1 none, opCopy or opInsert
	start, end   int // pending range, in the base for copies, else in the target
	copyEnd      int // where the last flushed copy ended in the base
}

func (w *opWriter) add(kind, start, end int) {
	if start == end {
		return
	}
	if w.kind == kind && w.end == start {
		w.end = end
		return
	}
	w.flush()
	w.kind, w.start, w.end = kind, start, end
}

func (w *opWriter) flush() {
	n := uint64(w.end - w.start)
	switch w.kind {
	case opCopy:
		w.out = binary.AppendUvarint(w.out, n<<1|opCopy)
		w.out = binary.AppendVarint(w.out, int64(w.start-w.copyEnd))
		w.copyEnd = w.end
	case opInsert:
		w.out = binary.AppendUvarint(w.out, n<<1|opInsert)
		w.out = append(w.out, w.target[w.start:w.end]...)
	}
	w.kind = -1
}

// changed writes the ops rebuilding the target's bytes [t0, t1) that
// replace the base's [b0, b1). The bytes both ends share are copied: a
// paragraph is one line in Markdown, so a word or a sentence changed in it
// costs that word or sentence, not the whole paragraph.
func (w *opWriter) changed(b0, b1, t0, t1 int) {
	a, t := w.base[b0:b1], w.target[t0:t1]
	pre := 0
	for pre < len(a) && pre < len(t) && a[pre] == t[pre] {
		pre++
	}
	suf := 0
	for suf < len(a)-pre && suf < len(t)-pre && a[len(a)-1-suf] == t[len(t)-1-suf] {
		suf++
	}
	w.add(opCopy, b0, b0+pre)
	w.add(opInsert, t0+pre, t1-suf)
	w.add(opCopy, b1-suf, b1)
}

// deltaScript returns the uncompressed script that rebuilds target from
// base, from textdiff's line diff (go-diff's, or on hostile revisions the
// bounded Myers that guards it): equal lines become copies, inserted lines
// literal bytes, deleted lines nothing.
func deltaScript(base, target string) ([]byte, error) {
	regions, err := textdiff.Differ{Timeout: diffTimeout}.Regions(context.Background(), base, target)
	if err != nil {
		return nil, err
	}
	bs, ts := textdiff.LineStarts(base), textdiff.LineStarts(target)
	w := opWriter{base: base, target: target, kind: -1}
	w.out = binary.AppendUvarint(make([]byte, 0, 64), uint64(len(target)))
	bi, ti := 0, 0 // next line of base and of target
	for _, r := range regions {
		// Unchanged lines come in pairs: as many before r on both sides.
		if r.A0 < bi || r.A1 < r.A0 || r.A1 >= len(bs) || r.B0-ti != r.A0-bi || r.B1 < r.B0 || r.B1 >= len(ts) {
			return nil, fmt.Errorf("diff region out of the texts: %w", errBadDelta)
		}
		w.add(opCopy, bs[bi], bs[r.A0])
		w.changed(bs[r.A0], bs[r.A1], ts[r.B0], ts[r.B1])
		bi, ti = r.A1, r.B1
	}
	if len(bs)-bi != len(ts)-ti {
		return nil, fmt.Errorf("diff does not cover both texts: %w", errBadDelta)
	}
	w.add(opCopy, bs[bi], bs[len(bs)-1])
	w.flush()
	return w.out, nil
}

// makeDelta returns a delta (coding byte and script) rebuilding target from
// base. Callers verify it with applyDelta before trusting it.
func (db *DB) makeDelta(base, target string) ([]byte, error) {
	script, err := deltaScript(base, target)
	if err != nil {
		return nil, err
	}
	if len(script) >= minCompress {
		packed, err := db.deflate([]byte{deltaFlate}, script)
		if err == nil && len(packed)-1 <= len(script)*9/10 {
			return packed, nil
		}
	}
	return append([]byte{deltaRaw}, script...), nil
}

// applyDelta rebuilds the target of delta from base, size bytes long.
// Every length and offset is bounds-checked, so a damaged delta yields an
// error, never a panic or a text of another size.
func (db *DB) applyDelta(base string, delta []byte, size int) (string, error) {
	out, err := applyDeltaTo(db, nil, base, delta, size)
	return string(out), err
}

// applyDeltaTo is applyDelta writing into dst's memory, so that a chain
// of deltas is applied with two buffers, not one text per delta.
func applyDeltaTo[B ~string | ~[]byte](db *DB, dst []byte, base B, delta []byte, size int) ([]byte, error) {
	if len(delta) == 0 || size < 0 || size > maxDeltaTarget {
		return nil, errBadDelta
	}
	script := delta[1:]
	switch delta[0] {
	case deltaRaw:
	case deltaFlate:
		buf, err := db.inflate(script, maxScript(size))
		if err != nil {
			return nil, fmt.Errorf("decompressing delta: %w", err)
		}
		script = buf.Bytes()
	default:
		return nil, fmt.Errorf("delta coding %d: %w", delta[0], errBadDelta)
	}
	return applyScript(dst[:0], base, script, size)
}

// maxScript bounds the script of a delta rebuilding size bytes: its
// length, then ops of which each writes at least a byte (opWriter never
// writes an empty one), with a header and an offset of at most ten bytes
// each, or the inserted bytes.
func maxScript(size int) int { return 10 + 21*size }

func applyScript[B ~string | ~[]byte](out []byte, base B, script []byte, size int) ([]byte, error) {
	want, w := binary.Uvarint(script)
	if w <= 0 || want > maxDeltaTarget || want != uint64(size) {
		return nil, fmt.Errorf("delta length %d, recorded %d: %w", want, size, errBadDelta)
	}
	script = script[w:]
	// A damaged length must not drive the allocation: what a delta can
	// write without repeating base bytes bounds the hint.
	out = slices.Grow(out, min(int(want), len(base)+len(script)))
	pos := 0 // end of the previous copy in base
	for len(script) > 0 {
		h, w := binary.Uvarint(script)
		if w <= 0 {
			return nil, errBadDelta
		}
		script = script[w:]
		n := h >> 1
		if n > want-uint64(len(out)) {
			return nil, fmt.Errorf("delta writes past its length: %w", errBadDelta)
		}
		if h&1 == opInsert {
			if n > uint64(len(script)) {
				return nil, fmt.Errorf("insert past the end of the delta: %w", errBadDelta)
			}
			out = append(out, script[:n]...)
			script = script[n:]
			continue
		}
		rel, w := binary.Varint(script)
		if w <= 0 {
			return nil, errBadDelta
		}
		script = script[w:]
		if rel < int64(-pos) || rel > int64(len(base)-pos) || n > uint64(len(base)-pos-int(rel)) {
			return nil, fmt.Errorf("copy outside the base: %w", errBadDelta)
		}
		off := pos + int(rel)
		out = append(out, base[off:off+int(n)]...)
		pos = off + int(n)
	}
	if uint64(len(out)) != want {
		return nil, fmt.Errorf("delta rebuilt %d bytes, want %d: %w", len(out), want, errBadDelta)
	}
	return out, nil
}
