package wiki

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// QueryText is a query as typed with the parts the parser read in it, so
// that an interface shows and removes what was typed from the parse
// itself, not from a second reading of the text.
type QueryText struct {
	Text  string      // the query as typed; the parts' spans index it
	Parts []QueryPart // in the order typed, only those searched for
}

// QueryPart is one thing a query searches for.
type QueryPart struct {
	Kind PartKind
	// Value is what is searched: the words (space-separated), the prefix
	// without its '*', the phrase, the exclusion, the filter's value or
	// the date as typed.
	Value  string
	Filter Filter    // PartFilter only
	Day    time.Time // PartSince and PartBefore only
	Span   Span
}

// Span is where a part stands in the query text: Text[Start:End] is the
// part as typed, its '-', key and quotes included, no space around. A
// query longer than the parser reads is cut with "…", which ends the last
// part; should the cut fall between parts, that "…" is a word of its own
// with an empty span at the cut.
type Span struct{ Start, End int }

// PartKind says what a query part asks for.
type PartKind int

// The kinds of query parts.
const (
	PartWords   PartKind = iota + 1 // plain words: all required, then any
	PartPrefix                      // word*
	PartPhrase                      // "quoted phrase"
	PartExclude                     // -word or -"phrase"
	PartFilter                      // field:value or -field:value
	PartSince                       // depuis:DATE
	PartBefore                      // avant:DATE
)

// IsFilter reports whether p restricts the pages searched (a field or a
// date) rather than naming words: what a search page shows as a filter.
func (p QueryPart) IsFilter() bool {
	return p.Kind == PartFilter || p.Kind == PartSince || p.Kind == PartBefore
}

// Typed returns the part as the member typed it.
func (qt QueryText) Typed(p QueryPart) string { return qt.Text[p.Span.Start:p.Span.End] }

// Filters returns the parts that are filters, in the order typed.
func (qt QueryText) Filters() []QueryPart {
	var out []QueryPart
	for _, p := range qt.Parts {
		if p.IsFilter() {
			out = append(out, p)
		}
	}
	return out
}

// Without returns the text with the given parts cut out and the rest as
// typed: one space where a part was between two others, none at the ends.
func (qt QueryText) Without(parts ...QueryPart) string {
	var b strings.Builder
	at := 0
	for _, p := range qt.Parts {
		if !contains(parts, p.Span) {
			continue
		}
		writeJoined(&b, qt.Text[at:p.Span.Start])
		at = p.Span.End
	}
	writeJoined(&b, qt.Text[at:])
	return strings.TrimRightFunc(b.String(), unicode.IsSpace)
}

// writeJoined appends piece to b without the spaces at its ends, one space
// apart from what b holds.
func writeJoined(b *strings.Builder, piece string) {
	piece = strings.TrimSpace(piece)
	if piece == "" {
		return
	}
	if b.Len() > 0 {
		b.WriteByte(' ')
	}
	b.WriteString(piece)
}

func contains(parts []QueryPart, s Span) bool {
	for _, p := range parts {
		if p.Span == s {
			return true
		}
	}
	return false
}

// Query returns what the index searches for.
func (qt QueryText) Query() Query {
	var q Query
	for _, p := range qt.Parts {
		switch p.Kind {
		case PartWords:
			if strings.IndexFunc(p.Value, unicode.IsSpace) < 0 {
				q.Words = append(q.Words, p.Value) // most words: no split to allocate
			} else {
				q.Words = append(q.Words, strings.Fields(p.Value)...)
			}
		case PartPrefix:
			q.Prefixes = append(q.Prefixes, p.Value)
		case PartPhrase:
			q.Phrases = append(q.Phrases, p.Value)
		case PartExclude:
			q.Exclude = append(q.Exclude, p.Value)
		case PartFilter:
			q.Filters = append(q.Filters, p.Filter)
		case PartSince:
			q.Since = p.Day
		case PartBefore:
			q.Before = p.Day
		}
	}
	return q
}

// cleanQuery returns the text the parser reads, raw with each run of
// invalid UTF-8 as one space and cut to maxQueryBytes with "…", and a
// function from an offset in that text to the offset in raw it stands for,
// so that spans index what was typed.
func cleanQuery(raw string) (string, func(int) int) {
	if utf8.ValidString(raw) {
		if len(raw) <= maxQueryBytes {
			return raw, func(i int) int { return i }
		}
		text := truncate(raw, maxQueryBytes)
		kept := len(text) - len("…") // the bytes of raw read; "…" stands after them
		return text, func(i int) int { return min(i, kept) }
	}
	var b strings.Builder
	from := make([]int, 0, maxQueryBytes+utf8.UTFMax+1) // from[i]: raw offset of byte i
	for i := 0; i < len(raw) && b.Len() <= maxQueryBytes; {
		r, size := utf8.DecodeRuneInString(raw[i:])
		if r == utf8.RuneError && size == 1 {
			b.WriteByte(' ') // one for the whole run, as strings.ToValidUTF8
			from = append(from, i)
			for i < len(raw) && invalidAt(raw, i) {
				i++
			}
			continue
		}
		b.WriteString(raw[i : i+size])
		for j := range size {
			from = append(from, i+j)
		}
		i += size
	}
	text := b.String()
	end := len(raw)
	if len(text) > maxQueryBytes {
		text = truncate(text, maxQueryBytes)
		cut := len(text) - len("…")
		end = from[cut]
		from = from[:cut]
	}
	return text, func(i int) int {
		if i < len(from) {
			return from[i]
		}
		return end
	}
}

func invalidAt(s string, i int) bool {
	r, size := utf8.DecodeRuneInString(s[i:])
	return r == utf8.RuneError && size == 1
}
