package wiki

import (
	"fmt"
	"html"
	"slices"
	"strings"
)

// FeedWords are the words of a feed entry's diff, in the feed's language.
// Each is a fmt format: Unchanged takes the number of lines.
type FeedWords struct {
	Unchanged  string // a run of unchanged lines, left out
	MovedUp    string // a paragraph's old place: it moved up
	MovedDown  string // … it moved down
	CameFromUp string // a paragraph's new place: it came from above
	CameFromDn string // … from below
}

// frenchFeedWords are the words of a feed without words of its own.
var frenchFeedWords = FeedWords{
	Unchanged: "… %d lignes inchangées …",
	MovedUp:   "(paragraphe déplacé plus haut)", MovedDown: "(paragraphe déplacé plus bas)",
	CameFromUp: "Paragraphe déplacé ici depuis plus haut :", CameFromDn: "Paragraphe déplacé ici depuis plus bas :",
}

func (w FeedWords) orFrench() FeedWords {
	if w.Unchanged == "" {
		return frenchFeedWords
	}
	return w
}

// feedWriter writes the HTML of an entry's diff within a byte budget kept
// for the closing tags.
type feedWriter struct {
	sb   strings.Builder
	room int
	full bool // something did not fit: the rest is left out
}

const (
	feedOpen, feedEnd = `<div class="diff">` + "\n", "</div>\n"
	// feedSlack is kept in the budget for the tags that close what a
	// cut leaves open and the ellipsis.
	feedSlack = 64
)

// wordsHTML writes a word diff as HTML: each changed paragraph in full
// with its deleted words in <del> and inserted ones in <ins>, runs of
// unchanged lines left out and counted, a moved paragraph at its new
// place with the words changed on the way, its old place named as such.
// Every text is escaped: nothing of the page is markup. It stops before
// limit bytes, inside a paragraph if need be, and says so.
func wordsHTML(wd WordDiff, words FeedWords, limit int) (string, bool) {
	words = words.orFrench()
	w := &feedWriter{room: limit - len(feedOpen) - len(feedEnd) - feedSlack}
	w.sb.WriteString(feedOpen)
	for i, b := range wd.Blocks {
		if w.full {
			break
		}
		switch b.Kind {
		case BlockSame:
			if n := max(b.FromCount, b.ToCount); strings.TrimSpace(blockText(b.Segments)) != "" {
				w.raw(`<p class="same">` + html.EscapeString(fmt.Sprintf(words.Unchanged, n)) + "</p>\n")
			}
		case BlockMovedFrom:
			label := words.MovedDown
			if b.Move < i {
				label = words.MovedUp
			}
			w.raw(`<p class="moved-from"><em>` + html.EscapeString(label) + "</em></p>\n")
		case BlockMovedTo:
			label := words.CameFromDn
			if b.Move < i {
				label = words.CameFromUp
			}
			segs := []Segment{{Op: SegEqual, Text: blockText(b.Segments)}}
			if b.Edits != nil {
				segs = b.Edits
			}
			w.raw(`<p class="moved-to"><em>` + html.EscapeString(label) + "</em></p>\n")
			w.para("moved-to", segs)
		default:
			w.para("changed", b.Segments)
		}
	}
	w.sb.WriteString(feedEnd)
	return w.sb.String(), w.full
}

// para writes one block of segments as a paragraph, its lines broken.
func (w *feedWriter) para(class string, segs []Segment) {
	if !w.raw(`<p class="` + class + `">`) {
		return
	}
	for _, s := range trimNewline(segs) {
		open, end := "", ""
		switch s.Op {
		case SegDelete:
			open, end = "<del>", "</del>"
		case SegInsert:
			open, end = "<ins>", "</ins>"
		}
		text := escapeLines(s.Text)
		if len(open)+len(text)+len(end) > w.room {
			// Show the start of what does not fit: the slack holds
			// the closing tags. 6 bytes a character at worst
			// (&#39;, <br>\n).
			w.sb.WriteString(open + escapeLines(cutUTF8(s.Text, (w.room-len(open)-len(end))/6)) + "…" + end + "</p>\n")
			w.full = true
			return
		}
		w.raw(open + text + end)
	}
	// The slack holds it.
	w.sb.WriteString("</p>\n")
}

// raw writes s when it fits, else marks the entry full.
func (w *feedWriter) raw(s string) bool {
	if w.full || !writeBounded(&w.sb, &w.room, s) {
		w.full = true
		return false
	}
	return true
}

// escapeLines escapes text and breaks its lines.
func escapeLines(s string) string {
	return strings.ReplaceAll(html.EscapeString(s), "\n", "<br>\n")
}

// trimNewline drops the newlines that start a block's first segment and
// end its last: the paragraph starts and ends there.
func trimNewline(segs []Segment) []Segment {
	n := len(segs)
	if n == 0 || (!strings.HasPrefix(segs[0].Text, "\n") && !strings.HasSuffix(segs[n-1].Text, "\n")) {
		return segs
	}
	out := append([]Segment(nil), segs...)
	out[0].Text = strings.TrimLeft(out[0].Text, "\n")
	out[n-1].Text = strings.TrimRight(out[n-1].Text, "\n")
	return slices.DeleteFunc(out, func(s Segment) bool { return s.Text == "" })
}

// blockText is the text of segments, whatever their op.
func blockText(segs []Segment) string {
	var sb strings.Builder
	for _, s := range segs {
		sb.WriteString(s.Text)
	}
	return sb.String()
}
