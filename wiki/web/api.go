package web

import (
	"net/http"
	"strings"

	"github.com/kdecole-club/clubwiki/wiki"
	"github.com/kdecole-club/clubwiki/wiki/lru"
)

// apiFunc is an API handler: it gets the authenticated user and returns an
// error instead of writing it, so that every error goes through writeError.
type apiFunc func(w http.ResponseWriter, r *http.Request, u *wiki.User) error

// api is the JSON API: its handlers over the core.
type api struct {
	*core
	// plans are the JSON escape plans of page revisions' texts, in the
	// service's one cache budget (api.page).
	plans *lru.Cache[bodyKey, pagePlans]
}

func newAPI(c *core, opt Options) *api {
	return &api{core: c, plans: lru.NewIn[bodyKey, pagePlans](c.svc.CacheBudget(), pagePlans.weight)}
}

// handle wraps an apiFunc: API headers, authentication, error answer.
func (s *api) handle(h apiFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd["Content-Security-Policy"] = cspStrict
		// Answers depend on who asks: no shared cache may keep them.
		// Page reads relax this to "private, no-cache" with an ETag.
		hd["Cache-Control"] = noStore
		u, err := s.authenticate(r)
		if err == nil {
			err = s.chargeWrite(r, u)
		}
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

// writeError answers err, or redirects to where a moved page went.
func (s *api) writeError(w http.ResponseWriter, r *http.Request, err error) {
	if target, status, ok := movedTarget(r, err, true); ok {
		w.Header().Set("Location", target)
		s.writeJSON(w, r, status, movedJSON{Path: target})
		return
	}
	s.core.writeError(w, r, err)
}

// routes registers the JSON API of CONTRACT.md.
func (s *api) routes() {
	s.route("GET /api/namespaces", s.handle(s.namespaces))
	s.route("GET /api/pages", s.handle(s.listPages))
	s.route("GET /api/pages/{path...}", s.handle(s.page))
	s.route("PUT /api/pages/{path...}", s.handle(s.save))
	s.route("DELETE /api/pages/{path...}", s.handle(s.delete))
	s.route("GET /api/history/{path...}", s.handle(s.history))
	s.route("GET /api/diff/{path...}", s.handle(s.diff))
	s.route("POST /api/revert/{path...}", s.handle(s.revert))
	s.route("POST /api/move/{path...}", s.handle(s.move))
	s.route("GET /api/backlinks/{path...}", s.handle(s.backlinks))
	s.route("GET /api/changes", s.handle(s.changes))
	s.route("POST /api/review/{path...}", s.handle(s.review))
	s.route("PUT /api/watch/{path...}", s.handle(s.putWatch))
	s.route("DELETE /api/watch/{path...}", s.handle(s.putWatch))
	s.route("GET /api/watchlist", s.handle(s.watchlist))
	s.route("GET /api/me", s.handle(s.me))
	s.route("PUT /api/me", s.handle(s.putMe))
	s.route("GET /api/users", s.handle(s.users))
	s.route("GET /api/users/{login}", s.handle(s.user))
	s.route("PUT /api/users/{login}", s.handle(s.putUser))
	s.route("POST /api/preview", s.handle(s.preview))
	s.route("GET /api/drafts", s.handle(s.drafts))
	s.route("GET /api/drafts/{path...}", s.handle(s.draft))
	s.route("PUT /api/drafts/{path...}", s.handle(s.putDraft))
	s.route("DELETE /api/drafts/{path...}", s.handle(s.deleteDraft))
	s.route("POST /api/presence/{path...}", s.handle(s.presence))
	s.route("POST /api/diff/{path...}", s.handle(s.diffText))
	s.route("POST /api/rebase/{path...}", s.handle(s.rebase))
	s.route("GET /api/search", s.handle(s.search))
	s.route("GET /api/suggest", s.handle(s.suggest))
	s.route("GET /api/backup", s.handle(s.backup))
	s.route("GET /api/admin/namespaces", s.handle(s.adminAllRules))
	s.route("GET /api/admin/namespaces/{key}", s.handle(s.adminRules))
	s.route("PUT /api/admin/namespaces/{key}", s.handle(s.putAdminRules))
	s.route("GET /api/admin/users", s.handle(s.adminUsers))
	s.route("PUT /api/admin/users/{login}", s.handle(s.putAdminUser))
	s.route("GET /api/admin/groups", s.handle(s.adminGroups))
	s.fileRoutes()
	s.route("PUT /api/admin/groups/{name}", s.handle(s.putAdminGroup))
	s.route("GET /api/admin/invitations", s.handle(s.invitations))
	s.route("POST /api/admin/invitations", s.handle(s.postInvitation))
	s.route("DELETE /api/admin/invitations/{login}", s.handle(s.revokeLinks(wiki.TicketInvite)))
	s.route("POST /api/admin/users/{login}/reset", s.handle(s.postReset))
	s.route("DELETE /api/admin/users/{login}/reset", s.handle(s.revokeLinks(wiki.TicketReset)))
	s.route("GET /api/admin/audit", s.handle(s.audit))
	// Anything else under /api/ gets a JSON error rather than the mux's
	// plain-text 404, after authentication so as not to map the API for
	// strangers.
	s.route("/api/", s.handle(s.noRoute))
}

// noRoute answers 405 with Allow for a known path with the wrong method
// (the catch-all hides the mux's own 405), else 404.
func (s *api) noRoute(w http.ResponseWriter, r *http.Request, _ *wiki.User) error {
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
