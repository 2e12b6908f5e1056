package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"sync"
	"unicode/utf8"

	"github.com/kdecole-club/clubwiki/wiki"
)

// bufPool recycles encoding buffers; answers can be megabytes.
var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// encodeJSON encodes v as the API does: without HTML escaping, because the
// answers are application/json with nosniff and a strict CSP, and "<" as
// \u003c would inflate every "html" field. The result is a fresh slice.
func encodeJSON(v any) ([]byte, error) {
	buf := bufPool.Get().(*bytes.Buffer)
	defer func() {
		if buf.Cap() <= 1<<20 { // do not keep huge buffers alive
			buf.Reset()
			bufPool.Put(buf)
		}
	}()
	buf.Reset()
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.Clone(buf.Bytes()), nil
}

// writeJSON encodes v entirely before writing, so that an encoding failure
// still gets a clean 500 rather than half an answer.
func (s *Server) writeJSON(w http.ResponseWriter, r *http.Request, status int, v any) {
	b, err := encodeJSON(v)
	if err != nil {
		if _, isErr := v.(errorBody); isErr {
			// Encoding the error itself failed: nothing sensible is left.
			writeBody(w, http.StatusInternalServerError, []byte(`{"error":{"code":"internal","message":"internal error"}}`+"\n"))
			return
		}
		s.writeError(w, r, wiki.Internal(err, "encoding the answer"))
		return
	}
	writeBody(w, status, b)
}

// writeBody writes an encoded JSON answer with its length.
func writeBody(w http.ResponseWriter, status int, b []byte) {
	h := w.Header()
	h["Content-Type"] = jsonType
	h["Content-Length"] = []string{strconv.Itoa(len(b))}
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// readJSON reads the request body into v. The body must fit in the limit
// (413), be valid UTF-8 (400: encoding/json would silently replace bad bytes
// with U+FFFD and store them) and be exactly one JSON value (400). Unknown
// fields are ignored so that older servers accept newer clients. An empty
// body leaves v untouched when emptyOK.
func (s *Server) readJSON(w http.ResponseWriter, r *http.Request, v any, emptyOK bool) error {
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
	// Unmarshal, unlike Decoder.Decode, rejects anything after the value.
	if err := json.Unmarshal(body, v); err != nil {
		return wiki.Errorf(wiki.EInvalid, "the request body is not valid JSON: %s", jsonProblem(err))
	}
	return nil
}

func tooLarge(limit int64) error {
	return wiki.Errorf(wiki.ETooLarge, "the request body is larger than %d bytes", limit)
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
