package wiki

import "strings"

// SegmentOp says which text a segment of a word diff belongs to.
type SegmentOp byte

// The segment operations, as the API writes them.
const (
	SegEqual  SegmentOp = '=' // in both texts
	SegDelete SegmentOp = '-' // only in the old text
	SegInsert SegmentOp = '+' // only in the new text
)

// Segment is a run of text of a word diff.
type Segment struct {
	Op   SegmentOp
	Text string
}

// BlockKind is what a block of a word diff holds.
type BlockKind int8

// The kinds of blocks.
const (
	BlockSame      BlockKind = iota // unchanged lines, which views fold
	BlockChanged                    // lines changed in place, marked word by word
	BlockMovedFrom                  // a paragraph's old place: it moved to Blocks[Move]
	BlockMovedTo                    // a paragraph's new place: it came from Blocks[Move]
)

// WordBlock is a run of lines of a word diff. Joining the texts of its
// '=' and '-' segments gives its lines of the old text, '=' and '+' its
// lines of the new text; a side without lines has Count 0 and Line where
// they would start (1-based, as in DiffHunk). Blocks hold whole lines,
// but for a changed block next to a moved paragraph where lines were also
// joined or split: it may then start or end inside a line of one text.
type WordBlock struct {
	Kind                BlockKind
	FromLine, FromCount int
	ToLine, ToCount     int
	Segments            []Segment
	// Move is the index in WordDiff.Blocks of the other place of a moved
	// paragraph, -1 for other blocks.
	Move int
	// Edits, on a BlockMovedTo whose paragraph also changed on the way,
	// is the word diff from its old text to its new one: its '=' and '+'
	// segments give the block's text, its '=' and '-' the paragraph as it
	// was (the blank lines around it may differ from the other block's).
	Edits []Segment
	// Coarse is set when the block's lines were too many to compare word
	// by word (or the time bound ran out): it replaces them whole.
	Coarse bool
}

// WordDiff is a diff at the level of words inside changed lines, cut into
// blocks of whole lines in the order of both texts: the blocks' segments,
// joined, rebuild both texts exactly.
type WordDiff struct {
	Blocks []WordBlock
	// Coarse is set when some block is (see WordBlock.Coarse): the diff
	// is right, only less precise there.
	Coarse bool
}

// Segments returns the whole diff as one list of segments, adjacent
// segments of one op merged, as the API's "words" carries it. A moved
// paragraph is a deletion at its old place and an insertion at its new.
func (d WordDiff) Segments() []Segment {
	var out []Segment
	for _, b := range d.Blocks {
		out = AppendSegments(out, b.Segments...)
	}
	return out
}

// AppendSegments appends segs to out, merging a segment into the last one
// when they have the same op and dropping empty ones.
func AppendSegments(out []Segment, segs ...Segment) []Segment {
	for _, s := range segs {
		if s.Text == "" {
			continue
		}
		if k := len(out) - 1; k >= 0 && out[k].Op == s.Op {
			out[k].Text += s.Text
			continue
		}
		out = append(out, s)
	}
	return out
}

// SegmentTexts rebuilds the two texts of segs: old from its '=' and '-'
// segments, new from its '=' and '+'.
func SegmentTexts(segs []Segment) (old, new string) {
	var a, b strings.Builder
	for _, s := range segs {
		if s.Op != SegInsert {
			a.WriteString(s.Text)
		}
		if s.Op != SegDelete {
			b.WriteString(s.Text)
		}
	}
	return a.String(), b.String()
}

// The rendered diff shows the formatted page with its changes marked. The
// differ cuts the word diff into DiffBlocks of Markdown, each rendered
// alone by the page renderer (with the same sanitising as a page view).
// Inside a block whose Marked is set, the changed words are wrapped in
// the mark runes below, which pass through rendering and sanitising as
// text; the view then turns them into <ins> and <del> in text only,
// closing and reopening a mark around any tag between its two runes so
// that no mark can span, or break out of, the page's own elements. The
// runes never come from the page: the differ replaces them in the page's
// text with U+FFFD first.
const (
	MarkInsStart = '\uE000'
	MarkInsEnd   = '\uE001'
	MarkDelStart = '\uE002'
	MarkDelEnd   = '\uE003'
)

// DiffBlock is one block of Markdown of a rendered diff. Op is '=' for a
// block in both texts, marked inside when Marked is set; '-' for a block
// of the old text only and '+' of the new text only, shown whole as
// deleted or inserted (a change the marks could not show safely inside
// Markdown syntax becomes such a pair).
type DiffBlock struct {
	Kind     BlockKind
	Op       SegmentOp
	Markdown string
	Marked   bool
}
