package render

import (
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// inlineParsers returns goldmark's default inline parsers (as listed in
// parser.DefaultInlineParsers) and the strikethrough extension's, with the
// link parser bounded and the others counted.
func inlineParsers() []util.PrioritizedValue {
	return []util.PrioritizedValue{
		util.Prioritized(countedInline{parser.NewCodeSpanParser(), countInlines}, 100),
		util.Prioritized(boundedLinks{parser.NewLinkParser()}, 200),
		util.Prioritized(countedInline{parser.NewAutoLinkParser(), countInlines}, 300),
		util.Prioritized(countedInline{parser.NewRawHTMLParser(), countInlines}, 400),
		util.Prioritized(countedInline{parser.NewEmphasisParser(), countInlines}, 500),
		util.Prioritized(countedInline{extension.NewStrikethroughParser(), countInlines}, 500),
	}
}

// countedInline counts the nodes its parser makes against a bound (c):
// code spans, autolinks, raw HTML and runs of emphasis marks against
// maxInlines, each a node of a few hundred bytes for as little as one byte
// of input ("*_" repeated over 2 MiB took 775 MB); footnote references
// against maxFootnoteRefs.
type countedInline struct {
	parser.InlineParser
	c counted
}

// CloseBlock implements parser.CloseBlocker for the parsers that need it.
func (c countedInline) CloseBlock(parent ast.Node, block text.Reader, pc parser.Context) {
	if cb, ok := c.InlineParser.(parser.CloseBlocker); ok {
		cb.CloseBlock(parent, block, pc)
	}
}

// Parse implements parser.InlineParser.
func (c countedInline) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	l := limitsOf(pc)
	if l.stopped() {
		return nil
	}
	_, seg := block.PeekLine()
	n := c.InlineParser.Parse(parent, block, pc)
	if n != nil {
		l.add(c.c, seg.Start)
	}
	return n
}

// countedBlock counts the blocks its parser opens against a bound (c):
// headings against maxHeadings (each has an id, an entry in the table of
// contents and HTML around it), footnote definitions against maxFootnotes.
type countedBlock struct {
	parser.BlockParser
	c counted
}

// Open implements parser.BlockParser.
func (c countedBlock) Open(parent ast.Node, reader text.Reader, pc parser.Context) (ast.Node, parser.State) {
	l := limitsOf(pc)
	if l.stopped() {
		return nil, parser.NoChildren
	}
	_, seg := reader.PeekLine()
	n, st := c.BlockParser.Open(parent, reader, pc)
	if n != nil {
		l.add(c.c, seg.Start)
	}
	return n, st
}

// omitRawHTML renders raw HTML as nothing, where goldmark writes a comment
// of 26 bytes that the sanitizer then removes: "<a>" repeated made 9 times
// its size of HTML to write and sanitize.
type omitRawHTML struct{}

// RegisterFuncs implements renderer.NodeRenderer.
func (omitRawHTML) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	skip := func(util.BufWriter, []byte, ast.Node, bool) (ast.WalkStatus, error) {
		return ast.WalkSkipChildren, nil
	}
	reg.Register(ast.KindRawHTML, skip)
	reg.Register(ast.KindHTMLBlock, skip)
}

// strikethroughHTML is the rendering half of extension.Strikethrough.
type strikethroughHTML struct{}

// Extend implements goldmark.Extender.
func (strikethroughHTML) Extend(m goldmark.Markdown) {
	m.Renderer().AddOptions(renderer.WithNodeRenderers(
		util.Prioritized(extension.NewStrikethroughHTMLRenderer(), 500)))
}
