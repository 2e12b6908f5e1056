package wiki

import (
	"strings"
)

// The lines around a conflicting region, as Merge.Markdown writes them and as
// the API's conflict_markdown carries them.
const (
	markerYours  = "<<<<<<< yours"
	markerSplit  = "======="
	markerTheirs = ">>>>>>> revision "
)

// Resolution says what to keep of each conflicting region when an editor
// settles an edit conflict without editing the regions by hand.
type Resolution int

const (
	// KeepBoth keeps both sides of each region, the editor's first, and
	// drops the marker lines: nobody's text is lost.
	KeepBoth Resolution = iota + 1
	// KeepMine keeps the editor's side of each region and drops the other
	// person's: a deliberate overwrite of their overlapping change.
	KeepMine
)

// ConflictRegions counts the well-formed conflicting regions of md (a text
// with conflict markers, as an edit conflict returns it). ok is false when
// the markers are damaged: a region opened and not closed, or a closing
// line without its opening.
func ConflictRegions(md string) (n int, ok bool) {
	n, _, ok = resolveConflicts(md, KeepBoth)
	return n, ok
}

// ResolveConflicts replaces every conflicting region of md as keep says and
// returns the text without markers. ok is false when the markers are damaged
// (see ConflictRegions): guessing which lines belong to whom could drop
// someone's text.
func ResolveConflicts(md string, keep Resolution) (string, bool) {
	_, out, ok := resolveConflicts(md, keep)
	return out, ok
}

func resolveConflicts(md string, keep Resolution) (n int, out string, ok bool) {
	md = strings.ReplaceAll(md, "\r\n", "\n") // as a browser's textarea sends it
	const (
		outside = iota
		inMine
		inTheirs
	)
	var b, theirs strings.Builder
	state := outside
	for line := range strings.Lines(md) {
		bare := strings.TrimRight(line, "\n")
		switch {
		case bare == markerYours:
			if state != outside {
				return n, "", false
			}
			state = inMine
		case bare == markerSplit && state == inMine:
			state = inTheirs
		case strings.HasPrefix(bare, markerTheirs):
			if state != inTheirs {
				return n, "", false
			}
			if keep == KeepBoth {
				b.WriteString(withNewline(theirs.String()))
			}
			theirs.Reset()
			state = outside
			n++
		case state == inTheirs:
			theirs.WriteString(line)
		default:
			b.WriteString(line)
		}
	}
	if state != outside {
		return n, "", false
	}
	return n, b.String(), true
}
