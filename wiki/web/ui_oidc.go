package web

import (
	"errors"
	"net/http"

	"github.com/kdecole-club/clubwiki/sso"
	"github.com/kdecole-club/clubwiki/wiki"
)

// ssoStart answers GET /login/oidc: the browser goes to the identity
// provider, with a cookie that binds the sign-in to it.
func (s *ui) ssoStart(w http.ResponseWriter, r *http.Request, c *uiCtx) error {
	if s.sso == nil {
		return wiki.Errorf(wiki.ENotFound, "single sign-on is not configured")
	}
	next := localRedirect(r.URL.Query().Get("next"))
	authURL, cookie, err := s.sso.Start(r.Context(), next)
	if err != nil {
		return s.ssoFailed(w, r, c, next, err)
	}
	s.setCookie(w, r, &http.Cookie{Name: sso.CookieName, Value: cookie, MaxAge: sso.CookieMaxAge})
	http.Redirect(w, r, authURL, http.StatusSeeOther)
	return nil
}

// ssoCallback answers GET /login/oidc/callback, where the provider sends
// the browser back: the sign-in's cookie is used once, the provider's
// answer verified, the member found, linked to the member signed in
// here, or created, and a session opened.
func (s *ui) ssoCallback(w http.ResponseWriter, r *http.Request, c *uiCtx) error {
	if s.sso == nil {
		return wiki.Errorf(wiki.ENotFound, "single sign-on is not configured")
	}
	var pending string
	if ck, err := r.Cookie(sso.CookieName); err == nil {
		pending = ck.Value
	}
	s.setCookie(w, r, &http.Cookie{Name: sso.CookieName, Value: "", MaxAge: -1})
	id, next, err := s.sso.Finish(r.Context(), r.URL.Query(), pending)
	if err != nil {
		return s.ssoFailed(w, r, c, "/", err)
	}
	next = localRedirect(next)
	secret, _, err := s.svc.SignInExternal(r.Context(), id, s.sso.Policy(), c.User)
	if err != nil {
		return s.ssoFailed(w, r, c, next, err)
	}
	if c.secret != "" {
		if err := s.svc.Logout(r.Context(), c.secret); err != nil {
			return err
		}
	}
	ck := &http.Cookie{Name: sessionCookie, Value: secret}
	if _, sess, err := s.svc.SessionUser(r.Context(), secret); err == nil {
		ck.Expires = sess.Expires
	}
	s.setCookie(w, r, ck)
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

// ssoRefusals words the failures of a sign-in, with their status.
var ssoRefusals = []struct {
	err    error
	status int
	key    string
}{
	{sso.ErrUnavailable, http.StatusBadGateway, "login.sso.unavailable"},
	{sso.ErrDenied, http.StatusForbidden, "login.sso.denied"},
	{sso.ErrState, http.StatusBadRequest, "login.sso.state"},
	{sso.ErrExpired, http.StatusBadRequest, "login.sso.expired"},
	{sso.ErrInvalid, http.StatusBadGateway, "login.sso.invalid"},
}

// ssoFailed shows the login page with what went wrong, in words for
// people; the cause goes to the log.
func (s *ui) ssoFailed(w http.ResponseWriter, r *http.Request, c *uiCtx, next string, err error) error {
	status, key := 0, ""
	for _, f := range ssoRefusals {
		if errors.Is(err, f.err) {
			status, key = f.status, f.key
		}
	}
	switch wiki.ErrorCode(err) {
	case wiki.EForbidden:
		status, key = http.StatusForbidden, "login.sso.noaccount"
	case wiki.EUnauthenticated:
		status, key = http.StatusForbidden, "login.sso.disabled"
	}
	if key == "" {
		return err
	}
	s.log.Warn("single sign-on failed", "error", err)
	v := loginView{base: c.base(c.L.T("login.title")), Next: next, SSO: true, Message: c.L.T(key)}
	s.render(w, r, status, "login", v)
	return nil
}
