package web

import (
	"errors"
	"net/http"

	"github.com/kdecole-club/clubwiki/wiki"
)

// busyRetryAfter is the Retry-After, in seconds, of a 503: the wiki was too
// busy (every search slot taken), which lasts a moment.
const busyRetryAfter = "2"

// statusOf is the one code → status table.
var statusOf = map[wiki.Code]int{
	wiki.EInvalid:          http.StatusBadRequest,
	wiki.EInvalidMeta:      http.StatusBadRequest,
	wiki.EUnauthenticated:  http.StatusUnauthorized,
	wiki.EForbidden:        http.StatusForbidden,
	wiki.ENotFound:         http.StatusNotFound,
	wiki.EConflict:         http.StatusConflict,
	wiki.EExists:           http.StatusConflict,
	wiki.ETooLarge:         http.StatusRequestEntityTooLarge,
	wiki.ERateLimited:      http.StatusTooManyRequests,
	wiki.EInternal:         http.StatusInternalServerError,
	wiki.EUnavailable:      http.StatusServiceUnavailable,
	wiki.EStorageFull:      http.StatusInsufficientStorage,
	wiki.ENotImplemented:   http.StatusNotImplemented,
	wiki.EMethodNotAllowed: http.StatusMethodNotAllowed,
}

// errorBody is the error shape of every API answer. HeadRev,
// ConflictMarkdown and Conflicts (the number of conflicting regions in
// ConflictMarkdown) are only set for an edit conflict.
type errorBody struct {
	Error            errorDetail `json:"error"`
	HeadRev          *int        `json:"head_rev,omitempty"`
	ConflictMarkdown *string     `json:"conflict_markdown,omitempty"`
	Conflicts        *int        `json:"conflicts,omitempty"`
}

// errorDetail is the code, the message and, when the wiki names the rule
// that refused, its reason: a stable key a client may word itself.
type errorDetail struct {
	Code    wiki.Code   `json:"code"`
	Message string      `json:"message"`
	Reason  wiki.Reason `json:"reason,omitempty"`
	// Field and Line name the front matter field at fault, for
	// invalid_meta (Line when known).
	Field string `json:"field,omitempty"`
	Line  int    `json:"line,omitempty"`
}

// classify returns the code and status of err, an unknown code counting as
// internal, and logs internal errors with the request's fields (not those
// that only say the client went away). Every error answer, JSON or HTML,
// starts here.
func (s *core) classify(r *http.Request, err error) (wiki.Code, int) {
	code := wiki.ErrorCode(err)
	status, ok := statusOf[code]
	if !ok {
		code, status = wiki.EInternal, http.StatusInternalServerError
	}
	if code == wiki.EInternal && !isCanceled(err) {
		s.log.Error("internal error", "method", r.Method, "path", r.URL.EscapedPath(), "error", err)
	}
	return code, status
}

// writeError answers err. It is the only way errors reach clients: the
// status comes from the code, the message from wiki.ErrorMessage (never a Go
// error string), and only internal errors are logged.
func (s *core) writeError(w http.ResponseWriter, r *http.Request, err error) {
	code, status := s.classify(r, err)
	body := errorBody{Error: errorDetail{Code: code, Message: wiki.ErrorMessage(err)}}
	if code == wiki.EInternal {
		body.Error.Message = "internal error"
	} else {
		body.Error.Reason, _ = wiki.ErrorReason(err)
	}
	var we *wiki.Error
	if code == wiki.EInvalidMeta && errors.As(err, &we) {
		body.Error.Field, body.Error.Line = we.Field, we.Line
	}
	var conflict *wiki.ConflictError
	if errors.As(err, &conflict) {
		body.HeadRev = &conflict.HeadRev
		body.ConflictMarkdown = &conflict.ConflictMarkdown
		n := len(conflict.Merge.Conflicts())
		body.Conflicts = &n
	}
	h := w.Header()
	if status == http.StatusUnauthorized {
		h.Set("WWW-Authenticate", `Bearer realm="clubwiki"`)
	}
	if status == http.StatusServiceUnavailable {
		h.Set("Retry-After", busyRetryAfter)
	}
	setRetryAfter(w, err)
	// An error is never cached, whatever the handler had set already.
	h["Cache-Control"] = noStore
	h.Del("ETag")
	b, err := encodeJSON(body)
	if err != nil {
		// Encoding the error itself failed: nothing sensible is left.
		status, b = http.StatusInternalServerError, []byte(`{"error":{"code":"internal","message":"internal error"}}`+"\n")
	}
	writeBody(w, status, b)
}
