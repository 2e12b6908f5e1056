package web

import (
	"strings"

	"github.com/kdecole-club/clubwiki/wiki"
)

// diffView is a unified diff laid out for reading.
type diffView struct {
	From, To       int
	Added, Removed int
	Hunks          []diffHunk
}

// diffHunk is one @@ section of a diff.
type diffHunk struct {
	Header string
	Lines  []diffLine
}

// diffLine is one line of a hunk with its numbers in the old and new text
// (0 where it has none).
type diffLine struct {
	Kind     string // "add", "del", "ctx" or "note"
	Old, New int
	Text     string
}

// newDiffView lays out the service's diff hunks, numbering each line in
// the old and new text.
func newDiffView(d wiki.DiffResult) diffView {
	v := diffView{From: d.From, To: d.To, Added: d.Added, Removed: d.Removed}
	for _, h := range d.Hunks {
		v.Hunks = append(v.Hunks, newDiffHunk(h))
	}
	return v
}

// newDiffHunk lays out one hunk. A line without a final newline is
// followed by diff's note saying so, as the unified text has it.
func newDiffHunk(h wiki.DiffHunk) diffHunk {
	out := diffHunk{Header: h.Header(), Lines: make([]diffLine, 0, len(h.Lines))}
	oldN, newN := h.FromLine, h.ToLine
	for _, dl := range h.Lines {
		text, hasNewline := strings.CutSuffix(dl.Text, "\n")
		l := diffLine{Text: text}
		switch dl.Op {
		case wiki.DiffInsert:
			l.Kind, l.New = "add", newN
			newN++
		case wiki.DiffDelete:
			l.Kind, l.Old = "del", oldN
			oldN++
		default:
			l.Kind, l.Old, l.New = "ctx", oldN, newN
			oldN++
			newN++
		}
		out.Lines = append(out.Lines, l)
		if !hasNewline {
			out.Lines = append(out.Lines, diffLine{Kind: "note", Text: noNewlineNote})
		}
	}
	return out
}

// noNewlineNote is how diff(1) marks a last line without a newline.
const noNewlineNote = "\\ No newline at end of file"
