// Package textdiff computes line diffs of page text with go-diff and formats
// them as standard unified diffs. It implements wiki.Differ.
package textdiff

import (
	"context"
	"strconv"
	"strings"

	"github.com/sergi/go-diff/diffmatchpatch"
)

// Context is the number of unchanged lines shown around each change.
const Context = 3

// Differ implements wiki.Differ. The zero value is ready to use.
type Differ struct{}

// New returns a Differ.
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

// Lines returns the line-level edit script turning a into b.
func Lines(a, b string) []Line {
	dmp := diffmatchpatch.New()
	dmp.DiffTimeout = 0 // exact diffs: page texts are bounded in size
	ra, rb, lines := dmp.DiffLinesToRunes(a, b)
	diffs := dmp.DiffMainRunes(ra, rb, false)
	var out []Line
	for _, d := range diffs {
		op := Equal
		switch d.Type {
		case diffmatchpatch.DiffDelete:
			op = Delete
		case diffmatchpatch.DiffInsert:
			op = Insert
		}
		for _, r := range d.Text {
			out = append(out, Line{Op: op, Text: lines[r]})
		}
	}
	return out
}

// Unified returns the unified diff from a to b and the number of added and
// removed lines. It is "" when the texts are equal.
func (Differ) Unified(ctx context.Context, a, b, fromLabel, toLabel string) (string, int, int, error) {
	if a == b {
		return "", 0, 0, nil
	}
	script := Lines(a, b)
	added, removed := 0, 0
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
