package render

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/kdecole-club/clubwiki/wiki"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/util"
)

// viewAttr marks a fenced code block that is a view; its value is the
// view's index.
var viewAttr = []byte("wiki-view")

// maxViewQueryBytes bounds the query a view block holds, as the search
// bounds a typed query.
const maxViewQueryBytes = 1000

// viewInfo returns the options of a fence whose info string is "vue" or
// starts with "vue ", and whether it is one.
func viewInfo(n *ast.FencedCodeBlock, src []byte) (string, bool) {
	if n.Info == nil {
		return "", false
	}
	info := strings.TrimSpace(string(n.Info.Segment.Value(src)))
	word, rest, _ := strings.Cut(info, " ")
	if word != "vue" {
		return "", false
	}
	return strings.TrimSpace(rest), true
}

// view records n as the next view block when it is one, within
// wiki.MaxViews; a view past them stays a code block.
func (in *inspector) view(n *ast.FencedCodeBlock) {
	opts, ok := viewInfo(n, in.src)
	if !ok || len(in.views) >= wiki.MaxViews {
		return
	}
	var q bytes.Buffer
	lines := n.Lines()
	for i := 0; i < lines.Len() && q.Len() < maxViewQueryBytes; i++ {
		seg := lines.At(i)
		q.Write(bytes.TrimSpace(seg.Value(in.src)))
		q.WriteByte(' ')
	}
	query := strings.ToValidUTF8(string(bytes.TrimSpace(q.Bytes())), "")
	if len(query) > maxViewQueryBytes {
		query = strings.ToValidUTF8(query[:maxViewQueryBytes], "")
	}
	n.SetAttribute(viewAttr, strconv.Itoa(len(in.views)))
	in.views = append(in.views, wiki.ViewBlock{Info: opts, Query: query})
}

// viewRenderer writes a view block as its placeholder and every other
// fenced code block as goldmark does.
type viewRenderer struct{ code renderer.NodeRendererFunc }

func newViewRenderer() viewRenderer {
	var reg captured
	html.NewRenderer().RegisterFuncs(&reg)
	return viewRenderer{code: reg.funcs[ast.KindFencedCodeBlock]}
}

// RegisterFuncs implements renderer.NodeRenderer.
func (v viewRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindFencedCodeBlock, v.render)
}

func (v viewRenderer) render(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	at, ok := n.AttributeString(string(viewAttr))
	if !ok {
		return v.code(w, src, n, entering)
	}
	if entering {
		i, _ := at.(string)
		n, _ := strconv.Atoi(i)
		_, _ = w.WriteString(wiki.ViewPlaceholder(n) + "\n")
	}
	return ast.WalkSkipChildren, nil
}

// captured keeps the functions a node renderer registers.
type captured struct {
	funcs map[ast.NodeKind]renderer.NodeRendererFunc
}

// Register implements renderer.NodeRendererFuncRegisterer.
func (c *captured) Register(k ast.NodeKind, f renderer.NodeRendererFunc) {
	if c.funcs == nil {
		c.funcs = map[ast.NodeKind]renderer.NodeRendererFunc{}
	}
	c.funcs[k] = f
}

// Meta decodes src's front matter alone, without rendering the page: what
// a view needs of each page it lists.
func (r *Renderer) Meta(src []byte) (map[string]any, error) {
	src, _ = cleanInput(src)
	meta, _, err := splitFrontMatter(src)
	return meta, err
}
