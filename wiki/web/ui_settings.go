package web

import (
	"net/http"
	"net/url"

	"github.com/kdecole-club/clubwiki/wiki"
)

// settingsView is the user's own settings: password, API tokens and feed
// key.
type settingsView struct {
	base
	Tokens          []wiki.Token
	NewToken        string // shown once, right after its creation
	PasswordMessage string
	FeedKey         *wiki.FeedKey // nil when the user has none
	NewFeedURL      string        // the changes feed with a new key, shown once
	Mail            *mailSettings // e-mail notifications (ui_mail.go)
	SSO             bool          // single sign-on is offered: link the account
	Profile         *profileForm  // the member's profile (ui_profiles.go)
}

// settingsPage renders the settings with status.
func (s *ui) settingsPage(w http.ResponseWriter, r *http.Request, c *uiCtx, status int, v settingsView) error {
	toks, err := s.svc.Tokens(r.Context(), c.User, c.User.Login)
	if err != nil {
		return err
	}
	v.base, v.Tokens, v.SSO = c.base(c.L.T("settings.title")), toks, s.sso != nil
	switch k, err := s.svc.FeedKey(r.Context(), c.User); {
	case err == nil:
		v.FeedKey = &k
	case wiki.ErrorCode(err) != wiki.ENotFound:
		return err
	}
	if v.Profile == nil {
		f, err := s.newProfileForm(r, c, *c.User, "/settings/profile")
		if err != nil {
			return err
		}
		v.Profile = &f
	}
	if v.Mail == nil {
		ms, err := s.mailSection(r, c)
		if err != nil {
			return err
		}
		v.Mail = &ms
	}
	v.Flash = c.flash()
	s.render(w, r, status, "settings", v)
	return nil
}

// settings answers GET /settings.
func (s *ui) settings(w http.ResponseWriter, r *http.Request, c *uiCtx) error {
	return s.settingsPage(w, r, c, http.StatusOK, settingsView{})
}

// changePassword answers POST /settings/password (fields current, password,
// confirm). Every other session of the user ends.
func (s *ui) changePassword(w http.ResponseWriter, r *http.Request, c *uiCtx) error {
	if err := s.parseForm(w, r); err != nil {
		return err
	}
	// The confirmation is the form's own matter; the rules of a password
	// are the wiki's, which refuses with a reason worded below.
	pw := r.PostFormValue("password")
	if pw != r.PostFormValue("confirm") {
		return s.settingsPage(w, r, c, http.StatusBadRequest, settingsView{PasswordMessage: c.L.T("settings.password.mismatch")})
	}
	// The current password is checked like a sign-in, so that a stolen
	// session cannot guess it without limit.
	tk, wait := s.limiter.reserve(c.User.Login, s.clientIP(r))
	if wait > 0 {
		secs := retryAfterSeconds(w, wait)
		return s.settingsPage(w, r, c, http.StatusTooManyRequests, settingsView{PasswordMessage: c.L.T("settings.password.throttled", waitText(secs))})
	}
	err := s.svc.ChangePassword(r.Context(), c.User, r.PostFormValue("current"), pw, c.secret)
	if code := wiki.ErrorCode(err); code == wiki.EInvalid {
		// Only a wrong current password counts against the limiter.
		if r, _ := wiki.ErrorReason(err); r != wiki.ReasonPasswordWrong {
			s.limiter.refund(tk)
		}
		return s.settingsPage(w, r, c, http.StatusBadRequest, settingsView{PasswordMessage: c.L.refusal(err, code)})
	}
	if err != nil {
		s.limiter.refund(tk)
		return err
	}
	s.limiter.succeeded(tk)
	s.redirectNotice(w, r, c, "/settings", "password")
	return nil
}

// createToken answers POST /settings/tokens (field label): the settings
// page with the new token, shown this once. It is not a redirect: the
// secret must not travel in a URL.
func (s *ui) createToken(w http.ResponseWriter, r *http.Request, c *uiCtx) error {
	if err := s.parseForm(w, r); err != nil {
		return err
	}
	secret, _, err := s.svc.CreateToken(r.Context(), c.User, c.User.Login, r.PostFormValue("label"))
	if err != nil {
		return err
	}
	return s.settingsPage(w, r, c, http.StatusOK, settingsView{NewToken: secret})
}

// revokeToken answers POST /settings/tokens/{id}/revoke.
func (s *ui) revokeToken(w http.ResponseWriter, r *http.Request, c *uiCtx) error {
	if err := s.svc.RevokeToken(r.Context(), c.User, c.User.Login, r.PathValue("id")); err != nil {
		return err
	}
	s.redirectNotice(w, r, c, "/settings", "token_revoked")
	return nil
}

// newFeedKey answers POST /settings/feedkey: the settings page with the
// changes feed's address holding the new key, shown this once (not a
// redirect, as for tokens). The former key stops working.
func (s *ui) newFeedKey(w http.ResponseWriter, r *http.Request, c *uiCtx) error {
	secret, _, err := s.svc.NewFeedKey(r.Context(), c.User)
	if err != nil {
		return err
	}
	scheme := "http"
	if s.secureRequest(r) {
		scheme = "https"
	}
	feed := scheme + "://" + r.Host + "/feeds/changes.atom?key=" + url.QueryEscape(secret)
	return s.settingsPage(w, r, c, http.StatusOK, settingsView{NewFeedURL: feed})
}

// revokeFeedKey answers POST /settings/feedkey/revoke.
func (s *ui) revokeFeedKey(w http.ResponseWriter, r *http.Request, c *uiCtx) error {
	if err := s.svc.RevokeFeedKey(r.Context(), c.User); err != nil {
		return err
	}
	s.redirectNotice(w, r, c, "/settings", "feedkey_revoked")
	return nil
}
