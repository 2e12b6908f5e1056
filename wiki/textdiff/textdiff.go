// Package textdiff computes line diffs of page text with go-diff, bounded
// in time, and formats them as standard unified diffs or merges them. It
// implements wiki.Differ. The few texts on which go-diff's time limit does
// not hold are diffed by a bounded Myers instead (godiff.go). Word diffs
// (words.go) compare the changed lines token by token with the same
// engines, and find moved paragraphs (moves.go); rendered.go cuts them
// into Markdown blocks for a formatted view.
package textdiff

import (
	"context"
	"fmt"
	"time"

	"github.com/kdecole-club/clubwiki/wiki"
)

// Context is the number of unchanged lines shown around each change.
const Context = 3

// DefaultTimeout bounds the refining of one diff when Differ.Timeout is
// zero. Diffs run while a member waits (a diff page, a save that merges):
// past the bound the diff is coarser, never wrong and never late.
const DefaultTimeout = time.Second

// Differ implements wiki.Differ. The zero value is ready to use.
type Differ struct {
	// Timeout bounds the time one diff spends looking for the shortest
	// script; the context's deadline, when sooner, bounds it too. Past it
	// the parts not yet compared are replaced whole. 0 is DefaultTimeout.
	Timeout time.Duration

	// goDiffIDs, when above 0 and below maxRuneIDs, lowers how many
	// distinct lines go-diff is given, so that a test can show the switch
	// to the guard on texts of a few thousand lines rather than the 1.1
	// million it takes at the real bound. 0 is maxRuneIDs.
	goDiffIDs int
	// moveWork, when above 0 and below maxMoveWork, lowers the work spent
	// looking for moved lines (moves.go), so that a test can show the
	// bound hold on a page of thousands of lines rather than hundreds of
	// thousands. 0 is maxMoveWork.
	moveWork int
}

// New returns a Differ with the default time bound.
func New() Differ { return Differ{} }

// Op is what happens to one line.
type Op int8

// The line operations.
const (
	Equal Op = iota
	Delete
	Insert
)

// Line is one line of an edit script, with its trailing newline if it had one.
type Line struct {
	Op   Op
	Text string
}

// Lines returns the line-level edit script turning a into b. It is
// minimal unless the time bound ran out (go-diff's half-match, on under a
// time bound, may rarely give up a line or two more); it always turns a
// into b. It
// returns the context's error, and no script, when ctx ends first.
func (d Differ) Lines(ctx context.Context, a, b string) ([]Line, error) {
	return lines(d.newBudget(ctx), a, b)
}

// newBudget starts the time bound of one diff.
func (d Differ) newBudget(ctx context.Context) *budget {
	timeout := d.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	b := &budget{ctx: ctx, deadline: time.Now().Add(timeout), maxIDs: maxRuneIDs}
	if d.goDiffIDs > 0 && d.goDiffIDs < maxRuneIDs {
		b.maxIDs = d.goDiffIDs
	}
	b.maxMoveWork = maxMoveWork
	if d.moveWork > 0 && d.moveWork < maxMoveWork {
		b.maxMoveWork = d.moveWork
	}
	if dl, ok := ctx.Deadline(); ok && dl.Before(b.deadline) {
		b.deadline, b.ctxBound = dl, true
	}
	return b
}

// Unified returns the unified diff from a to b and the number of added and
// removed lines. It is "" when the texts are equal.
func (d Differ) Unified(ctx context.Context, a, b, fromLabel, toLabel string) (u string, added, removed int, err error) {
	df, err := d.Diff(ctx, a, b)
	if err != nil {
		return "", 0, 0, err
	}
	return df.Unified(fromLabel, toLabel), df.Added, df.Removed, nil
}

// Diff returns the hunks turning a into b, with Context unchanged lines
// around each change, and the number of added and removed lines. It has no
// hunk when the texts are equal. The lines' text shares a's and b's memory.
func (d Differ) Diff(ctx context.Context, a, b string) (df wiki.Diff, err error) {
	defer recoverInternal(&err)
	if err := ctx.Err(); err != nil {
		return wiki.Diff{}, err
	}
	if a == b {
		return wiki.Diff{}, nil
	}
	ta, tb := split(a), split(b)
	es, err := diff(d.newBudget(ctx), ta, tb)
	if err != nil {
		return wiki.Diff{}, err
	}
	for _, e := range es {
		df.Removed += e.A1 - e.A0
		df.Added += e.B1 - e.B0
	}
	for len(es) > 0 {
		// Changes closer than 2*Context unchanged lines share a hunk,
		// as in diff -u.
		k := 1
		for k < len(es) && es[k].A0-es[k-1].A1 <= 2*Context {
			k++
		}
		df.Hunks = append(df.Hunks, hunk(ta, tb, es[:k]))
		es = es[k:]
	}
	return df, nil
}

// recoverInternal turns a panic of a diff into an internal error, so that
// a flaw met by one page's text costs that request an error, which the
// editor answers with the member's text kept, rather than a crash.
func recoverInternal(err *error) {
	if r := recover(); r != nil {
		*err = wiki.Internal(fmt.Errorf("textdiff: %v", r), "the texts could not be compared")
	}
}

// hunk returns one hunk: the edits es with Context unchanged lines
// before, between and after them.
func hunk(a, b text, es []Region) wiki.DiffHunk {
	first, last := es[0], es[len(es)-1]
	a0 := max(0, first.A0-Context)
	a1 := min(a.n(), last.A1+Context)
	b0 := first.B0 - (first.A0 - a0) // the lines before first.A0 are unchanged
	b1 := last.B1 + (a1 - last.A1)
	h := wiki.DiffHunk{FromLine: a0 + 1, FromCount: a1 - a0, ToLine: b0 + 1, ToCount: b1 - b0}
	h.Lines = make([]wiki.DiffLine, 0, (a1-a0)+(b1-b0))
	at := a0
	for _, e := range es {
		h.Lines = appendLines(h.Lines, wiki.DiffContext, a, at, e.A0)
		h.Lines = appendLines(h.Lines, wiki.DiffDelete, a, e.A0, e.A1)
		h.Lines = appendLines(h.Lines, wiki.DiffInsert, b, e.B0, e.B1)
		at = e.A1
	}
	h.Lines = appendLines(h.Lines, wiki.DiffContext, a, at, a1)
	return h
}

// appendLines appends lines [i, j) of t with op.
func appendLines(ls []wiki.DiffLine, op wiki.DiffOp, t text, i, j int) []wiki.DiffLine {
	for ; i < j; i++ {
		ls = append(ls, wiki.DiffLine{Op: op, Text: t.line(i)})
	}
	return ls
}
