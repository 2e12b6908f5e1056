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
func (c *uiCtx) base(title string) base {
	st := c.s.ui.static
	b := base{L: c.L, User: c.User, CSS: st.url("app.css"), JS: st.url("app.js"), Title: title, Here: c.r.URL.RequestURI()}
	if c.User != nil {
		b.CanEdit = c.User.Role.CanEdit()
	}
	return b
}

// uiFunc is a UI handler. It returns errors instead of writing them, so that
// every error page goes through uiError.
type uiFunc func(w http.ResponseWriter, r *http.Request, c *uiCtx) error

// Access levels of UI routes.
const (
	anyone = iota // the login page, the language switch
	member        // any signed-in user
	editor        // a signed-in editor or admin
)

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
		if err == nil && level == editor && !c.User.Role.CanEdit() {
			err = wiki.Errorf(wiki.EForbidden, "editors only")
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

	m.Handle("GET /new", s.handle(editor, s.newForm))
	m.Handle("POST /new", s.handle(editor, s.newPage))
	m.Handle("GET /canonical", s.handle(member, s.canonical))
	m.Handle("GET /edit/{path...}", s.handle(editor, s.editForm))
	// Open to anyone: savePage checks the session itself, so that an
	// expired one does not lose the text being saved.
	m.Handle("POST /edit/{path...}", s.handle(anyone, s.savePage))
	m.Handle("POST /preview", s.handle(member, s.previewFragment))
	m.Handle("GET /revert/{path...}", s.handle(editor, s.revertConfirm))
	m.Handle("POST /revert/{path...}", s.handle(editor, s.revertSubmit))
	m.Handle("GET /delete/{path...}", s.handle(editor, s.deleteConfirm))
	m.Handle("POST /delete/{path...}", s.handle(editor, s.deleteSubmit))

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
