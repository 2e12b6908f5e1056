package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/kdecole-club/clubwiki/wiki"
)

// movedTarget returns, when err says the page of r was moved, the same URL
// with the new path in place of the old one (the query kept: revision
// numbers follow a move), and the status: 301 for an HTML GET, 308 for the
// API and for other methods, so that a client repeats the same request,
// body included, at the new place.
func movedTarget(r *http.Request, err error, api bool) (string, int, bool) {
	var m *wiki.MovedError
	if !errors.As(err, &m) {
		return "", 0, false
	}
	_, pattern, _ := strings.Cut(r.Pattern, " ")
	prefix, ok := strings.CutSuffix(pattern, "{path...}")
	if !ok {
		return "", 0, false
	}
	target := prefix + m.To.String() // canonical: nothing to escape
	if r.URL.RawQuery != "" {
		target += "?" + r.URL.RawQuery
	}
	status := http.StatusPermanentRedirect
	if !api && (r.Method == http.MethodGet || r.Method == http.MethodHead) {
		status = http.StatusMovedPermanently
	}
	return target, status, true
}
