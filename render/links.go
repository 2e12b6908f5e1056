package render

import (
	"bytes"

	"github.com/kdecole-club/clubwiki/wiki"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// linkRefChunk is how many lines starting with "[" chunkedLinkRefs hands to
// goldmark's link reference definition transformer at a time.
const linkRefChunk = 32

// chunkedLinkRefs feeds goldmark's link reference definition transformer a
// long paragraph a few definitions at a time. That transformer removes each
// definition it finds by copying every line after it, so a paragraph of n
// definitions cost n² (2 MB of "[a]: /u" took 52 s); in chunks of
// linkRefChunk definitions it costs n·linkRefChunk. A chunk ends before a
// line starting with "[", where a definition may start, so definitions are
// never cut in two (short of a title running over such a line).
type chunkedLinkRefs struct{ parser.ParagraphTransformer }

// Transform implements parser.ParagraphTransformer.
func (t chunkedLinkRefs) Transform(node *ast.Paragraph, reader text.Reader, pc parser.Context) {
	l := limitsOf(pc)
	if l.stopped() {
		return
	}
	src, lines := reader.Source(), node.Lines()
	defer func() {
		if node.Parent() != nil {
			chargeLabelLookups(l, node.Lines(), src)
		}
	}()
	for from := 0; ; {
		cut := linkRefCut(lines, from, src)
		if cut >= lines.Len() {
			if from > 0 {
				node.SetLines(sliceLines(lines, from, lines.Len()))
			}
			t.ParagraphTransformer.Transform(node, reader, pc)
			return
		}
		head := ast.NewParagraph()
		head.SetBlankPreviousLines(from == 0 && node.HasBlankPreviousLines())
		head.SetLines(sliceLines(lines, from, cut))
		parent := node.Parent()
		parent.InsertBefore(parent, node, head)
		prev := head.PreviousSibling()
		t.ParagraphTransformer.Transform(head, reader, pc)
		if !countDefinitions(l, parent, prev, node, lines.At(from).Start) {
			return
		}
		if head.Parent() != nil {
			// The definitions ended inside the chunk: what is left of
			// it and every line after are the paragraph's text.
			left := sliceLines(head.Lines(), 0, head.Lines().Len())
			left.AppendAll(lines.Sliced(cut, lines.Len()))
			head.Parent().RemoveChild(head.Parent(), head)
			node.SetLines(left)
			node.SetBlankPreviousLines(head.HasBlankPreviousLines())
			return
		}
		from = cut
		if l.stopped() {
			return
		}
	}
}

// countDefinitions counts the definitions the transformer put between prev
// (nil: the first child of parent) and stop against maxLinkDefinitions.
func countDefinitions(l *limits, parent, prev, stop ast.Node, offset int) bool {
	n := parent.FirstChild()
	if prev != nil {
		n = prev.NextSibling()
	}
	for ; n != nil && n != stop; n = n.NextSibling() {
		if n.Kind() == ast.KindLinkReferenceDefinition {
			l.definitions++
		}
	}
	if l.definitions > l.max.LinkDefinitions {
		return l.exceed(wiki.LimitLinkDefinitions, l.definitions, l.max.LinkDefinitions, offset)
	}
	return true
}

// linkRefCut returns where the chunk starting at line from ends: at the
// linkRefChunk+1st line starting with "[", or lines.Len() when there are
// fewer or when line from does not start like a definition (then none
// follows).
func linkRefCut(lines *text.Segments, from int, src []byte) int {
	starts := 0
	for i := from; i < lines.Len(); i++ {
		if seg := lines.At(i); !startsLikeDefinition(seg.Value(src)) {
			if i == from {
				return lines.Len()
			}
			continue
		}
		if starts++; starts > linkRefChunk {
			return i
		}
	}
	return lines.Len()
}

// chargeLabelLookups charges the link budget for the label copies of the
// paragraph's "]": goldmark's block reader finds the line of a label by
// walking back from the paragraph's last line, so each costs up to the
// paragraph's line count.
func chargeLabelLookups(l *limits, lines *text.Segments, src []byte) {
	if lines.Len() < 2 {
		return
	}
	first, last := lines.At(0), lines.At(lines.Len()-1)
	closers := bytes.Count(src[first.Start:last.Stop], []byte{']'})
	l.chargeLinks(closers*lines.Len(), first.Start)
}

// startsLikeDefinition reports whether line opens with "[" after at most
// three spaces, as a link reference definition must.
func startsLikeDefinition(line []byte) bool {
	trimmed := bytes.TrimLeft(line, " ")
	return len(line)-len(trimmed) <= 3 && len(trimmed) > 0 && trimmed[0] == '['
}

// sliceLines returns a copy of lines[from:to].
func sliceLines(lines *text.Segments, from, to int) *text.Segments {
	out := text.NewSegments()
	out.AppendAll(lines.Sliced(from, to))
	return out
}

// boundedLinks wraps goldmark's link parser, which at every "]" may read
// to the end of the line for a destination ("[a](<" repeated on one line
// is quadratic: 400 KB took 10 s), walk every node back to its "[" and copy
// that label (as in "[[[…]]]"). It charges that work against maxLinkScan,
// keeping the positions of the open brackets the link parser holds, and
// hands the parser a reader that charges what it reads. Once the page went
// past the bound (or its context ended), a line from a bracket on is plain
// text, so the rest of the page costs little; Render then refuses the page.
type boundedLinks struct{ parser.InlineParser }

// openBracketsKey holds the offsets of the link parser's open brackets.
var openBracketsKey = parser.NewContextKey()

// Parse implements parser.InlineParser.
func (b boundedLinks) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	l := limitsOf(pc)
	line, seg := block.PeekLine()
	if l.stopped() {
		// The page is refused: the rest of the line is text (its
		// newline stays for the parser to see).
		n := len(bytes.TrimRight(line, "\r\n"))
		block.Advance(n)
		return ast.NewTextSegment(seg.WithStop(seg.Start + n))
	}
	open, _ := pc.Get(openBracketsKey).([]int)
	if line[0] != ']' {
		n := b.InlineParser.Parse(parent, block, pc)
		if n != nil {
			// An open bracket is a node kept until its block ends.
			l.chargeLinks(bracketCost, seg.Start)
			pc.Set(openBracketsKey, append(open, seg.Start))
		}
		return n
	}
	if len(open) > 0 {
		// The link parser walks the label's nodes and may copy it.
		l.chargeLinks(seg.Start-open[len(open)-1], seg.Start)
		pc.Set(openBracketsKey, open[:len(open)-1])
	}
	return b.InlineParser.Parse(parent, &scanReader{Reader: block, lim: l}, pc)
}

// CloseBlock implements parser.CloseBlocker: goldmark's link parser needs
// it to turn unclosed brackets back into text.
func (b boundedLinks) CloseBlock(parent ast.Node, block text.Reader, pc parser.Context) {
	pc.Set(openBracketsKey, nil)
	if cb, ok := b.InlineParser.(parser.CloseBlocker); ok {
		cb.CloseBlock(parent, block, pc)
	}
}

// scanReader is the reader boundedLinks gives goldmark's link parser.
type scanReader struct {
	text.Reader
	lim *limits
}

// PeekLine implements text.Reader. It charges what the link parser will
// read of the line: a destination in "<…>" runs to the first ">", any other
// to the first blank (or a parenthesis, which comes sooner).
func (r *scanReader) PeekLine() ([]byte, text.Segment) {
	line, seg := r.Reader.PeekLine()
	if r.lim.err != nil && len(line) > 1 {
		return line[:1], seg.WithStop(seg.Start + 1)
	}
	r.lim.chargeLinks(scanLength(line), seg.Start)
	return line, seg
}

// Value implements text.Reader: the link parser copies labels and titles
// with it.
func (r *scanReader) Value(seg text.Segment) []byte {
	if r.lim.err != nil {
		// Refused already: any bytes will do, and a label longer than
		// 999 bytes must stay too long.
		return r.Source()[seg.Start:min(seg.Stop, seg.Start+1000)]
	}
	r.lim.chargeLinks(seg.Len(), seg.Start)
	return r.Reader.Value(seg)
}

// chargeLinks counts n units of the link parser's work, found at offset.
func (l *limits) chargeLinks(n, offset int) {
	if l.scanned += n; l.scanned > l.max.LinkScan {
		l.exceed(wiki.LimitLinks, l.scanned, l.max.LinkScan, offset)
	}
}

// scanLength is how much of line goldmark's link destination scanner reads
// at most.
func scanLength(line []byte) int {
	if len(line) > 0 && line[0] == '<' {
		// A ">" right after a backslash may be escaped: then it may
		// read on, so count the whole line.
		if i := bytes.IndexByte(line, '>'); i > 0 && line[i-1] != '\\' {
			return i + 1
		}
		return len(line)
	}
	if i := bytes.IndexAny(line, " \t\n"); i >= 0 {
		return i + 1
	}
	return len(line)
}
