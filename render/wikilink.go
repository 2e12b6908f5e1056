package render

import (
	"bytes"
	"strings"
	"unicode"

	"github.com/kdecole-club/clubwiki/wiki"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// maxWikiLinkBytes bounds the search for the closing "]]" so that a long
// line full of "[[" costs linear, not quadratic, time.
const maxWikiLinkBytes = 512

// kindWikiLink is the AST node kind of a [[wiki link]].
var kindWikiLink = ast.NewNodeKind("WikiLink")

// wikiLink is a [[target|label]] or [[target]] link. The parser fills raw,
// target, fragment and label; inspect resolves it (href, path, missing)
// before rendering, so the renderer needs no per-page state.
type wikiLink struct {
	ast.BaseInline
	raw      string // the whole "[[…]]" as written, shown when unresolvable
	target   string // page part of the target, as written
	start    int    // offset of raw in the parsed text; -1 when unknown
	targetAt int    // offset of target in raw
	fragment string // text after '#', as written
	label    string
	labelled bool // the label was written, not taken from the target

	path    wiki.Path // canonical target; zero when it cannot be resolved
	href    string    // LinkPrefix + path [+ "#" + anchor]
	missing bool      // the target is not a live page
	byTitle bool      // path was found by its title, not as written
	inLink  bool      // inside a Markdown link: render the label only
}

// Kind implements ast.Node.
func (n *wikiLink) Kind() ast.NodeKind { return kindWikiLink }

// Dump implements ast.Node, for debugging.
func (n *wikiLink) Dump(src []byte, level int) {
	ast.DumpHelper(n, src, level, map[string]string{"Target": n.target, "Label": n.label}, nil)
}

// wikiLinkParser parses "[[…]]" on one line. Code spans are parsed by a
// parser of higher priority, so "[[x]]" inside backticks never reaches it,
// and fenced or indented code is never inline-parsed at all.
type wikiLinkParser struct{}

// Trigger implements parser.InlineParser.
func (wikiLinkParser) Trigger() []byte { return []byte{'['} }

// Parse implements parser.InlineParser. It returns nil (letting the link
// parser try) unless the line holds "[[inner]]" with no bracket in inner.
func (wikiLinkParser) Parse(_ ast.Node, block text.Reader, _ parser.Context) ast.Node {
	line, seg := block.PeekLine()
	if len(line) < 4 || line[1] != '[' {
		return nil
	}
	rest := line[2:]
	if len(rest) > maxWikiLinkBytes {
		rest = rest[:maxWikiLinkBytes]
	}
	end := bytes.Index(rest, []byte("]]"))
	if end < 0 {
		return nil
	}
	inner := rest[:end]
	if bytes.ContainsAny(inner, "[]\n\r") {
		return nil
	}
	block.Advance(2 + end + 2)

	whole := line[:2+end+2]
	n := &wikiLink{raw: string(whole), start: sourceAt(block.Source(), seg, whole)}
	target, label, hasLabel := strings.Cut(string(inner), "|")
	target, n.fragment, _ = strings.Cut(target, "#")
	n.target = strings.TrimSpace(target)
	n.targetAt = 2 + len(target) - len(strings.TrimLeftFunc(target, unicode.IsSpace))
	n.fragment = strings.TrimSpace(n.fragment)
	n.label = strings.TrimSpace(label)
	n.labelled = hasLabel && n.label != ""
	if !hasLabel || n.label == "" {
		n.label = strings.TrimSpace(string(inner))
		if i := strings.IndexByte(n.label, '|'); i >= 0 {
			n.label = strings.TrimSpace(n.label[:i])
		}
	}
	return n
}

// sourceAt returns where raw, read from seg, is in src, or -1 when the line
// goldmark handed over is not the source's bytes there (a tab it expanded
// into spaces before the link), so that a span is only ever reported when
// it slices to the link.
func sourceAt(src []byte, seg text.Segment, raw []byte) int {
	if seg.Padding != 0 || seg.Start < 0 || seg.Start > len(src) || !bytes.HasPrefix(src[seg.Start:], raw) {
		return -1
	}
	return seg.Start
}

// resolveWikiLink canonicalises a link target. One-segment targets and
// targets whose first segment is not a namespace are relative to the page's
// namespace. Without an IsNamespace function no segment counts as a
// namespace, so every target is relative when the page is known; without a
// page, a multi-segment target is taken as written and a one-segment target
// cannot be resolved.
func resolveWikiLink(target string, opt wiki.RenderOptions) (wiki.Path, bool) {
	c := wiki.Canonical(target)
	if c == "" {
		return wiki.Path{}, false
	}
	first, _, multi := strings.Cut(c, "/")
	relative := !multi
	if multi {
		if opt.IsNamespace != nil {
			relative = !opt.IsNamespace(first)
		} else {
			relative = !opt.Page.IsZero()
		}
	}
	if relative {
		if opt.Page.IsZero() {
			if !multi {
				return wiki.Path{}, false
			}
		} else {
			c = opt.Page.Namespace() + "/" + c
		}
	}
	p, err := wiki.ParsePath(c)
	if err != nil {
		return wiki.Path{}, false
	}
	return p, true
}

// wikiLinkRenderer renders wikiLink nodes.
type wikiLinkRenderer struct{}

// RegisterFuncs implements renderer.NodeRenderer.
func (wikiLinkRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(kindWikiLink, renderWikiLink)
}

func renderWikiLink(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	n := node.(*wikiLink)
	switch {
	case n.path.IsZero():
		_, _ = w.Write(util.EscapeHTML([]byte(n.raw)))
	case n.inLink:
		// An <a> inside an <a> is invalid HTML that browsers split in
		// surprising ways; the outer link wins.
		_, _ = w.Write(util.EscapeHTML([]byte(n.label)))
	default:
		_, _ = w.WriteString(`<a href="`)
		_, _ = w.Write(util.EscapeHTML([]byte(n.href)))
		if n.missing {
			_, _ = w.WriteString(`" class="wikilink missing">`)
		} else {
			_, _ = w.WriteString(`" class="wikilink">`)
		}
		_, _ = w.Write(util.EscapeHTML([]byte(n.label)))
		_, _ = w.WriteString(`</a>`)
	}
	return ast.WalkSkipChildren, nil
}
