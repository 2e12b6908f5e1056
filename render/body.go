package render

import (
	"bytes"
	"strings"

	"github.com/kdecole-club/clubwiki/wiki"
	"github.com/yuin/goldmark/ast"
)

// A page view shows the page's title above its body, and most pages begin
// with "# Title", from which the title comes: shown as it is, the title
// would appear twice. The renderer knows from the syntax tree which heading
// that is, so it says where the body starts (wiki.Rendered.BodyStart)
// rather than have the web layer cut the HTML it wrote.

// titleHeading returns the level-1 heading the page starts with when its
// text is the page's title, nil otherwise. Blocks that render nothing (raw
// HTML, link reference definitions) may come before it: the reader sees the
// heading first all the same.
func titleHeading(doc ast.Node, title string, headings []wiki.Heading) *ast.Heading {
	if title == "" || len(headings) == 0 || headings[0].Level != 1 || headings[0].Text != title {
		return nil
	}
	for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
		switch n.Kind() {
		case ast.KindHTMLBlock, ast.KindLinkReferenceDefinition:
			continue
		}
		// The first heading of the page is headings[0], whose text
		// is the title.
		if h, ok := n.(*ast.Heading); ok && h.Level == 1 {
			return h
		}
		return nil
	}
	return nil
}

// writeHTML renders doc into w, the title heading th (nil: none) first on
// its own, and returns where the rest starts in w. The tree is as it was
// when it returns.
func (r *Renderer) writeHTML(w *htmlWriter, src []byte, doc ast.Node, th *ast.Heading) (int, error) {
	if th == nil {
		return 0, r.md.Renderer().Render(w, src, doc)
	}
	if err := r.md.Renderer().Render(w, src, th); err != nil {
		return 0, err
	}
	start := w.buf.Len()
	next := th.NextSibling()
	doc.RemoveChild(doc, th)
	defer func() {
		if next != nil {
			doc.InsertBefore(doc, next, th)
		} else {
			doc.AppendChild(doc, th)
		}
	}()
	return start, r.md.Renderer().Render(w, src, doc)
}

// sanitize sanitizes raw, whose body starts at start, in two parts, and
// returns the HTML and where the body starts in it. The title heading is a
// whole element, so sanitizing it apart gives what sanitizing all at once
// would.
func (r *Renderer) sanitize(raw []byte, start int) (string, int) {
	var b strings.Builder
	b.Grow(len(raw))
	// Writes to a strings.Builder do not fail, nor do reads from bytes.
	_ = r.policy.SanitizeReaderToWriter(bytes.NewReader(raw[:start]), &b)
	bodyStart := b.Len()
	_ = r.policy.SanitizeReaderToWriter(bytes.NewReader(raw[start:]), &b)
	return b.String(), bodyStart
}
