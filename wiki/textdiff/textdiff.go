// Package textdiff computes line diffs of page text, bounded in time, and
// formats them as standard unified diffs or merges them. It implements
// wiki.Differ.
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
// minimal unless the time bound ran out; it always turns a into b. It
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
	script, err := d.Lines(ctx, a, b)
	if err != nil {
		return "", 0, 0, err
	}
	for _, l := range script {
		switch l.Op {
		case Insert:
			added++
		case Delete:
			removed++
		}
	}
	var sb strings.Builder
	sb.WriteString("--- " + fromLabel + "\n+++ " + toLabel + "\n")
	for _, h := range hunks(script) {
		writeHunk(&sb, script, h)
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

// hunk is a range [start, end) of the script plus the line numbers (1-based)
// in a and b where it starts.
type hunk struct {
	start, end     int
	aLine, bLine   int
	aCount, bCount int
}

// hunks groups the changes of script with Context lines around them; two
// changes closer than 2*Context equal lines share a hunk, as in diff -u.
func hunks(script []Line) []hunk {
	var out []hunk
	aAt, bAt := lineNumbers(script)
	for i := 0; i < len(script); {
		if script[i].Op == Equal {
			i++
			continue
		}
		start := max(0, i-Context)
		// Extend while the next change is within 2*Context equal lines.
		end := i
		for end < len(script) {
			if script[end].Op != Equal {
				end++
				continue
			}
			run := end
			for run < len(script) && script[run].Op == Equal {
				run++
			}
			if run == len(script) || run-end > 2*Context {
				end = min(end+Context, len(script))
				break
			}
			end = run
		}
		h := hunk{start: start, end: end, aLine: aAt[start], bLine: bAt[start]}
		for _, l := range script[start:end] {
			if l.Op != Insert {
				h.aCount++
			}
			if l.Op != Delete {
				h.bCount++
			}
		}
		out = append(out, h)
		i = end
	}
	return out
}

// lineNumbers returns, for each index of script (and one past its end), the
// 1-based line numbers in a and b that the script is at there.
func lineNumbers(script []Line) (aAt, bAt []int) {
	aAt = make([]int, len(script)+1)
	bAt = make([]int, len(script)+1)
	aLine, bLine := 1, 1
	for i, l := range script {
		aAt[i], bAt[i] = aLine, bLine
		if l.Op != Insert {
			aLine++
		}
		if l.Op != Delete {
			bLine++
		}
	}
	aAt[len(script)], bAt[len(script)] = aLine, bLine
	return aAt, bAt
}

func writeHunk(sb *strings.Builder, script []Line, h hunk) {
	sb.WriteString("@@ -" + rangeSpec(h.aLine, h.aCount) + " +" + rangeSpec(h.bLine, h.bCount) + " @@\n")
	for _, l := range script[h.start:h.end] {
		switch l.Op {
		case Equal:
			sb.WriteByte(' ')
		case Delete:
			sb.WriteByte('-')
		case Insert:
			sb.WriteByte('+')
		}
		sb.WriteString(l.Text)
		if !strings.HasSuffix(l.Text, "\n") {
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
