package web

import (
	"net/http"

	"github.com/kdecole-club/clubwiki/wiki"
)

// meJSON answers GET and PUT /api/me.
type meJSON struct {
	Login  string `json:"login"`
	Name   string `json:"name"`
	Email  string `json:"email"`
	Notify string `json:"notify"`
	// Project and Bio (additions): the member's profile.
	Project string `json:"project"`
	Bio     string `json:"bio"`
}

// meChangeJSON is the body of PUT /api/me: any of the fields; the others
// stay as they are.
type meChangeJSON struct {
	Name   *string `json:"name"`
	Email  *string `json:"email"`
	Notify *string `json:"notify"`
	// Project and Bio (additions).
	Project *string `json:"project"`
	Bio     *string `json:"bio"`
}

func meAnswer(m wiki.Me) meJSON {
	return meJSON{Login: m.Login, Name: m.Name, Email: m.Email, Notify: string(m.Notify.Mode),
		Project: m.Project, Bio: m.Bio}
}

// me answers GET /api/me: the caller's own account.
func (s *api) me(w http.ResponseWriter, r *http.Request, u *wiki.User) error {
	m, err := s.svc.Me(r.Context(), u)
	if err != nil {
		return err
	}
	s.writeJSON(w, r, http.StatusOK, meAnswer(m))
	return nil
}

// putMe answers PUT /api/me: changes the caller's name, address or
// notification mode, all or nothing.
func (s *api) putMe(w http.ResponseWriter, r *http.Request, u *wiki.User) error {
	var in meChangeJSON
	if err := s.readJSON(w, r, &in, false); err != nil {
		return err
	}
	ch := wiki.MeChange{Name: in.Name, Email: in.Email, Project: in.Project, Bio: in.Bio}
	if in.Notify != nil {
		mode := wiki.NotifyMode(*in.Notify)
		ch.Notify = &mode
	}
	m, err := s.svc.UpdateMe(r.Context(), u, ch)
	if err != nil {
		return err
	}
	s.writeJSON(w, r, http.StatusOK, meAnswer(m))
	return nil
}
