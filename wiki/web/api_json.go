package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"unicode/utf8"

	"github.com/kdecole-club/clubwiki/wiki"
)

// writeJSON encodes v entirely before writing, so that an encoding failure
// still gets a clean 500 rather than half an answer.
func (s *api) writeJSON(w http.ResponseWriter, r *http.Request, status int, v any) {
	b, err := encodeJSON(v)
	if err != nil {
		s.writeError(w, r, wiki.Internal(err, "encoding the answer"))
		return
	}
	writeBody(w, status, b)
}

// readJSON reads the request body into v. The body must fit in the limit
// (413), be valid UTF-8 and spell no lone surrogate (400: encoding/json
// would silently replace either with U+FFFD and store it) and be exactly
// one JSON value (400). Unknown
// fields are ignored so that older servers accept newer clients. An empty
// body leaves v untouched when emptyOK.
func (s *api) readJSON(w http.ResponseWriter, r *http.Request, v any, emptyOK bool) error {
	if r.ContentLength > s.maxBody {
		return tooLarge(s.maxBody)
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.maxBody))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return tooLarge(mbe.Limit)
		}
		return wiki.Errorf(wiki.EInvalid, "could not read the request body")
	}
	if len(bytes.TrimSpace(body)) == 0 {
		if emptyOK {
			return nil
		}
		return wiki.Errorf(wiki.EInvalid, "the request body is empty; a JSON object is expected")
	}
	if !utf8.Valid(body) {
		return wiki.Errorf(wiki.EInvalid, "the request body is not valid UTF-8")
	}
	if loneSurrogate(body) {
		return wiki.Errorf(wiki.EInvalid, `the request body has a \u escape of a lone UTF-16 surrogate, which is no character`)
	}
	// Unmarshal, unlike Decoder.Decode, rejects anything after the value.
	if err := json.Unmarshal(body, v); err != nil {
		return wiki.Errorf(wiki.EInvalid, "the request body is not valid JSON: %s", jsonProblem(err))
	}
	return nil
}

// jsonProblem describes a decoding error for users without echoing Go type
// names.
func jsonProblem(err error) string {
	var syn *json.SyntaxError
	if errors.As(err, &syn) {
		return "syntax error at byte " + strconv.FormatInt(syn.Offset, 10)
	}
	var typ *json.UnmarshalTypeError
	if errors.As(err, &typ) {
		if typ.Field != "" {
			return "wrong type for field " + strconv.Quote(typ.Field)
		}
		return "a JSON object is expected"
	}
	return "malformed value"
}

// loneSurrogate reports whether a JSON text holds a \u escape of a UTF-16
// surrogate (D800–DFFF) that is not a high one followed by a low one.
// Such an escape is no character; encoding/json would silently store
// U+FFFD in its place. Backslashes only occur in strings, and an escaped
// backslash is skipped whole, so no state is needed.
func loneSurrogate(b []byte) bool {
	for {
		i := bytes.IndexByte(b, '\\')
		if i < 0 || i+1 >= len(b) {
			return false
		}
		if b[i+1] != 'u' {
			b = b[i+2:] // \\, \n, \" …: one escaped character
			continue
		}
		r, ok := hex4(b[i+2:])
		b = b[i+2:]
		if !ok || r < 0xd800 || r > 0xdfff {
			continue
		}
		if r >= 0xdc00 {
			return true // a low surrogate first
		}
		b = b[4:]
		if len(b) < 6 || b[0] != '\\' || b[1] != 'u' {
			return true
		}
		if lo, ok := hex4(b[2:]); !ok || lo < 0xdc00 || lo > 0xdfff {
			return true
		}
		b = b[6:]
	}
}

// hex4 reads the four hex digits of a \u escape.
func hex4(b []byte) (rune, bool) {
	if len(b) < 4 {
		return 0, false
	}
	var r rune
	for _, c := range b[:4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c -= 'a' - 10
		case 'A' <= c && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}
