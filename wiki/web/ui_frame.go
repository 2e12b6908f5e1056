package web

import (
	"bytes"
	"fmt"
	"html/template"
	"strings"

	"github.com/kdecole-club/clubwiki/wiki"
)

// A frame is the layout around every page, executed once per language,
// signed in or not and with a flash message or not, and cut where the
// values of one answer go (its holes). An answer is its frame's parts
// with the holes filled between them, and only its "content" template is
// executed: the layout's two dozen actions, each a reflective call and an
// escaper, were half of a page view's time. The layout stays the one
// source of what is written: a frame is what it writes, and the tests
// compare the two for every kind of page.
type frame struct {
	parts []string // one more than holes
	holes []hole
}

// hole is a value a frame leaves out, in the context the layout puts it.
type hole int

const (
	holeTitle   hole = iota // the title, in <title>
	holeHead                // base.Head, as is
	holeFeeds               // base.FeedLinks(), as is
	holeNav                 // base.Nav, as is
	holeUser                // the member's name, or login, as text
	holeFlash               // the flash message, as text
	holeContent             // the page's "content" template
	holeHere                // the page's URL, in a quoted attribute
	nHoles
)

// holeMarks stand for the holes when a frame is made: characters of
// Unicode's private use area, which no escaper of html/template changes
// and no translation holds.
var holeMarks = func() (m [nHoles]string) {
	for h := range nHoles {
		m[h] = string(rune(0xF8F0 + int(h)))
	}
	return m
}()

// frameProbe has the names the layout reads, each set to its hole's
// mark.
type frameProbe struct {
	L         *catalog
	User      *wiki.User
	Title     string
	Head      template.HTML
	FeedLinks template.HTML
	Nav       template.HTML
	Flash     string
	Here      string
}

// frameIndex picks the frame of a signed-in (user) answer with a flash
// message (flash).
func frameIndex(user, flash bool) int { return twoFlags(user, flash) }

// framedContent is the "content" a frame's probe executes: its mark.
func framedContent() string { return `{{define "content"}}` + holeMarks[holeContent] + `{{end}}` }

// executeFrames makes c's frames from the layout of t, a template set
// made for the probe (parseTemplates' framePage).
func (c *catalog) executeFrames(t *template.Template) error {
	for _, user := range []bool{false, true} {
		for _, flash := range []bool{false, true} {
			p := frameProbe{L: c, Title: holeMarks[holeTitle], Head: template.HTML(holeMarks[holeHead]),
				FeedLinks: template.HTML(holeMarks[holeFeeds]), Nav: template.HTML(holeMarks[holeNav]), Here: holeMarks[holeHere]}
			if user {
				p.User = &wiki.User{Login: "login", Name: holeMarks[holeUser]}
			}
			if flash {
				p.Flash = holeMarks[holeFlash]
			}
			var b strings.Builder
			if err := t.ExecuteTemplate(&b, "layout.html", p); err != nil {
				return fmt.Errorf("executing the layout's frame in %s: %w", c.lang, err)
			}
			f, err := cutFrame(b.String())
			if err != nil {
				return fmt.Errorf("the layout's frame in %s: %w", c.lang, err)
			}
			c.frames[frameIndex(user, flash)] = f
		}
	}
	return nil
}

// cutFrame cuts an executed probe at its marks.
func cutFrame(s string) (*frame, error) {
	f := &frame{}
	for {
		at, which := -1, hole(0)
		for h, m := range holeMarks {
			if i := strings.Index(s, m); i >= 0 && (at < 0 || i < at) {
				at, which = i, hole(h)
			}
		}
		if at < 0 {
			break
		}
		f.parts = append(f.parts, s[:at])
		f.holes = append(f.holes, which)
		s = s[at+len(holeMarks[which]):]
	}
	f.parts = append(f.parts, s)
	n := 0
	for _, h := range f.holes {
		if h == holeContent {
			n++
		}
	}
	if n != 1 {
		return nil, fmt.Errorf("the content is in it %d times", n)
	}
	return f, nil
}

// framed is what render reads of a view to fill its frame: every view
// embeds base.
type framed interface {
	frameBase() base
}

func (b base) frameBase() base { return b }

// write writes the answer of a view: the frame's parts, the holes filled
// from b, and the view's "content" template executed with data from t.
func (f *frame) write(buf *bytes.Buffer, t *template.Template, b *base, data any) error {
	for i, part := range f.parts {
		buf.WriteString(part)
		if i == len(f.holes) {
			break
		}
		switch f.holes[i] {
		case holeTitle:
			escapeHTML(buf, b.Title)
		case holeHead:
			buf.WriteString(string(b.Head))
		case holeFeeds:
			buf.WriteString(string(b.FeedLinks()))
		case holeNav:
			buf.WriteString(string(b.Nav))
		case holeUser:
			if b.User.Name != "" {
				escapeHTML(buf, b.User.Name)
			} else {
				escapeHTML(buf, b.User.Login)
			}
		case holeFlash:
			escapeHTML(buf, b.Flash)
		case holeHere:
			escapeHTML(buf, b.Here)
		case holeContent:
			if err := t.ExecuteTemplate(buf, "content", data); err != nil {
				return err
			}
		}
	}
	return nil
}

// escapeHTML writes s as html/template's escapers write text, RCDATA
// (the title) and quoted attribute values: the same seven replacements.
func escapeHTML(buf *bytes.Buffer, s string) {
	start := 0
	for i := 0; i < len(s); i++ {
		var repl string
		switch s[i] {
		case 0:
			repl = "\uFFFD"
		case '"':
			repl = "&#34;"
		case '&':
			repl = "&amp;"
		case '\'':
			repl = "&#39;"
		case '+':
			repl = "&#43;"
		case '<':
			repl = "&lt;"
		case '>':
			repl = "&gt;"
		default:
			continue
		}
		buf.WriteString(s[start:i])
		buf.WriteString(repl)
		start = i + 1
	}
	buf.WriteString(s[start:])
}
