package web

import (
	"net/http"
	"strings"

	"github.com/kdecole-club/clubwiki/wiki"
)

// apiFunc is an API handler: it gets the authenticated user and returns an
// error instead of writing it, so that every error goes through writeError.
type apiFunc func(w http.ResponseWriter, r *http.Request, u *wiki.User) error

// api wraps an apiFunc: API headers, authentication, error answer.
func (s *Server) api(h apiFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd["Content-Security-Policy"] = cspAPI
		// Answers depend on who asks: no shared cache may keep them.
		// Page reads relax this to "private, no-cache" with an ETag.
		hd["Cache-Control"] = noStore
		u, err := s.authenticate(r)
		var release func()
		if err == nil {
			release, err = s.takeBody(r)
		}
		if err == nil {
			err = func() error { defer release(); return h(w, r, u) }()
		}
		if err != nil {
			s.writeError(w, r, err)
		}
	})
}

// apiRoutes registers the JSON API of CONTRACT.md.
func (s *Server) apiRoutes() {
	s.route("GET /api/namespaces", s.api(s.namespaces))
	s.route("GET /api/pages", s.api(s.listPages))
	s.route("GET /api/pages/{path...}", s.api(s.getPage))
	s.route("PUT /api/pages/{path...}", s.api(s.putPage))
	s.route("DELETE /api/pages/{path...}", s.api(s.deletePage))
	s.route("GET /api/history/{path...}", s.api(s.history))
	s.route("GET /api/diff/{path...}", s.api(s.diff))
	s.route("POST /api/revert/{path...}", s.api(s.revert))
	s.route("POST /api/move/{path...}", s.api(s.move))
	s.route("GET /api/backlinks/{path...}", s.api(s.backlinks))
	s.route("GET /api/changes", s.api(s.changes))
	s.route("POST /api/preview", s.api(s.preview))
	s.route("GET /api/search", s.api(s.search))
	s.route("GET /api/suggest", s.api(s.suggest))
	s.route("GET /api/backup", s.api(s.backup))
	// Anything else under /api/ gets a JSON error rather than the mux's
	// plain-text 404, after authentication so as not to map the API for
	// strangers.
	s.route("/api/", s.api(s.noRoute))
}

// noRoute answers 405 with Allow for a known path with the wrong method
// (the catch-all hides the mux's own 405), else 404.
func (s *Server) noRoute(w http.ResponseWriter, r *http.Request, _ *wiki.User) error {
	var allow []string
	for _, m := range []string{http.MethodGet, http.MethodPut, http.MethodPost, http.MethodDelete} {
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, pattern := s.mux.Handler(probe); pattern != "/api/" && pattern != "" {
			allow = append(allow, m)
		}
	}
	if len(allow) > 0 {
		if allow[0] == http.MethodGet {
			allow = append(allow, http.MethodHead)
		}
		w.Header().Set("Allow", strings.Join(allow, ", "))
		return wiki.Errorf(wiki.EMethodNotAllowed, "%s is not allowed here", r.Method)
	}
	return wiki.Errorf(wiki.ENotFound, "no API endpoint at %s", r.URL.Path)
}
