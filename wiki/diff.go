package wiki

import (
	"strconv"
	"strings"
)

// DiffOp is what a diff does with one line.
type DiffOp int8

// The line operations of a diff.
const (
	DiffContext DiffOp = iota // unchanged, shown around a change
	DiffDelete                // only in the old text
	DiffInsert                // only in the new text
)

// mark is the op's first character in a unified diff.
func (op DiffOp) mark() byte {
	switch op {
	case DiffDelete:
		return '-'
	case DiffInsert:
		return '+'
	}
	return ' '
}

// DiffLine is one line of a hunk, with its trailing newline when it has
// one: a line without it is the last of its text, which had no final
// newline.
type DiffLine struct {
	Op   DiffOp
	Text string
}

// DiffHunk is one run of changes with the unchanged lines around them.
// FromLine and ToLine are the 1-based numbers of the hunk's first line in
// the old and new text; when a side has no line (FromCount or ToCount 0)
// it is where its lines would start.
type DiffHunk struct {
	FromLine, FromCount int
	ToLine, ToCount     int
	Lines               []DiffLine
}

// Diff is a line diff: its hunks in order, and how many lines it adds and
// removes. It has no hunk when the texts are equal.
type Diff struct {
	Hunks          []DiffHunk
	Added, Removed int
}

// Unified formats d as a standard unified diff with the given file labels,
// as diff -u and patch know it; "" when d has no hunk.
func (d Diff) Unified(fromLabel, toLabel string) string {
	if len(d.Hunks) == 0 {
		return ""
	}
	var sb strings.Builder
	sb.WriteString("--- " + fromLabel + "\n+++ " + toLabel + "\n")
	for _, h := range d.Hunks {
		sb.WriteString(h.Header() + "\n")
		for _, l := range h.Lines {
			sb.WriteByte(l.Op.mark())
			sb.WriteString(l.Text)
			if !strings.HasSuffix(l.Text, "\n") {
				sb.WriteString("\n\\ No newline at end of file\n")
			}
		}
	}
	return sb.String()
}

// Header is the hunk's "@@ -l,n +l,n @@" line, without its newline.
func (h DiffHunk) Header() string {
	return "@@ -" + rangeSpec(h.FromLine, h.FromCount) + " +" + rangeSpec(h.ToLine, h.ToCount) + " @@"
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
