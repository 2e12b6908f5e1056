package web

import (
	"net/http"
	"net/url"

	"github.com/kdecole-club/clubwiki/wiki"
)

// mailSettings is the settings page's section on e-mail notifications.
type mailSettings struct {
	On      bool // the wiki sends mail (serve --smtp-url)
	Me      wiki.Me
	Message string // why the last change was refused
}

// mailSection reads what the settings page shows of actor's mail.
func (s *ui) mailSection(r *http.Request, c *uiCtx) (mailSettings, error) {
	me, err := s.svc.Me(r.Context(), c.User)
	return mailSettings{On: s.svc.MailEnabled(), Me: me}, err
}

// saveMail answers POST /settings/mail (fields email, notify): the mails
// go in the language the member is reading the wiki in.
func (s *ui) saveMail(w http.ResponseWriter, r *http.Request, c *uiCtx) error {
	if err := s.parseForm(w, r); err != nil {
		return err
	}
	email, lang := r.PostFormValue("email"), c.L.lang
	mode := wiki.NotifyMode(r.PostFormValue("notify"))
	_, err := s.svc.UpdateMe(r.Context(), c.User, wiki.MeChange{Email: &email, Notify: &mode, Lang: &lang})
	if code := wiki.ErrorCode(err); code == wiki.EInvalid {
		ms, err2 := s.mailSection(r, c)
		if err2 != nil {
			return err2
		}
		// The member's input comes back as they wrote it.
		ms.Me.Email, ms.Me.Notify.Mode, ms.Message = email, mode, c.L.refusal(err, code)
		return s.settingsPage(w, r, c, http.StatusBadRequest, settingsView{Mail: &ms})
	}
	if err != nil {
		return err
	}
	s.redirectNotice(w, r, c, "/settings", "mail_saved")
	return nil
}

// unsubscribeView is the answer to an unsubscribe link.
type unsubscribeView struct {
	base
	Done bool
	// Confirm asks for the click that turns mail off; Action is where the
	// form posts (the link itself, signature included).
	Confirm bool
	Action  string
}

// unsubscribe answers GET and POST /unsubscribe?u=LOGIN&s=SIG, the link
// of every notification mail, without signing in (the signature is the
// proof). GET only checks the link and asks for a click, since mail
// scanners open links; POST turns the member's mail off at once: the
// form's button, and the one-click of List-Unsubscribe-Post (RFC 8058)
// that mail programs send.
func (s *ui) unsubscribe(w http.ResponseWriter, r *http.Request, c *uiCtx) error {
	q := r.URL.Query()
	v := unsubscribeView{base: c.base(c.L.T("unsubscribe.title"))}
	var err error
	if r.Method == http.MethodPost {
		err = s.svc.Unsubscribe(r.Context(), q.Get("u"), q.Get("s"))
		v.Done = err == nil
	} else {
		err = s.svc.CheckUnsubscribe(r.Context(), q.Get("u"), q.Get("s"))
		v.Confirm = err == nil
		v.Action = "/unsubscribe?" + url.Values{"u": {q.Get("u")}, "s": {q.Get("s")}}.Encode()
	}
	switch code := wiki.ErrorCode(err); {
	case err == nil:
		s.render(w, r, http.StatusOK, "unsubscribe", v)
	case code == wiki.EUnauthenticated:
		s.render(w, r, http.StatusBadRequest, "unsubscribe", v)
	default:
		return err
	}
	return nil
}
