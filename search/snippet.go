package search

import (
	"html"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// snippetBytes is the length of a snippet's window of text, in bytes.
const snippetBytes = 240

// span is a matched word's byte range in the plain text.
type span struct{ start, end int }

// snippet returns a window of text around the densest group of matched
// spans, HTML-escaped, each span wrapped whole in <mark>. Spans come from
// token offsets, which analysis never shifts, so a mark always covers the
// word as written ("l'École", "e-lyco").
func snippet(text string, spans []span, width int) string {
	spans = mergeSpans(text, spans)
	if len(spans) == 0 {
		return html.EscapeString(strings.TrimSpace(cutBytes(text, width)))
	}
	from, to := window(text, spans, width)
	var b strings.Builder
	if from > 0 {
		b.WriteString("…")
	}
	at := from
	for _, s := range spans {
		if s.start < from || s.end > to {
			continue
		}
		b.WriteString(html.EscapeString(text[at:s.start]))
		b.WriteString("<mark>")
		b.WriteString(html.EscapeString(text[s.start:s.end]))
		b.WriteString("</mark>")
		at = s.end
	}
	b.WriteString(html.EscapeString(text[at:to]))
	if to < len(text) {
		b.WriteString("…")
	}
	return strings.TrimSpace(b.String())
}

// mergeSpans drops spans outside text or cutting a rune, sorts them and merges overlaps (a
// hyphenated name's joined token covers its parts).
func mergeSpans(text string, in []span) []span {
	out := make([]span, 0, len(in))
	for _, s := range in {
		if s.start >= 0 && s.start < s.end && s.end <= len(text) && onRune(text, s.start) && onRune(text, s.end) {
			out = append(out, s)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].start < out[j].start })
	merged := out[:0]
	for _, s := range out {
		if n := len(merged); n > 0 && s.start < merged[n-1].end {
			merged[n-1].end = max(merged[n-1].end, s.end)
			continue
		}
		merged = append(merged, s)
	}
	return merged
}

// onRune reports whether byte offset i of text starts a rune (or ends the
// text): offsets from an index written with another text must not cut one.
func onRune(text string, i int) bool { return i == len(text) || utf8.RuneStart(text[i]) }

// window picks [from, to) of about width bytes holding the most spans,
// starting a little before the first of them, at word boundaries.
func window(text string, spans []span, width int) (int, int) {
	best, bestN := 0, 0
	for i, j := 0, 0; i < len(spans); i++ {
		for j < len(spans) && spans[j].end-spans[i].start <= width {
			j++
		}
		if j-i > bestN {
			best, bestN = i, j-i
		}
	}
	from := spans[best].start - width/5
	from = wordStart(text, max(from, 0))
	to := from + width
	for _, s := range spans[best:] {
		if s.start < to && s.end > to {
			to = s.end // never cut a mark
		}
	}
	return from, wordEnd(text, min(to, len(text)))
}

// wordStart moves i forward to the start of a word (or leaves it at 0).
func wordStart(text string, i int) int {
	if i == 0 {
		return 0
	}
	for i < len(text) && !utf8.RuneStart(text[i]) {
		i++
	}
	if r, _ := utf8.DecodeLastRuneInString(text[:i]); !isWordRune(r) {
		return i
	}
	for j := i; j < len(text) && j < i+40; {
		r, n := utf8.DecodeRuneInString(text[j:])
		j += n
		if unicode.IsSpace(r) {
			return j
		}
	}
	return i
}

// wordEnd moves i back to the end of a word (or leaves it at len(text)).
func wordEnd(text string, i int) int {
	if i >= len(text) {
		return len(text)
	}
	for i > 0 && !utf8.RuneStart(text[i]) {
		i--
	}
	if r, _ := utf8.DecodeRuneInString(text[i:]); !isWordRune(r) {
		return i
	}
	for j := i; j > 0 && j > i-40; {
		r, n := utf8.DecodeLastRuneInString(text[:j])
		if unicode.IsSpace(r) {
			return j - n
		}
		j -= n
	}
	return i
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }
