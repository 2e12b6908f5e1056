package render

import (
	"bytes"

	"github.com/kdecole-club/clubwiki/wiki"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	extast "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// tableParts is goldmark's table extension spelt out, so that its paragraph
// transformer is bounded (see boundedTables). Cells get neither goldmark's
// style attribute (the sanitizer and the CSP allow no style) nor the align
// attribute (obsolete in HTML5): tableAlignClasses sets classes instead.
func tableParts() (parser.Option, parser.Option, renderer.Option) {
	return parser.WithParagraphTransformers(util.Prioritized(boundedTables{extension.NewTableParagraphTransformer()}, 200)),
		parser.WithASTTransformers(util.Prioritized(extension.NewTableASTTransformer(), 0)),
		renderer.WithNodeRenderers(util.Prioritized(extension.NewTableHTMLRenderer(
			extension.WithTableCellAlignMethod(extension.TableCellAlignNone)), 500))
}

// boundedTables refuses, before goldmark builds it, a table wider than
// maxTableColumns, or one that would take the page past maxTableCells
// (goldmark pads every row to the header's width: 5,000 header columns and
// 5,000 one-cell rows are 25 million cells from 60 KB), or past
// maxTablePipeWork. The paragraph then stays text, and Render fails.
type boundedTables struct{ parser.ParagraphTransformer }

// Transform implements parser.ParagraphTransformer.
func (t boundedTables) Transform(node *ast.Paragraph, reader text.Reader, pc parser.Context) {
	l := limitsOf(pc)
	if l.stopped() {
		return
	}
	lines, src := node.Lines(), reader.Source()
	// goldmark makes a table at the first delimiter row after the first
	// line; the header is the line above it, the rows every line below.
	for i := 1; i < lines.Len(); i++ {
		delim := lines.At(i)
		cols := delimiterColumns(delim.Value(src))
		if cols == 0 {
			continue
		}
		if cols > l.max.TableColumns {
			l.exceed(wiki.LimitTableColumns, cols, l.max.TableColumns, delim.Start)
			return
		}
		rows := lines.Len() - i
		if l.cells += cols * rows; l.cells > l.max.TableCells {
			l.exceed(wiki.LimitTableCells, l.cells, l.max.TableCells, delim.Start)
			return
		}
		if !countEscapedPipes(l, lines, i+1, src) {
			return
		}
		break
	}
	t.ParagraphTransformer.Transform(node, reader, pc)
}

// delimiterColumns returns how many columns a table delimiter row such as
// "| :-- | --: |" has, or 0 if line is not one. It counts as goldmark does,
// but never fewer: it only has to decide the bounds.
func delimiterColumns(line []byte) int {
	dash := false
	for _, b := range line {
		switch b {
		case '-':
			dash = true
		case '|', ':', ' ', '\t', '\n', '\r', '\f', '\v':
		default:
			return 0
		}
	}
	if !dash || !bytes.ContainsAny(line, "|:") && bytes.Count(line, []byte{'-'}) == len(bytes.TrimSpace(line)) {
		return 0
	}
	cols := bytes.Split(bytes.TrimSpace(line), []byte{'|'})
	if len(cols) > 0 && len(bytes.TrimSpace(cols[0])) == 0 {
		cols = cols[1:]
	}
	if len(cols) > 0 && len(bytes.TrimSpace(cols[len(cols)-1])) == 0 {
		cols = cols[:len(cols)-1]
	}
	return len(cols)
}

// countEscapedPipes adds up the escaped pipes inside rows with code spans
// from line first on, and the bytes of those rows, and refuses when their
// product passes maxTablePipeWork: goldmark's table AST transformer loops
// over every such pipe for every piece of text in those cells.
func countEscapedPipes(l *limits, lines *text.Segments, first int, src []byte) bool {
	for j := first; j < lines.Len(); j++ {
		seg := lines.At(j)
		row := seg.Value(src)
		if bytes.IndexByte(row, '`') < 0 {
			continue
		}
		if n := bytes.Count(row, []byte(`\|`)); n > 0 {
			l.pipes += n
			l.pipeRows += len(row)
			if l.pipes*l.pipeRows > l.max.TablePipeWork {
				return l.exceed(wiki.LimitTablePipes, l.pipes*l.pipeRows, l.max.TablePipeWork, seg.Start)
			}
		}
	}
	return true
}

// tableAlignClasses gives aligned table cells a class ("align-right") instead
// of the align attribute, which HTML5 made obsolete, or a style attribute,
// which the sanitizer and the Content-Security-Policy refuse. The
// stylesheet aligns the classes.
type tableAlignClasses struct{}

// Transform implements parser.ASTTransformer.
func (tableAlignClasses) Transform(doc *ast.Document, _ text.Reader, _ parser.Context) {
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if c, ok := n.(*extast.TableCell); ok && entering && c.Alignment != extast.AlignNone {
			c.SetAttributeString("class", []byte("align-"+c.Alignment.String()))
		}
		return ast.WalkContinue, nil
	})
}
