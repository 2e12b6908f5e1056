package web

import (
	"strings"
	"unicode"

	"golang.org/x/net/html"

	"github.com/kdecole-club/clubwiki/wiki"
)

// markHTML turns the mark runes of a rendered diff block (wiki.MarkInsStart
// and the others) into <ins class="diff-ins"> and <del class="diff-del">,
// in the text of src only: src is sanitised HTML, which is read as tokens
// and written again, so that a mark can only ever wrap text. A mark open
// across a tag is closed before it and opened again in the text after it;
// mark runes anywhere else (an attribute) are dropped; comments go.
// Text is escaped again as it is written, so that nothing in it can
// become markup.
func markHTML(src string) string {
	if !strings.ContainsFunc(src, isMarkRune) {
		return src
	}
	z := html.NewTokenizer(strings.NewReader(src))
	m := marker{b: &strings.Builder{}}
	m.b.Grow(len(src) + len(src)/8)
	for {
		switch z.Next() {
		case html.ErrorToken:
			m.closeTag()
			return m.b.String()
		case html.TextToken:
			m.text(string(z.Text()))
		case html.StartTagToken, html.EndTagToken, html.SelfClosingTagToken:
			m.closeTag()
			tok := z.Token()
			tok.Data = strings.Map(dropMark, tok.Data)
			for i := range tok.Attr {
				a := &tok.Attr[i]
				a.Key, a.Val = strings.Map(dropMark, a.Key), strings.Map(dropMark, a.Val)
			}
			m.b.WriteString(tok.String())
		}
	}
}

// marker writes the marks of markHTML.
type marker struct {
	b    *strings.Builder
	open rune // the start rune of the mark open in the text, 0 for none
	tag  bool // whether the open mark's tag is written
}

// text writes a text token, marks in it.
func (m *marker) text(s string) {
	for s != "" {
		i := strings.IndexFunc(s, isMarkRune)
		if i < 0 {
			m.plain(s)
			return
		}
		m.plain(s[:i])
		r := []rune(s[i : i+3])[0] // the mark runes are 3 bytes in UTF-8
		s = s[i+3:]
		m.closeTag()
		m.open = 0
		if r == wiki.MarkInsStart || r == wiki.MarkDelStart {
			m.open = r
		}
	}
}

// plain writes text without marks, inside the open mark if any. A mark's
// tag is written only before text that shows, so that no mark stands
// alone between a table's rows or a list's items.
func (m *marker) plain(s string) {
	if s == "" {
		return
	}
	if m.open != 0 && !m.tag && strings.ContainsFunc(s, func(r rune) bool { return !unicode.IsSpace(r) }) {
		if m.open == wiki.MarkInsStart {
			m.b.WriteString(`<ins class="diff-ins">`)
		} else {
			m.b.WriteString(`<del class="diff-del">`)
		}
		m.tag = true
	}
	m.b.WriteString(html.EscapeString(s))
}

// closeTag closes the open mark's tag, keeping the mark open.
func (m *marker) closeTag() {
	if !m.tag {
		return
	}
	if m.open == wiki.MarkInsStart {
		m.b.WriteString("</ins>")
	} else {
		m.b.WriteString("</del>")
	}
	m.tag = false
}

func isMarkRune(r rune) bool { return r >= wiki.MarkInsStart && r <= wiki.MarkDelEnd }

func dropMark(r rune) rune {
	if isMarkRune(r) {
		return -1
	}
	return r
}
