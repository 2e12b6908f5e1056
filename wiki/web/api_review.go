package web

import (
	"net/http"
	"time"

	"github.com/kdecole-club/clubwiki/wiki"
)

// reviewRequestJSON is the body of POST /api/review/{path}.
type reviewRequestJSON struct {
	Rev *int `json:"rev"`
}

// reviewJSON is its answer: the mark that stands, which is the first one
// when the revision was reviewed already.
type reviewJSON struct {
	Path       wiki.Path `json:"path"`
	Rev        int       `json:"rev"`
	ReviewedBy string    `json:"reviewed_by"`
	Time       time.Time `json:"time"`
}

// review answers POST /api/review/{path} {"rev"}: editors and admins mark a
// revision as reviewed. Marking it again answers the first mark.
func (s *api) review(w http.ResponseWriter, r *http.Request, u *wiki.User) error {
	p, err := s.pagePath(r)
	if err != nil {
		return err
	}
	var body reviewRequestJSON
	if err := s.readJSON(w, r, &body, false); err != nil {
		return err
	}
	if body.Rev == nil {
		return wiki.Errorf(wiki.EInvalid, `the field "rev" is required`)
	}
	m, err := s.svc.Review(r.Context(), u, p, *body.Rev)
	if err != nil {
		return err
	}
	s.writeJSON(w, r, http.StatusOK, reviewJSON{Path: p, Rev: m.Rev, ReviewedBy: m.By, Time: m.Time.UTC()})
	return nil
}
