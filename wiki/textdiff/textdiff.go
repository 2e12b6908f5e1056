// Package textdiff computes line diffs of page text with go-diff, bounded
// in time, and formats them as standard unified diffs or merges them. It
// implements wiki.Differ. The few texts on which go-diff's time limit does
// not hold are diffed by a bounded Myers instead (godiff.go).
package textdiff

import (
	"context"
	"fmt"
	"strconv"
	"strings"
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
	b := &budget{ctx: ctx, deadline: time.Now().Add(timeout)}
	if dl, ok := ctx.Deadline(); ok && dl.Before(b.deadline) {
		b.deadline, b.ctxBound = dl, true
	}
	return b
}

// Unified returns the unified diff from a to b and the number of added and
// removed lines. It is "" when the texts are equal.
func (d Differ) Unified(ctx context.Context, a, b, fromLabel, toLabel string) (u string, added, removed int, err error) {
	defer recoverInternal(&err)
	if err := ctx.Err(); err != nil {
		return "", 0, 0, err
	}
	if a == b {
		return "", 0, 0, nil
	}
	ta, tb := split(a), split(b)
	es, err := diff(d.newBudget(ctx), ta, tb)
	if err != nil {
		return "", 0, 0, err
	}
	for _, e := range es {
		removed += e.A1 - e.A0
		added += e.B1 - e.B0
	}
	var sb strings.Builder
	sb.WriteString("--- " + fromLabel + "\n+++ " + toLabel + "\n")
	for len(es) > 0 {
		// Changes closer than 2*Context unchanged lines share a hunk,
		// as in diff -u.
		k := 1
		for k < len(es) && es[k].A0-es[k-1].A1 <= 2*Context {
			k++
		}
		writeHunk(&sb, ta, tb, es[:k])
		es = es[k:]
	}
	return sb.String(), added, removed, nil
}

// recoverInternal turns a panic of a diff into an internal error, so that
// a flaw met by one page's text costs that request an error, which the
// editor answers with the member's text kept, rather than a crash.
func recoverInternal(err *error) {
	if r := recover(); r != nil {
		*err = wiki.Internal(fmt.Errorf("textdiff: %v", r), "the texts could not be compared")
	}
}

// writeHunk writes one hunk: the edits es with Context unchanged lines
// before, between and after them.
func writeHunk(sb *strings.Builder, a, b text, es []Region) {
	first, last := es[0], es[len(es)-1]
	a0 := max(0, first.A0-Context)
	a1 := min(a.n(), last.A1+Context)
	b0 := first.B0 - (first.A0 - a0) // the lines before first.A0 are unchanged
	b1 := last.B1 + (a1 - last.A1)
	sb.WriteString("@@ -" + rangeSpec(a0+1, a1-a0) + " +" + rangeSpec(b0+1, b1-b0) + " @@\n")
	at := a0
	for _, e := range es {
		writeLines(sb, ' ', a, at, e.A0)
		writeLines(sb, '-', a, e.A0, e.A1)
		writeLines(sb, '+', b, e.B0, e.B1)
		at = e.A1
	}
	writeLines(sb, ' ', a, at, a1)
}

// writeLines writes lines [i, j) of t, each after mark.
func writeLines(sb *strings.Builder, mark byte, t text, i, j int) {
	for ; i < j; i++ {
		l := t.line(i)
		sb.WriteByte(mark)
		sb.WriteString(l)
		if !strings.HasSuffix(l, "\n") {
			sb.WriteString("\n\\ No newline at end of file\n")
		}
	}
}

// rangeSpec formats a hunk range as diff(1) does: "l,n", "l" when n is 1,
// and "l-1,0" for an empty range.
func rangeSpec(line, count int) string {
	switch count {
	case 0:
		return strconv.Itoa(line-1) + ",0"
	case 1:
		return strconv.Itoa(line)
	}
	return strconv.Itoa(line) + "," + strconv.Itoa(count)
}
