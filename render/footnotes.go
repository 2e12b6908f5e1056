package render

import (
	"github.com/kdecole-club/clubwiki/wiki"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// footnoteParts is goldmark's footnote extension spelt out, so that its
// block parser (a container: "[^a]: [^b]: …" nests) is depth-limited and
// both its parsers are counted: goldmark looks every reference up among all
// definitions, and writes a link and a back link for it (2 MB of "[^1]"
// made 67 MB of HTML).
func footnoteParts() []parser.Option {
	return []parser.Option{
		parser.WithBlockParsers(util.Prioritized(countedFootnotes{depthLimited{extension.NewFootnoteBlockParser()}}, 999)),
		parser.WithInlineParsers(util.Prioritized(countedFootnoteRefs{extension.NewFootnoteParser()}, 101)),
		parser.WithASTTransformers(util.Prioritized(extension.NewFootnoteASTTransformer(), 999)),
	}
}

// countedFootnotes refuses more than maxFootnotes footnote definitions.
type countedFootnotes struct{ parser.BlockParser }

// Open implements parser.BlockParser.
func (c countedFootnotes) Open(parent ast.Node, reader text.Reader, pc parser.Context) (ast.Node, parser.State) {
	l := limitsOf(pc)
	if l.stopped() {
		return nil, parser.NoChildren
	}
	_, seg := reader.PeekLine()
	n, st := c.BlockParser.Open(parent, reader, pc)
	if n != nil {
		if l.notes++; l.notes > maxFootnotes {
			l.exceed(wiki.LimitFootnotes, l.notes, maxFootnotes, seg.Start)
		}
	}
	return n, st
}

// countedFootnoteRefs refuses more than maxFootnoteRefs references.
type countedFootnoteRefs struct{ parser.InlineParser }

// Parse implements parser.InlineParser.
func (c countedFootnoteRefs) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	l := limitsOf(pc)
	if l.stopped() {
		return nil
	}
	_, seg := block.PeekLine()
	n := c.InlineParser.Parse(parent, block, pc)
	if n != nil {
		if l.refs++; l.refs > maxFootnoteRefs {
			l.exceed(wiki.LimitFootnoteRefs, l.refs, maxFootnoteRefs, seg.Start)
		}
	}
	return n
}
