package web

import (
	"net/http"
	"time"

	"github.com/kdecole-club/clubwiki/wiki"
)

// ticketWords are the catalogue keys of what the pages of a ticket say,
// by kind.
type ticketWords struct {
	Title, Intro, Submit, Done string // the page behind the link
	Made, HandOver, Mailed     string // the admin's page after making it
}

var ticketKeys = map[wiki.TicketKind]ticketWords{
	wiki.TicketInvite: {"ticket.invite_title", "ticket.invite_intro", "ticket.invite_submit", "ticket.invite_done",
		"admin.invite_title", "admin.invite_hand_over", "admin.invite_mailed"},
	wiki.TicketReset: {"ticket.reset_title", "ticket.reset_intro", "ticket.reset_submit", "ticket.reset_done",
		"admin.reset_title", "admin.reset_hand_over", "admin.reset_mailed"},
}

// linkView is the page an admin sees after making an invitation or a
// reset link: the link to hand over, shown this once, or where it was
// mailed.
type linkView struct {
	base
	Kind      wiki.TicketKind
	Words     ticketWords
	Login     string
	URL       string // "" when mailed
	Email     string
	Mailed    bool
	MailError bool // a mail was tried and failed: the link is shown instead
	Expires   time.Time
}

// adminInvite answers POST /admin/invitations (fields login, name, email,
// role, groups).
func (s *ui) adminInvite(w http.ResponseWriter, r *http.Request, c *uiCtx) error {
	if err := s.svc.Authorize(r.Context(), c.User, wiki.ActAdmin, wiki.Path{}); err != nil {
		return err
	}
	if err := s.parseForm(w, r); err != nil {
		return err
	}
	inv := wiki.Invitation{Login: r.PostFormValue("login"), Name: r.PostFormValue("name"), Email: r.PostFormValue("email"),
		Role: wiki.Role(r.PostFormValue("role")), Groups: append([]string{}, r.PostForm["groups"]...)}
	link, err := s.svc.Invite(r.Context(), c.User, inv)
	if err != nil {
		return err
	}
	return s.showLink(w, r, c, link)
}

// adminRevoke answers POST /admin/invitations/{login}/revoke (k
// TicketInvite) and POST /admin/users/{login}/reset/revoke (TicketReset):
// the links of login waiting to be used are withdrawn, and the admin page
// says so with the notice.
func (s *ui) adminRevoke(k wiki.TicketKind, notice string) func(http.ResponseWriter, *http.Request, *uiCtx) error {
	return func(w http.ResponseWriter, r *http.Request, c *uiCtx) error {
		if err := s.parseForm(w, r); err != nil {
			return err
		}
		if _, err := s.svc.RevokeLinks(r.Context(), c.User, k, r.PathValue("login")); err != nil {
			return err
		}
		s.redirectNotice(w, r, c, "/admin", notice)
		return nil
	}
}

// adminReset answers POST /admin/users/{login}/reset.
func (s *ui) adminReset(w http.ResponseWriter, r *http.Request, c *uiCtx) error {
	if err := s.svc.Authorize(r.Context(), c.User, wiki.ActAdmin, wiki.Path{}); err != nil {
		return err
	}
	link, err := s.svc.ResetLink(r.Context(), c.User, r.PathValue("login"))
	if err != nil {
		return err
	}
	return s.showLink(w, r, c, link)
}

// showLink renders the link just made.
func (s *ui) showLink(w http.ResponseWriter, r *http.Request, c *uiCtx, link wiki.TicketLink) error {
	words := ticketKeys[link.Ticket.Kind]
	v := linkView{base: c.base(c.L.T(words.Made)), Kind: link.Ticket.Kind, Words: words, Login: link.Ticket.Login, Email: link.Ticket.Email,
		Mailed: link.Mailed, MailError: link.MailError != nil, Expires: link.Ticket.Expires}
	if link.Path != "" {
		v.URL = s.siteURL(r) + link.Path
	}
	s.render(w, r, http.StatusOK, "admin_link", v)
	return nil
}

// ticketView is the page behind an invitation or reset link: the form
// that sets the name and password, or what was done.
type ticketView struct {
	base
	Kind    wiki.TicketKind
	Words   ticketWords
	Action  string // the form's URL
	Login   string
	Name    string
	Message string // why the last try failed
	Done    bool
}

// inviteForm answers GET /invite/{token}; ticketForm does both kinds.
func (s *ui) inviteForm(w http.ResponseWriter, r *http.Request, c *uiCtx) error {
	return s.ticketForm(w, r, c, wiki.TicketInvite)
}

// resetForm answers GET /reset/{token}.
func (s *ui) resetForm(w http.ResponseWriter, r *http.Request, c *uiCtx) error {
	return s.ticketForm(w, r, c, wiki.TicketReset)
}

func (s *ui) ticketForm(w http.ResponseWriter, r *http.Request, c *uiCtx, k wiki.TicketKind) error {
	secret := r.PathValue("token")
	t, err := s.svc.OpenTicket(r.Context(), k, secret)
	if err != nil {
		return err
	}
	v := ticketView{base: c.base(c.L.T(ticketKeys[k].Title)), Kind: k, Words: ticketKeys[k], Action: wiki.TicketPath(k, secret), Login: t.Login, Name: t.Name}
	s.render(w, r, http.StatusOK, "ticket", v)
	return nil
}

// acceptInvite answers POST /invite/{token} (fields name, password,
// confirm): the member is created, and signs in.
func (s *ui) acceptInvite(w http.ResponseWriter, r *http.Request, c *uiCtx) error {
	return s.useTicket(w, r, c, wiki.TicketInvite)
}

// resetPassword answers POST /reset/{token} (fields password, confirm).
func (s *ui) resetPassword(w http.ResponseWriter, r *http.Request, c *uiCtx) error {
	return s.useTicket(w, r, c, wiki.TicketReset)
}

func (s *ui) useTicket(w http.ResponseWriter, r *http.Request, c *uiCtx, k wiki.TicketKind) error {
	if err := parseFormMax(w, r, maxSmallForm); err != nil {
		return err
	}
	secret := r.PathValue("token")
	t, err := s.svc.OpenTicket(r.Context(), k, secret)
	if err != nil {
		return err
	}
	v := ticketView{base: c.base(c.L.T(ticketKeys[k].Title)), Kind: k, Words: ticketKeys[k], Action: wiki.TicketPath(k, secret),
		Login: t.Login, Name: r.PostFormValue("name")}
	pw := r.PostFormValue("password")
	if pw != r.PostFormValue("confirm") {
		v.Message = c.L.T("settings.password.mismatch")
		s.render(w, r, http.StatusBadRequest, "ticket", v)
		return nil
	}
	if k == wiki.TicketInvite {
		_, err = s.svc.AcceptInvite(r.Context(), secret, v.Name, pw)
	} else {
		_, err = s.svc.ResetPassword(r.Context(), secret, pw)
	}
	if code := wiki.ErrorCode(err); code == wiki.EInvalid && !isTicketReason(err) {
		v.Message = c.L.refusal(err, code)
		s.render(w, r, http.StatusBadRequest, "ticket", v)
		return nil
	}
	if err != nil {
		return err
	}
	v.Done = true
	s.render(w, r, http.StatusOK, "ticket", v)
	return nil
}

// isTicketReason reports whether err says the link itself cannot serve
// (used meanwhile, expired): an error page, not the form again.
func isTicketReason(err error) bool {
	r, _ := wiki.ErrorReason(err)
	return r == wiki.ReasonTicketUsed || r == wiki.ReasonTicketExpired || r == wiki.ReasonTicketInvalid
}
