package web

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
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
	cspStrict      = []string{"default-src 'none'; frame-ancestors 'none'"}
	noStore        = []string{"no-store"}
	privateNoCache = []string{"private, no-cache"}
	jsonType       = []string{"application/json; charset=utf-8"}
	textPlain      = []string{"text/plain; charset=utf-8"}
)

// securityHeaders sets the headers every answer carries, HTML or JSON. The
// Content-Security-Policy and Cache-Control depend on the kind of answer
// and handlers replace them; the strictest are set first for the answers
// no handler of ours writes, such as the mux's redirects ("/wiki" to
// "/wiki/", unclean paths), which carry a small HTML body.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h["X-Content-Type-Options"] = nosniff
		h["Referrer-Policy"] = referrerPolicy
		h["X-Frame-Options"] = frameDeny
		h["Content-Security-Policy"] = cspStrict
		h["Cache-Control"] = noStore
		next.ServeHTTP(w, r)
	})
}

// recoverPanics turns a panic in a handler into a 500 internal error, so that
// one bad request neither kills the connection silently nor shows a trace.
func (s *core) recoverPanics(next http.Handler) http.Handler {
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
func (s *core) logRequests(next http.Handler) http.Handler {
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

// clientIP is the address of the client: the connection's, or behind
// proxies the entry of X-Forwarded-For that the outermost trusted proxy
// appended. Entries further left come from the client itself and prove
// nothing: trusting the leftmost one would let anyone pick an address, and
// with it a fresh budget of sign-in attempts.
func (s *core) clientIP(r *http.Request) string {
	if s.behindProxy {
		if ip, ok := forwardedFor(r.Header.Values("X-Forwarded-For"), s.proxies); ok {
			return ip
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// forwardedFor returns the address hops entries from the right of the
// X-Forwarded-For header lines, or the leftmost when there are fewer (a
// request that did not pass every proxy); false when that entry is not an
// IP address.
func forwardedFor(lines []string, hops int) (string, bool) {
	var entries []string
	for _, l := range lines {
		for e := range strings.SplitSeq(l, ",") {
			entries = append(entries, strings.TrimSpace(e))
		}
	}
	if len(entries) == 0 {
		return "", false
	}
	e := entries[max(len(entries)-hops, 0)]
	ip, err := netip.ParseAddr(e)
	if err != nil {
		// Some proxies write the client's port too: "[2001:db8::1]:443".
		ap, err := netip.ParseAddrPort(e)
		if err != nil {
			return "", false
		}
		ip = ap.Addr()
	}
	return ip.Unmap().String(), true
}

// isCanceled reports whether err only says the client went away.
func isCanceled(err error) bool {
	return errors.Is(err, context.Canceled)
}
