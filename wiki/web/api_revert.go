package web

import (
	"net/http"

	"github.com/kdecole-club/clubwiki/wiki"
)

// revertRequestJSON is the body of POST /api/revert/{path}. Rev is a pointer
// so that a forgotten field is a 400, not a revert to nothing.
type revertRequestJSON struct {
	Rev     *int   `json:"rev"`
	Summary string `json:"summary"`
}

// revert answers POST /api/revert/{path}: the new revision, or the head's
// when its text is already that of rev.
func (s *api) revert(w http.ResponseWriter, r *http.Request, u *wiki.User) error {
	p, err := s.pagePath(r)
	if err != nil {
		return err
	}
	var body revertRequestJSON
	if err := s.readJSON(w, r, &body, false); err != nil {
		return err
	}
	if body.Rev == nil {
		return wiki.Errorf(wiki.EInvalid, `the field "rev" is required`)
	}
	rev, _, err := s.svc.Revert(r.Context(), u, p, *body.Rev, body.Summary)
	if err != nil {
		return err
	}
	s.writeJSON(w, r, http.StatusOK, revJSON{Path: p, Rev: rev})
	return nil
}
