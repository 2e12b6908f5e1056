package web

import (
	"net/http"

	"github.com/kdecole-club/clubwiki/wiki"
)

// uiCtx is what a UI handler knows about its request: who asks (nil when
// anonymous), their session secret and the language of the answer.
type uiCtx struct {
	s      *ui
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
	st := c.s.static
	svc := c.s.svc
	b := base{L: c.L, User: c.User, Head: st.head, Title: title, Here: c.r.URL.RequestURI(),
		CanEdit:   svc.Can(c.User, wiki.ActEdit, p),
		CanDelete: svc.Can(c.User, wiki.ActDelete, p),
		CanRevert: svc.Can(c.User, wiki.ActRevert, p),
		CanNew:    svc.Can(c.User, wiki.ActEdit, wiki.Path{})}
	if c.User != nil {
		b.Nav = c.L.navs[navIndex(b.CanNew, c.User.Role == wiki.RoleAdmin)]
	}
	return b
}

// uiFunc is a UI handler. It returns errors instead of writing them, so that
// every error page goes through errorPage.
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
func (s *ui) gated(act wiki.Action, h uiFunc) http.Handler {
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
func (s *ui) handle(level int, h uiFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd["Content-Security-Policy"] = cspHTML
		hd["Cache-Control"] = noStore
		c := &uiCtx{s: s, r: r, L: s.catalogFor(r)}
		err := s.cop.Check(r)
		if err != nil {
			err = wiki.Errorf(wiki.EForbidden, "cross-origin request refused")
		}
		if err == nil {
			c.User, c.secret, err = s.sessionUser(r)
			if level == anyone {
				// Open routes charge writes themselves, if at all.
				err = nil
			} else if err == nil {
				err = s.chargeWrite(r, c.User)
			}
		}
		var release func()
		if err == nil {
			release, err = s.takeBody(r)
		}
		if err == nil {
			err = func() error { defer release(); return h(w, r, c) }()
		}
		if target, status, ok := movedTarget(r, err, false); ok {
			http.Redirect(w, r, target, status)
		} else if err != nil {
			s.errorPage(w, r, c, err)
		}
	})
}

// routes registers the HTML interface.
func (s *ui) routes() {
	s.route("GET /static/{hash}/{name}", http.HandlerFunc(s.serveStatic))
	s.route("GET /login", s.handle(anyone, s.loginForm))
	s.route("POST /login", s.handle(anyone, s.login))
	s.route("POST /logout", s.handle(anyone, s.logout))
	s.route("GET /login/oidc", s.handle(anyone, s.ssoStart))
	s.route("GET /login/oidc/callback", s.handle(anyone, s.ssoCallback))
	s.route("POST /lang", s.handle(anyone, s.setLang))

	s.route("GET /{$}", s.handle(member, s.home))
	s.route("GET /ns/{key}", s.handle(member, s.namespaceIndex))
	s.route("GET /wiki/{path...}", s.handle(member, s.page))
	s.route("GET /backlinks/{path...}", s.handle(member, s.backlinks))
	s.route("GET /history/{path...}", s.handle(member, s.history))
	s.route("GET /diff/{path...}", s.handle(member, s.diff))
	s.route("GET /changes", s.handle(member, s.changes))
	s.route("POST /changes/filters", s.handle(member, s.saveChangeFilters))
	s.route("GET /search", s.handle(member, s.search))
	s.route("GET /watchlist", s.handle(member, s.watchlist))
	s.route("POST /watchlist/seen", s.handle(member, s.watchlistSeen))
	s.route("POST /watchlist/settings", s.handle(member, s.watchlistSettings))
	s.route("POST /watch/{path...}", s.handle(member, s.watch))

	s.route("GET /new", s.gated(wiki.ActEdit, s.newForm))
	s.route("POST /new", s.gated(wiki.ActEdit, s.newPage))
	s.route("GET /canonical", s.handle(member, s.canonical))
	s.route("GET /edit/{path...}", s.gated(wiki.ActEdit, s.editForm))
	// Open to anyone: save checks the session itself, so that an
	// expired one does not lose the text being saved.
	s.route("POST /edit/{path...}", s.handle(anyone, s.save))
	s.route("POST /preview", s.handle(member, s.preview))
	s.route("GET /drafts", s.handle(member, s.drafts))
	s.route("POST /drafts/delete/{path...}", s.handle(member, s.dropDraft))
	s.route("GET /revert/{path...}", s.gated(wiki.ActRevert, s.revertForm))
	s.route("POST /revert/{path...}", s.gated(wiki.ActRevert, s.revert))
	s.route("GET /move/{path...}", s.gated(wiki.ActEdit, s.moveForm))
	s.route("POST /move/{path...}", s.gated(wiki.ActEdit, s.move))
	s.route("GET /delete/{path...}", s.gated(wiki.ActDelete, s.deleteForm))
	s.route("POST /delete/{path...}", s.gated(wiki.ActDelete, s.delete))
	s.route("POST /review/{path...}", s.gated(wiki.ActReview, s.review))

	s.route("GET /settings", s.handle(member, s.settings))
	s.route("POST /settings/password", s.handle(member, s.changePassword))
	s.route("POST /settings/tokens", s.handle(member, s.createToken))
	s.route("POST /settings/tokens/{id}/revoke", s.handle(member, s.revokeToken))
	s.route("POST /settings/feedkey", s.handle(member, s.newFeedKey))
	s.route("POST /settings/feedkey/revoke", s.handle(member, s.revokeFeedKey))
	s.route("POST /settings/mail", s.handle(member, s.saveMail))
	s.route("POST /settings/profile", s.handle(member, s.saveMyProfile))
	s.route("GET /membres", s.handle(member, s.members))
	s.route("GET /membres/{login}", s.handle(member, s.profile))
	s.route("POST /membres/{login}", s.handle(member, s.saveProfile))
	// Open to anyone: the link of a mail carries its own proof.
	s.route("GET /unsubscribe", s.handle(anyone, s.unsubscribe))
	s.route("POST /unsubscribe", s.handle(anyone, s.unsubscribe))

	s.route("GET /admin", s.handle(member, s.admin))
	s.route("POST /admin/namespaces/{key}", s.handle(member, s.adminNamespace))
	s.route("POST /admin/users/{login}", s.handle(member, s.adminUser))
	s.route("POST /admin/groups", s.handle(member, s.adminGroup))
	s.route("POST /admin/invitations", s.handle(member, s.adminInvite))
	s.route("POST /admin/invitations/{login}/revoke", s.handle(member, s.adminRevoke(wiki.TicketInvite, "invite_revoked")))
	s.route("POST /admin/users/{login}/reset", s.handle(member, s.adminReset))
	s.route("POST /admin/users/{login}/reset/revoke", s.handle(member, s.adminRevoke(wiki.TicketReset, "reset_revoked")))
	s.route("GET /admin/journal", s.handle(member, s.journal))
	// Open to anyone: the links carry their own proof.
	s.route("GET /invite/{token}", s.handle(anyone, s.inviteForm))
	s.route("POST /invite/{token}", s.handle(anyone, s.acceptInvite))
	s.route("GET /reset/{token}", s.handle(anyone, s.resetForm))
	s.route("POST /reset/{token}", s.handle(anyone, s.resetPassword))
	s.route("GET /forgot", s.handle(anyone, s.forgotForm))
	s.route("POST /forgot", s.handle(anyone, s.forgot))

	s.route("/", s.handle(member, s.noRoute))
}

// noRoute answers any other URL.
func (s *ui) noRoute(w http.ResponseWriter, r *http.Request, c *uiCtx) error {
	return wiki.Errorf(wiki.ENotFound, "no page at %s", r.URL.Path)
}
