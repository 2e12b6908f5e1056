package wiki

import "strings"

// ConflictRegion is a passage that two edits of a page changed each its
// own way: the text it had in the revision both started from, and the
// text each side gave it.
type ConflictRegion struct {
	Base, Yours, Theirs string
}

// MergePart is a run of a three-way merge: text both sides agree on, or
// a conflicting region when Conflict is not nil.
type MergePart struct {
	Text     string
	Conflict *ConflictRegion
}

// Merge is the result of a three-way merge, in text order.
type Merge struct {
	Parts []MergePart
}

// Conflicts returns the conflicting regions of m; none when the merge is
// clean.
func (m Merge) Conflicts() []ConflictRegion {
	var out []ConflictRegion
	for _, p := range m.Parts {
		if p.Conflict != nil {
			out = append(out, *p.Conflict)
		}
	}
	return out
}

// Markdown writes m as one text: the agreed text as is, and each
// conflicting region between "<<<<<<< yours", "=======" and ">>>>>>>
// revision theirsRev" lines, the member's side first. A clean merge is
// the merged text. This is the 409's conflict_markdown.
func (m Merge) Markdown(theirsRev int) string {
	var b strings.Builder
	for _, p := range m.Parts {
		if p.Conflict == nil {
			b.WriteString(p.Text)
			continue
		}
		b.WriteString(markerYours + "\n")
		b.WriteString(withNewline(p.Conflict.Yours))
		b.WriteString(markerSplit + "\n")
		b.WriteString(withNewline(p.Conflict.Theirs))
		b.WriteString(markerTheirs + itoa(theirsRev) + "\n")
	}
	return b.String()
}

// wholeConflict is the merge of two texts with nothing to merge them from
// (a page created twice, a page deleted meanwhile): one region holding
// both.
func wholeConflict(mine, theirs string) Merge {
	return Merge{Parts: []MergePart{{Conflict: &ConflictRegion{Yours: mine, Theirs: theirs}}}}
}

func withNewline(s string) string {
	if s == "" || strings.HasSuffix(s, "\n") {
		return s
	}
	return s + "\n"
}
