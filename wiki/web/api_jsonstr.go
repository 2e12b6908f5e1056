package web

import (
	"bytes"
	"encoding/json"
	"math"
	"math/bits"
	"slices"
	"strconv"
	"unicode/utf8"
)

// appendJSONString appends s as a JSON string, byte for byte as
// encoding/json writes it with SetEscapeHTML(false): quote, backslash and
// control characters escaped, U+2028 and U+2029 escaped, invalid UTF-8
// replaced by \ufffd. A page's Markdown and HTML are most of a read's
// answer, and encoding/json looks at them a byte at a time (a rune at a
// time past ASCII, which French is full of); here plain ASCII is skipped
// eight bytes at a time, and the two-byte letters of French (é, à, ç…)
// without decoding them.
func appendJSONString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start, i := 0, 0
	for i < len(s) {
		if i+8 <= len(s) {
			m := specialMask(word(s, i))
			if m == 0 {
				i += 8
				continue
			}
			i += bits.TrailingZeros64(m) / 8 // the first byte to look at
		}
		b := s[i]
		if b < utf8.RuneSelf {
			i++
			if b < 0x20 || b == '"' || b == '\\' {
				dst = append(dst, s[start:i-1]...)
				dst = appendEscape(dst, b)
				start = i
			}
			continue
		}
		if b >= 0xC2 && b <= 0xDF && i+1 < len(s) && s[i+1]&0xC0 == 0x80 {
			i += 2 // a valid two-byte letter
			continue
		}
		c, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case c == utf8.RuneError && size == 1:
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			start = i + size
		case c == '\u2028' || c == '\u2029':
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[c&0xF])
			start = i + size
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

const (
	lsb = 0x0101010101010101
	msb = 0x8080808080808080
)

// word reads s[i:i+8] as a little-endian number.
func word(s string, i int) uint64 {
	_ = s[i+7]
	return uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
		uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
}

// specialMask has the high bit of each byte of w that is a control
// character, a quote, a backslash or not ASCII set, and maybe of bytes
// after the first such one: the bit tricks of "Bit Twiddling Hacks"
// (haszero, hasless), whose lowest bit set is always exact.
func specialMask(w uint64) uint64 {
	q, bs := w^(lsb*'"'), w^(lsb*'\\')
	return ((q-lsb)&^q | (bs-lsb)&^bs | (w-lsb*0x20)&^w | w) & msb
}

const hexDigits = "0123456789abcdef"

// appendEscape writes an ASCII byte that JSON strings escape as
// encoding/json does.
func appendEscape(dst []byte, b byte) []byte {
	switch b {
	case '\\', '"':
		return append(dst, '\\', b)
	case '\b':
		return append(dst, '\\', 'b')
	case '\f':
		return append(dst, '\\', 'f')
	case '\n':
		return append(dst, '\\', 'n')
	case '\r':
		return append(dst, '\\', 'r')
	case '\t':
		return append(dst, '\\', 't')
	}
	return append(dst, '\\', 'u', '0', '0', hexDigits[b>>4], hexDigits[b&0xF])
}

// appendPage appends the JSON of a page read, as encoding/json would
// write pageJSON (with SetEscapeHTML(false) and a final newline), its
// large text fields by their plans when plans is not nil, else through
// appendJSONString.
func appendPage(dst []byte, p pageJSON, plans *pagePlans) ([]byte, error) {
	// Room for the answer at once: a recycled buffer may be gone after a
	// garbage collection, and growing one by appends copies it again and
	// again.
	need := len(p.Markdown) + len(p.HTML) + 2*len(p.Title) + 1024
	if plans != nil {
		need += 6*(len(plans.markdown.at)+len(plans.html.at)) + len(plans.meta)
	} else {
		need += need / 8
	}
	dst = slices.Grow(dst, need)
	dst = append(dst, `{"seen_rev":`...)
	dst = strconv.AppendInt(dst, int64(p.SeenRev), 10)
	dst = append(dst, `,"path":`...)
	dst = appendJSONString(dst, p.Path.String())
	dst = append(dst, `,"namespace":`...)
	dst = appendJSONString(dst, p.Namespace)
	dst = append(dst, `,"title":`...)
	dst = appendJSONString(dst, p.Title)
	dst = append(dst, `,"rev":`...)
	dst = strconv.AppendInt(dst, int64(p.Rev), 10)
	dst = append(dst, `,"markdown":`...)
	if plans != nil {
		dst = plans.markdown.append(dst, p.Markdown)
	} else {
		dst = appendJSONString(dst, p.Markdown)
	}
	dst = append(dst, `,"html":`...)
	if plans != nil {
		dst = plans.html.append(dst, p.HTML)
	} else {
		dst = appendJSONString(dst, p.HTML)
	}
	dst = append(dst, `,"meta":`...)
	if plans != nil && plans.meta != nil {
		dst = append(dst, plans.meta...)
	} else {
		meta, err := marshalNoEscape(p.Meta)
		if err != nil {
			return nil, err
		}
		dst = append(dst, meta...)
	}
	dst = append(dst, `,"updated":`...)
	updated, err := p.Updated.MarshalJSON()
	if err != nil {
		return nil, err
	}
	dst = append(dst, updated...)
	dst = append(dst, `,"author":`...)
	dst = appendJSONString(dst, p.Author)
	return append(dst, "}\n"...), nil
}

// marshalNoEscape is json.Marshal without escaping <, > and &, as
// encodeJSON encodes.
func marshalNoEscape(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// jsonPlan lists where s has a byte to escape as a JSON string: a
// control character, a quote, a backslash, or the first byte of U+2028
// or U+2029. A page's answer is then its text copied between those
// places (appendPlanned), at the speed of a copy: the plan is kept with
// the page's revision (api.plans), a few bytes per escape, while the
// page itself is held once, by the render cache. ok is false for text
// that is not valid UTF-8, or so full of escapes (one byte in
// maxPlanEvery or more: a page of quotes) that its plan would weigh more
// than a quarter of it; appendJSONString writes those instead.
func jsonPlan(s string) (plan []int32, ok bool) {
	if !utf8.ValidString(s) || len(s) > math.MaxInt32 {
		return nil, false
	}
	most := len(s)/maxPlanEvery + 16
	for i := 0; i < len(s); {
		if i+8 <= len(s) {
			m := specialMask(word(s, i))
			if m == 0 {
				i += 8
				continue
			}
			i += bits.TrailingZeros64(m) / 8
		}
		switch b := s[i]; {
		case b < 0x20 || b == '"' || b == '\\':
			plan = append(plan, int32(i))
			i++
		case b == 0xE2 && i+2 < len(s) && s[i+1] == 0x80 && (s[i+2] == 0xA8 || s[i+2] == 0xA9):
			plan = append(plan, int32(i))
			i += 3
		default:
			i++
		}
		if len(plan) > most {
			return nil, false
		}
	}
	return slices.Clip(plan), true
}

// maxPlanEvery bounds a plan: at most one escape in so many bytes, each
// escape four bytes of plan.
const maxPlanEvery = 16

// appendPlanned appends s as a JSON string by its plan (jsonPlan): the
// same bytes as appendJSONString.
func appendPlanned(dst []byte, s string, plan []int32) []byte {
	dst = append(dst, '"')
	start := 0
	for _, p := range plan {
		i := int(p)
		dst = append(dst, s[start:i]...)
		if s[i] == 0xE2 { // U+2028 or U+2029
			dst = append(dst, '\\', 'u', '2', '0', '2', '8'+s[i+2]-0xA8)
			start = i + 3
			continue
		}
		dst = appendEscape(dst, s[i])
		start = i + 1
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// textPlan is the plan of one text of n bytes; ok is false when it has
// none (jsonPlan).
type textPlan struct {
	at []int32
	n  int
	ok bool
}

func planText(s string) textPlan {
	at, ok := jsonPlan(s)
	return textPlan{at, len(s), ok}
}

// append appends s, the text of the plan, as a JSON string. A text of
// another length than the plan's is not its text (a plan is found by the
// page's ETag): it is written the slow way rather than cut wrong.
func (t textPlan) append(dst []byte, s string) []byte {
	if !t.ok || len(s) != t.n {
		return appendJSONString(dst, s)
	}
	return appendPlanned(dst, s, t.at)
}

// pagePlans are the plans of a page revision's two texts, for the answer
// of etag.
type pagePlans struct {
	etag           string
	markdown, html textPlan
	meta           []byte // the front matter's JSON, nil when not encoded
}

// weight is what pagePlans count in the cache budget.
func (p pagePlans) weight() int {
	return 96 + len(p.etag) + 4*(len(p.markdown.at)+len(p.html.at)) + len(p.meta)
}
