package render

import (
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// maxContainerDepth is how deeply block quotes and lists may nest. goldmark
// spends time proportional to the nesting depth times the line position on
// every line, so a page of ">>>>>…" or "- - - … a" is quadratic: 64 KiB of
// ">" took seconds, 2 MiB would take most of an hour. No real page nests
// 32 levels deep; past that, the rest of the line is plain paragraph text.
const maxContainerDepth = 32

// blockParsers returns goldmark's default block parsers (as listed in
// parser.DefaultBlockParsers) with the container parsers wrapped by
// depthLimited.
func blockParsers() []util.PrioritizedValue {
	return []util.PrioritizedValue{
		util.Prioritized(countedBlock{parser.NewSetextHeadingParser(), countHeadings}, 100),
		util.Prioritized(parser.NewThematicBreakParser(), 200),
		util.Prioritized(countedBlock{depthLimited{parser.NewListParser()}, countContainers}, 300),
		util.Prioritized(countedBlock{depthLimited{parser.NewListItemParser()}, countContainers}, 400),
		util.Prioritized(parser.NewCodeBlockParser(), 500),
		util.Prioritized(countedBlock{parser.NewATXHeadingParser(), countHeadings}, 600),
		util.Prioritized(parser.NewFencedCodeBlockParser(), 700),
		util.Prioritized(countedBlock{depthLimited{parser.NewBlockquoteParser()}, countContainers}, 800),
		util.Prioritized(parser.NewHTMLBlockParser(), 900),
		util.Prioritized(parser.NewParagraphParser(), 1000),
	}
}

// depthLimited refuses to open a block below maxContainerDepth containers.
type depthLimited struct{ parser.BlockParser }

// Open implements parser.BlockParser.
func (d depthLimited) Open(parent ast.Node, reader text.Reader, pc parser.Context) (ast.Node, parser.State) {
	if limitsOf(pc).stopped() {
		return nil, parser.NoChildren
	}
	depth := 0
	for p := parent; p != nil; p = p.Parent() {
		if depth++; depth > maxContainerDepth {
			return nil, parser.NoChildren
		}
	}
	return d.BlockParser.Open(parent, reader, pc)
}
