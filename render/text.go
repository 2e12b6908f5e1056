package render

import (
	"bufio"
	"bytes"
	"html"
	"strings"

	"github.com/yuin/goldmark/ast"
	extast "github.com/yuin/goldmark/extension/ast"
	ghtml "github.com/yuin/goldmark/renderer/html"
)

// plainText returns the words of the page for the search index: one line per
// block (paragraph, heading, list item, table row, code line), no Markdown
// syntax, no raw HTML, link labels and image descriptions kept.
func plainText(doc ast.Node, src []byte) string {
	var b bytes.Buffer
	b.Grow(len(src))
	writeText(&b, doc, src)
	return strings.TrimSpace(b.String())
}

// inlineText returns the text of one block's inline content on one line,
// whitespace collapsed: the form headings take in the table of contents.
func inlineText(n ast.Node, src []byte) string {
	var b bytes.Buffer
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		writeText(&b, c, src)
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

func writeText(b *bytes.Buffer, n ast.Node, src []byte) {
	switch n := n.(type) {
	case *ast.HTMLBlock, *ast.RawHTML:
		return
	case *ast.FencedCodeBlock, *ast.CodeBlock:
		if _, view := n.AttributeString(string(viewAttr)); view {
			return // a query, not words of the page
		}
		newline(b)
		lines := n.Lines()
		for i := 0; i < lines.Len(); i++ {
			seg := lines.At(i)
			b.Write(seg.Value(src))
		}
		newline(b)
		return
	case *ast.Text:
		writeTextNode(b, n, src)
		return
	case *ast.String:
		b.Write(n.Value)
		return
	case *ast.AutoLink:
		b.Write(n.Label(src))
		return
	case *wikiLink:
		b.WriteString(n.label)
		return
	case *extast.TableCell:
		if n.PreviousSibling() != nil {
			b.WriteByte('\t')
		}
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			writeText(b, c, src)
		}
		return
	}
	if isBlock(n) {
		newline(b)
	}
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		writeText(b, c, src)
	}
	if isBlock(n) {
		newline(b)
	}
}

// writeTextNode writes a text run as the reader sees it: inside code spans
// the bytes are literal; elsewhere backslash escapes and entities are
// resolved exactly as goldmark does when it writes HTML, then unescaped.
func writeTextNode(b *bytes.Buffer, n *ast.Text, src []byte) {
	v := n.Segment.Value(src)
	if _, code := n.Parent().(*ast.CodeSpan); code || n.IsRaw() {
		b.Write(v)
	} else if bytes.ContainsAny(v, `\&`) {
		var esc bytes.Buffer
		w := bufio.NewWriter(&esc)
		ghtml.DefaultWriter.Write(w, v)
		_ = w.Flush()
		b.WriteString(html.UnescapeString(esc.String()))
	} else {
		b.Write(v)
	}
	switch {
	case n.HardLineBreak():
		b.WriteByte('\n')
	case n.SoftLineBreak():
		b.WriteByte(' ')
	}
}

// newline ends the current line unless it is already ended or empty.
func newline(b *bytes.Buffer) {
	if b.Len() > 0 && b.Bytes()[b.Len()-1] != '\n' {
		b.WriteByte('\n')
	}
}
