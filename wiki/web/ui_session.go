package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/kdecole-club/clubwiki/wiki"
)

// defaultLoginDelay is added to every failed login, on top of bcrypt, so
// that guessing is slow even with a fast hash cost.
const defaultLoginDelay = 500 * time.Millisecond

// loginView is the login page.
type loginView struct {
	base
	Next    string
	Login   string
	Message string // why the last attempt failed
	SSO     bool   // single sign-on is offered
}

// loginForm answers GET /login.
func (s *ui) loginForm(w http.ResponseWriter, r *http.Request, c *uiCtx) error {
	next := localRedirect(r.URL.Query().Get("next"))
	if c.User != nil {
		http.Redirect(w, r, next, http.StatusSeeOther)
		return nil
	}
	s.render(w, r, http.StatusOK, "login", loginView{base: c.base(c.L.T("login.title")), Next: next, SSO: s.sso != nil})
	return nil
}

// login answers POST /login: a session cookie and a redirect to next, or the
// form again. Each attempt is charged to the limiter before the password is
// checked (see the policy in ui_limiter.go); failures are slow.
func (s *ui) login(w http.ResponseWriter, r *http.Request, c *uiCtx) error {
	if err := parseFormMax(w, r, maxSmallForm); err != nil {
		return err
	}
	login := strings.ToLower(strings.TrimSpace(r.PostFormValue("login")))
	v := loginView{base: c.base(c.L.T("login.title")), Next: localRedirect(r.PostFormValue("next")), Login: login, SSO: s.sso != nil}
	tk, wait := s.limiter.reserve(login, s.clientIP(r))
	if wait > 0 {
		secs := retryAfterSeconds(w, wait)
		v.Message = c.L.T("login.throttled", waitText(secs))
		s.render(w, r, http.StatusTooManyRequests, "login", v)
		return nil
	}
	secret, _, err := s.svc.Login(r.Context(), login, r.PostFormValue("password"))
	if wiki.ErrorCode(err) == wiki.EUnauthenticated {
		s.sleep(r)
		v.Message = c.L.T("login.failed")
		s.render(w, r, http.StatusUnauthorized, "login", v)
		return nil
	}
	if err != nil {
		s.limiter.refund(tk)
		return err
	}
	s.limiter.succeeded(tk)
	ck := &http.Cookie{Name: sessionCookie, Value: secret}
	if _, sess, err := s.svc.SessionUser(r.Context(), secret); err == nil {
		ck.Expires = sess.Expires
	}
	s.setCookie(w, r, ck)
	http.Redirect(w, r, v.Next, http.StatusSeeOther)
	return nil
}

// retryAfterSeconds sets the Retry-After of a throttled attempt to wait,
// rounded up to whole seconds, and returns them.
func retryAfterSeconds(w http.ResponseWriter, wait time.Duration) int {
	secs := int((wait + time.Second - 1) / time.Second)
	w.Header().Set("Retry-After", strconv.Itoa(secs))
	return secs
}

// waitText says a wait of secs seconds as "42 s" or "1 min 4 s": units
// every language of the interface writes alike.
func waitText(secs int) string {
	m, sec := secs/60, secs%60
	switch {
	case m == 0:
		return strconv.Itoa(sec) + " s"
	case sec == 0:
		return strconv.Itoa(m) + " min"
	}
	return strconv.Itoa(m) + " min " + strconv.Itoa(sec) + " s"
}

// sleep waits the fixed delay of a failed login, or until the client leaves.
func (s *ui) sleep(r *http.Request) {
	d := s.loginDelay
	if d == 0 {
		d = defaultLoginDelay
	}
	if d < 0 {
		return
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-r.Context().Done():
	}
}

// logout answers POST /logout: the session ends on the server and the
// cookie is cleared.
func (s *ui) logout(w http.ResponseWriter, r *http.Request, c *uiCtx) error {
	if c.secret != "" {
		if err := s.svc.Logout(r.Context(), c.secret); err != nil {
			return err
		}
	}
	s.setCookie(w, r, &http.Cookie{Name: sessionCookie, Value: "", MaxAge: -1})
	http.Redirect(w, r, "/login", http.StatusSeeOther)
	return nil
}

// setLang answers POST /lang from the footer's switcher: it remembers the
// chosen language for a year and goes back to the page.
func (s *ui) setLang(w http.ResponseWriter, r *http.Request, c *uiCtx) error {
	if err := parseFormMax(w, r, maxSmallForm); err != nil {
		return err
	}
	lang := r.PostFormValue("lang")
	if _, ok := s.cats[lang]; !ok {
		return wiki.Errorf(wiki.EInvalid, "unknown language %q", lang)
	}
	s.setCookie(w, r, &http.Cookie{Name: langCookie, Value: lang, MaxAge: 365 * 24 * 3600})
	http.Redirect(w, r, localRedirect(r.PostFormValue("next")), http.StatusSeeOther)
	return nil
}
