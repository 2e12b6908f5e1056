package render

import (
	"github.com/yuin/goldmark/ast"
	extast "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

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
