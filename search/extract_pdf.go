package search

import (
	"bytes"
	"compress/zlib"
	"context"
	"errors"
	"io"
	"strings"
	"unicode/utf16"
)

// No maintained pure-Go PDF text extractor is served to this project, so
// this is a small bounded one: it reads the page content streams (raw or
// Flate-compressed; other filters, images and fonts are skipped) and
// keeps the strings their text operators show. Enough for the text of
// reports and minutes written by office suites with standard encodings;
// text in fonts with custom encodings comes out as what their bytes say.

// pdfText collects the text of the content streams of a PDF.
func pdfText(ctx context.Context, data []byte, sink *textSink) error {
	inflated := 0
	for pos := 0; pos < len(data); {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		i := bytes.Index(data[pos:], []byte("stream"))
		if i < 0 {
			return nil
		}
		start := pos + i
		pos = start + len("stream")
		if start >= 3 && string(data[start-3:start]) == "end" {
			continue
		}
		dict := streamDict(data[:start])
		body, next := streamBody(data, pos)
		pos = next
		if skippedStream(dict) {
			continue
		}
		content, err := inflateStream(dict, body, maxInflatedTotal-inflated)
		inflated += len(content)
		if err != nil {
			continue // one damaged stream: the others may hold text
		}
		if err := contentText(ctx, content, sink); err != nil {
			return err
		}
		if inflated >= maxInflatedTotal {
			return nil
		}
	}
	return nil
}

// streamDict returns the dictionary just before a stream keyword: from
// the last "obj" before it (bounded to 4 KiB back).
func streamDict(before []byte) string {
	from := max(0, len(before)-4096)
	b := before[from:]
	if i := bytes.LastIndex(b, []byte("obj")); i >= 0 {
		b = b[i:]
	}
	return string(b)
}

// streamBody returns the bytes of the stream that starts after the
// keyword at pos, and where to go on.
func streamBody(data []byte, pos int) ([]byte, int) {
	if pos < len(data) && data[pos] == '\r' {
		pos++
	}
	if pos < len(data) && data[pos] == '\n' {
		pos++
	}
	end := bytes.Index(data[pos:], []byte("endstream"))
	if end < 0 {
		return data[pos:], len(data)
	}
	return data[pos : pos+end], pos + end + len("endstream")
}

// skippedStream reports streams that hold no page text: images, fonts,
// embedded files, object streams, and filters other than Flate.
func skippedStream(dict string) bool {
	for _, s := range []string{"/Subtype", "/Length1", "/Length2", "/Type /XRef", "/Type/XRef", "/Type /ObjStm", "/Type/ObjStm", "/DCTDecode", "/JPXDecode", "/CCITT", "/JBIG2", "/LZW", "/ASCII", "/RunLength"} {
		if strings.Contains(dict, s) {
			return true
		}
	}
	return false
}

// inflateStream returns a stream's content, inflated when it is Flate,
// at most limit bytes (and maxInflatedPart).
func inflateStream(dict string, body []byte, limit int) ([]byte, error) {
	limit = min(limit, maxInflatedPart)
	if limit <= 0 {
		return nil, errors.New("inflated enough")
	}
	if !strings.Contains(dict, "/FlateDecode") {
		return body[:min(len(body), limit)], nil
	}
	zr, err := zlib.NewReader(bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	out, err := io.ReadAll(io.LimitReader(zr, int64(limit)))
	if errors.Is(err, io.ErrUnexpectedEOF) && len(out) > 0 {
		err = nil // a truncated stream: keep what came
	}
	return out, err
}

// contentText keeps the strings shown by the text operators of a content
// stream, a space between two moves of the text position.
func contentText(ctx context.Context, c []byte, sink *textSink) error {
	var pending []string // strings since the last operator
	for i, n := 0, 0; i < len(c); n++ {
		if n%(extractCheckEvery*8) == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		switch ch := c[i]; {
		case ch == '(':
			s, next := literalString(c, i+1)
			pending, i = append(pending, s), next
		case ch == '<' && i+1 < len(c) && c[i+1] != '<':
			s, next := hexString(c, i+1)
			pending, i = append(pending, s), next
		case ch == '%':
			for i < len(c) && c[i] != '\n' && c[i] != '\r' {
				i++
			}
		case isRegular(ch):
			j := i
			for j < len(c) && isRegular(c[j]) {
				j++
			}
			if err := textOperator(string(c[i:j]), pending, sink); err != nil {
				return err
			}
			if op := string(c[i:j]); !isNumber(op) && op[0] != '/' {
				pending = pending[:0]
			}
			i = j
		default:
			i++
		}
	}
	return nil
}

// textOperator adds what operator op shows of the strings before it.
func textOperator(op string, strs []string, sink *textSink) error {
	var out string
	switch op {
	case "Tj", "TJ":
		out = strings.Join(strs, "")
	case "'", `"`:
		out = " " + strings.Join(strs, "")
	case "Td", "TD", "T*", "Tm":
		out = " "
	case "ET":
		out = "\n"
	default:
		return nil
	}
	return sink.add(out)
}

func isRegular(ch byte) bool {
	return !strings.ContainsRune(" \t\r\n\f\x00()<>[]{}/%", rune(ch)) || ch == '/'
}

func isNumber(s string) bool {
	return strings.Trim(s, "0123456789.+-") == ""
}

// literalString reads a (string) from after its parenthesis: escapes,
// nested parentheses; bytes are read as Latin-1.
func literalString(c []byte, i int) (string, int) {
	var b []byte
	depth := 1
	for ; i < len(c); i++ {
		ch := c[i]
		switch {
		case ch == '\\' && i+1 < len(c):
			i++
			b, i = escaped(c, i, b)
		case ch == '(':
			depth++
			b = append(b, ch)
		case ch == ')':
			if depth--; depth == 0 {
				return pdfString(b), i + 1
			}
			b = append(b, ch)
		default:
			b = append(b, ch)
		}
		if len(b) > maxExtractedText {
			break
		}
	}
	return pdfString(b), len(c)
}

// escaped reads the escape at c[i] (past the backslash).
func escaped(c []byte, i int, b []byte) ([]byte, int) {
	switch e := c[i]; e {
	case 'n':
		return append(b, '\n'), i
	case 'r':
		return append(b, '\r'), i
	case 't':
		return append(b, '\t'), i
	case 'b', 'f':
		return b, i
	case '\r', '\n':
		return b, i // a line continued
	default:
		if e >= '0' && e <= '7' {
			v, j := 0, i
			for ; j < len(c) && j < i+3 && c[j] >= '0' && c[j] <= '7'; j++ {
				v = v*8 + int(c[j]-'0')
			}
			return append(b, byte(v)), j - 1
		}
		return append(b, e), i
	}
}

// hexString reads a <hex string> from after its angle bracket.
func hexString(c []byte, i int) (string, int) {
	var b []byte
	hi, half := byte(0), false
	for ; i < len(c) && c[i] != '>'; i++ {
		v, ok := hexDigit(c[i])
		if !ok {
			continue
		}
		if half {
			b = append(b, hi<<4|v)
		} else {
			hi = v
		}
		half = !half
	}
	if half {
		b = append(b, hi<<4)
	}
	return pdfString(b), min(i+1, len(c))
}

func hexDigit(ch byte) (byte, bool) {
	switch {
	case ch >= '0' && ch <= '9':
		return ch - '0', true
	case ch >= 'a' && ch <= 'f':
		return ch - 'a' + 10, true
	case ch >= 'A' && ch <= 'F':
		return ch - 'A' + 10, true
	}
	return 0, false
}

// pdfString decodes a string's bytes: UTF-16BE with its mark, else
// Latin-1 (close to the PDFDoc and WinAnsi encodings for letters).
func pdfString(b []byte) string {
	if len(b) >= 2 && b[0] == 0xfe && b[1] == 0xff {
		u := make([]uint16, 0, len(b)/2)
		for i := 2; i+1 < len(b); i += 2 {
			u = append(u, uint16(b[i])<<8|uint16(b[i+1]))
		}
		return string(utf16.Decode(u))
	}
	r := make([]rune, len(b))
	for i, ch := range b {
		r[i] = rune(ch)
	}
	return string(r)
}
