package web

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"sync"

	"github.com/kdecole-club/clubwiki/wiki"
)

// The encoding of JSON answers is the core's: the error answer of every
// route is JSON (writeError), the API answers with it (api_json.go) and so
// does the interface's script endpoint (ui_new.go).

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

// writeBody writes an encoded JSON answer with its length.
func writeBody(w http.ResponseWriter, status int, b []byte) {
	h := w.Header()
	h["Content-Type"] = jsonType
	h["Content-Length"] = []string{strconv.Itoa(len(b))}
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// tooLarge refuses a request body, JSON or form, past limit bytes.
func tooLarge(limit int64) error {
	return wiki.Errorf(wiki.ETooLarge, "the request body is larger than %d bytes", limit)
}
