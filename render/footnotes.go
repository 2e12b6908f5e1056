package render

import (
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/util"
)

// footnoteParts is goldmark's footnote extension spelt out, so that its
// block parser (a container: "[^a]: [^b]: …" nests) is depth-limited and
// both its parsers are counted: goldmark looks every reference up among all
// definitions, and writes a link and a back link for it (2 MB of "[^1]"
// made 67 MB of HTML).
func footnoteParts() []parser.Option {
	return []parser.Option{
		parser.WithBlockParsers(util.Prioritized(countedBlock{depthLimited{extension.NewFootnoteBlockParser()}, countFootnotes}, 999)),
		parser.WithInlineParsers(util.Prioritized(countedInline{extension.NewFootnoteParser(), countFootnoteRefs}, 101)),
		parser.WithASTTransformers(util.Prioritized(extension.NewFootnoteASTTransformer(), 999)),
	}
}
