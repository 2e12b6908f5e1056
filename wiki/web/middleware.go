package web

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/kdecole-club/clubwiki/wiki"
)

// Header values shared by every answer. They are assigned to the header map
// directly, not with Header.Set, because the hot page read would otherwise
// allocate a slice per header per request; net/http never modifies them.
var (
	nosniff        = []string{"nosniff"}
	referrerPolicy = []string{"same-origin"}
	frameDeny      = []string{"DENY"}
	cspAPI         = []string{"default-src 'none'; frame-ancestors 'none'"}
	noStore        = []string{"no-store"}
	privateNoCache = []string{"private, no-cache"}
	jsonType       = []string{"application/json; charset=utf-8"}
	textPlain      = []string{"text/plain; charset=utf-8"}
)

// securityHeaders sets the headers every answer carries, HTML or JSON. The
// Content-Security-Policy depends on the kind of answer and is set by the
// handlers.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h["X-Content-Type-Options"] = nosniff
		h["Referrer-Policy"] = referrerPolicy
		h["X-Frame-Options"] = frameDeny
		next.ServeHTTP(w, r)
	})
}

// recoverPanics turns a panic in a handler into a 500 internal error, so that
// one bad request neither kills the connection silently nor shows a trace.
func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			v := recover()
			if v == nil {
				return
			}
			if v == http.ErrAbortHandler {
				panic(v) // net/http's own way to abort a response
			}
			err, ok := v.(error)
			if !ok {
				err = fmt.Errorf("%v", v)
			}
			s.writeError(w, r, wiki.Internal(fmt.Errorf("panic: %w", err), "handling the request"))
		}()
		next.ServeHTTP(w, r)
	})
}

// logRequests logs one Debug line per request. Under load Info would be
// noise; when Debug is off the request is served without any wrapping.
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.log.Enabled(r.Context(), slog.LevelDebug) {
			next.ServeHTTP(w, r)
			return
		}
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(sw, r)
		s.log.LogAttrs(r.Context(), slog.LevelDebug, "request",
			slog.String("method", r.Method),
			slog.String("path", r.URL.EscapedPath()),
			slog.Int("status", sw.status),
			slog.Int64("bytes", sw.bytes),
			slog.Duration("duration", time.Since(start)),
			slog.String("client", s.clientIP(r)))
	})
}

// statusWriter remembers the status and size of an answer for the log.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
	wrote  bool
}

func (w *statusWriter) WriteHeader(code int) {
	if !w.wrote {
		w.status, w.wrote = code, true
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	w.wrote = true
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the real writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// clientIP is the address of the client: the first hop of X-Forwarded-For
// behind a proxy (which sets it), else the connection's address.
func (s *Server) clientIP(r *http.Request) string {
	if s.behindProxy {
		if xff := r.Header.Get("X-Forwarded-For"); xff != "" {
			first, _, _ := strings.Cut(xff, ",")
			return strings.TrimSpace(first)
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// isCanceled reports whether err only says the client went away.
func isCanceled(err error) bool {
	return errors.Is(err, context.Canceled)
}
