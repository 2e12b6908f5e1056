package web

import (
	"net/http"

	"github.com/kdecole-club/clubwiki/wiki"
)

// uiCtx is what a UI handler knows about its request: who asks (nil when
// anonymous), their session secret and the language of the answer.
type uiCtx struct {
	s      *Server
	r      *http.Request
	User   *wiki.User
	secret string
	L      *catalog
}

// base returns the layout's part of a view titled title.
func (c *uiCtx) base(title string) base { return c.baseAt(title, wiki.Path{}) }

// baseAt is base for a view of page p: its buttons follow what the policy
// allows there.
func (c *uiCtx) baseAt(title string, p wiki.Path) base {
	st := c.s.ui.static
	svc := c.s.svc
	return base{L: c.L, User: c.User, CSS: st.url("app.css"), JS: st.url("app.js"), Title: title, Here: c.r.URL.RequestURI(),
		CanEdit:   svc.Can(c.User, wiki.ActEdit, p),
		CanDelete: svc.Can(c.User, wiki.ActDelete, p),
		CanRevert: svc.Can(c.User, wiki.ActRevert, p),
		CanNew:    svc.Can(c.User, wiki.ActEdit, wiki.Path{})}
}

// uiFunc is a UI handler. It returns errors instead of writing them, so that
// every error page goes through uiError.
type uiFunc func(w http.ResponseWriter, r *http.Request, c *uiCtx) error

// Access levels of UI routes: authentication only. What a signed-in user
// may do is the wiki's policy's to say (see gated).
const (
	anyone = iota // the login page, the language switch
	member        // any signed-in user
)

// gated is h for members whom the wiki's policy allows act on the page the
// URL names (or anywhere, when it names none): the form of an action is
// refused as the action itself would be, before it is shown.
func (s *Server) gated(act wiki.Action, h uiFunc) http.Handler {
	return s.handle(member, func(w http.ResponseWriter, r *http.Request, c *uiCtx) error {
		var p wiki.Path
		if raw := r.PathValue("path"); raw != "" {
			p, _ = s.svc.ResolvePath(r.Context(), raw) // a bad path is h's to refuse
		}
		if err := s.svc.Authorize(r.Context(), c.User, act, p); err != nil {
			return err
		}
		return h(w, r, c)
	})
}

// handle wraps a UI handler: HTML headers, cross-origin check for form
// posts, language, session and access level.
func (s *Server) handle(level int, h uiFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd["Content-Security-Policy"] = cspHTML
		hd["Cache-Control"] = noStore
		c := &uiCtx{s: s, r: r, L: s.ui.catalogFor(r)}
		err := s.ui.cop.Check(r)
		if err != nil {
			err = wiki.Errorf(wiki.EForbidden, "cross-origin request refused")
		}
		if err == nil {
			c.User, c.secret, err = s.sessionUser(r)
			if level == anyone {
				err = nil
			}
		}
		if err == nil {
			err = h(w, r, c)
		}
		if err != nil {
			s.uiError(w, r, c, err)
		}
	})
}

// uiRoutes registers the HTML interface.
func (s *Server) uiRoutes() {
	m := s.mux
	m.Handle("GET /static/{hash}/{name}", http.HandlerFunc(s.serveStatic))
	m.Handle("GET /login", s.handle(anyone, s.loginForm))
	m.Handle("POST /login", s.handle(anyone, s.login))
	m.Handle("POST /logout", s.handle(anyone, s.logout))
	m.Handle("POST /lang", s.handle(anyone, s.setLang))

	m.Handle("GET /{$}", s.handle(member, s.home))
	m.Handle("GET /ns/{key}", s.handle(member, s.namespaceIndex))
	m.Handle("GET /wiki/{path...}", s.handle(member, s.viewPage))
	m.Handle("GET /backlinks/{path...}", s.handle(member, s.backlinksPage))
	m.Handle("GET /history/{path...}", s.handle(member, s.historyPage))
	m.Handle("GET /diff/{path...}", s.handle(member, s.diffPage))
	m.Handle("GET /changes", s.handle(member, s.changesPage))
	m.Handle("GET /search", s.handle(member, s.searchPage))

	m.Handle("GET /new", s.gated(wiki.ActEdit, s.newForm))
	m.Handle("POST /new", s.gated(wiki.ActEdit, s.newPage))
	m.Handle("GET /canonical", s.handle(member, s.canonical))
	m.Handle("GET /edit/{path...}", s.gated(wiki.ActEdit, s.editForm))
	// Open to anyone: savePage checks the session itself, so that an
	// expired one does not lose the text being saved.
	m.Handle("POST /edit/{path...}", s.handle(anyone, s.savePage))
	m.Handle("POST /preview", s.handle(member, s.previewFragment))
	m.Handle("GET /revert/{path...}", s.gated(wiki.ActRevert, s.revertConfirm))
	m.Handle("POST /revert/{path...}", s.gated(wiki.ActRevert, s.revertSubmit))
	m.Handle("GET /delete/{path...}", s.gated(wiki.ActDelete, s.deleteConfirm))
	m.Handle("POST /delete/{path...}", s.gated(wiki.ActDelete, s.deleteSubmit))

	m.Handle("GET /settings", s.handle(member, s.settings))
	m.Handle("POST /settings/password", s.handle(member, s.changePassword))
	m.Handle("POST /settings/tokens", s.handle(member, s.createToken))
	m.Handle("POST /settings/tokens/{id}/revoke", s.handle(member, s.revokeToken))

	m.Handle("/", s.handle(member, s.notFound))
}

// notFound answers any other URL.
func (s *Server) notFound(w http.ResponseWriter, r *http.Request, c *uiCtx) error {
	return wiki.Errorf(wiki.ENotFound, "no page at %s", r.URL.Path)
}
