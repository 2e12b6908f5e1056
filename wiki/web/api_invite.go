package web

import (
	"net/http"
	"time"

	"github.com/kdecole-club/clubwiki/wiki"
)

// inviteRequest is the body of POST /api/admin/invitations.
type inviteRequest struct {
	Login  string    `json:"login"`
	Name   string    `json:"name"`
	Email  string    `json:"email"`
	Role   wiki.Role `json:"role"`
	Groups []string  `json:"groups"`
}

// ticketLinkJSON answers the making of an invitation or a reset link: the link
// when it is to hand over, mailed when it went by mail instead.
type ticketLinkJSON struct {
	Login   string    `json:"login"`
	URL     string    `json:"url,omitempty"`
	Mailed  bool      `json:"mailed"`
	Expires time.Time `json:"expires"`
}

func (s *api) toTicketLinkJSON(r *http.Request, l wiki.TicketLink) ticketLinkJSON {
	out := ticketLinkJSON{Login: l.Ticket.Login, Mailed: l.Mailed, Expires: l.Ticket.Expires.UTC()}
	if l.Path != "" {
		out.URL = s.siteURL(r) + l.Path
	}
	return out
}

// postInvitation answers POST /api/admin/invitations: 201 and the link.
func (s *api) postInvitation(w http.ResponseWriter, r *http.Request, u *wiki.User) error {
	if err := s.svc.Authorize(r.Context(), u, wiki.ActAdmin, wiki.Path{}); err != nil {
		return err
	}
	var req inviteRequest
	if err := s.readJSON(w, r, &req, false); err != nil {
		return err
	}
	link, err := s.svc.Invite(r.Context(), u, wiki.Invitation{Login: req.Login, Name: req.Name, Email: req.Email, Role: req.Role, Groups: req.Groups})
	if err != nil {
		return err
	}
	s.writeJSON(w, r, http.StatusCreated, s.toTicketLinkJSON(r, link))
	return nil
}

// invitationJSON is one invitation waiting to be used, without its link.
type invitationJSON struct {
	Login   string    `json:"login"`
	Name    string    `json:"name,omitempty"`
	Email   string    `json:"email,omitempty"`
	Role    wiki.Role `json:"role"`
	Groups  []string  `json:"groups"`
	By      string    `json:"by"`
	Created time.Time `json:"created"`
	Expires time.Time `json:"expires"`
}

// invitations answers GET /api/admin/invitations: those waiting to be
// used, the newest first.
func (s *api) invitations(w http.ResponseWriter, r *http.Request, u *wiki.User) error {
	ts, err := s.svc.PendingLinks(r.Context(), u, wiki.TicketInvite)
	if err != nil {
		return err
	}
	out := struct {
		Invitations []invitationJSON `json:"invitations"`
	}{Invitations: make([]invitationJSON, 0, len(ts))}
	for _, t := range ts {
		out.Invitations = append(out.Invitations, invitationJSON{Login: t.Login, Name: t.Name, Email: t.Email, Role: t.Role,
			Groups: append([]string{}, t.Groups...), By: t.By, Created: t.Created.UTC(), Expires: t.Expires.UTC()})
	}
	s.writeJSON(w, r, http.StatusOK, out)
	return nil
}

// revokeLinks answers DELETE /api/admin/invitations/{login} (k
// TicketInvite) and DELETE /api/admin/users/{login}/reset (TicketReset):
// 200 {"login"} once the links of login waiting to be used are
// withdrawn, 404 when none waits.
func (s *api) revokeLinks(k wiki.TicketKind) func(http.ResponseWriter, *http.Request, *wiki.User) error {
	return func(w http.ResponseWriter, r *http.Request, u *wiki.User) error {
		login, err := s.svc.RevokeLinks(r.Context(), u, k, r.PathValue("login"))
		if err != nil {
			return err
		}
		s.writeJSON(w, r, http.StatusOK, struct {
			Login string `json:"login"`
		}{login})
		return nil
	}
}

// postReset answers POST /api/admin/users/{login}/reset: a one-time link
// that sets the member's password.
func (s *api) postReset(w http.ResponseWriter, r *http.Request, u *wiki.User) error {
	link, err := s.svc.ResetLink(r.Context(), u, r.PathValue("login"))
	if err != nil {
		return err
	}
	s.writeJSON(w, r, http.StatusOK, s.toTicketLinkJSON(r, link))
	return nil
}

// auditJSON is one entry of GET /api/admin/audit.
type auditJSON struct {
	Seq     uint64    `json:"seq"`
	Time    time.Time `json:"time"`
	Author  string    `json:"author"`
	Action  string    `json:"action"`
	Target  string    `json:"target"`
	Summary string    `json:"summary"`
	Detail  string    `json:"detail,omitempty"`
}

// audit answers GET /api/admin/audit?limit=&before=SEQ: what admins did,
// newest first.
func (s *api) audit(w http.ResponseWriter, r *http.Request, u *wiki.User) error {
	entries, err := s.auditPage(r, u)
	if err != nil {
		return err
	}
	out := struct {
		Entries []auditJSON `json:"entries"`
	}{make([]auditJSON, 0, len(entries))}
	for _, e := range entries {
		out.Entries = append(out.Entries, auditJSON{Seq: e.Seq, Time: e.Time.UTC(), Author: e.Author, Action: e.Action,
			Target: e.Target, Summary: e.Summary, Detail: e.Detail})
	}
	s.writeJSON(w, r, http.StatusOK, out)
	return nil
}
