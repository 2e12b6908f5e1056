package web

import (
	"net/http"

	"github.com/kdecole-club/clubwiki/wiki"
)

// saveRequestJSON is the body of PUT /api/pages/{path}. Markdown is a pointer
// so that a missing field (a 400) differs from an empty page.
type saveRequestJSON struct {
	Markdown *string `json:"markdown"`
	Summary  string  `json:"summary"`
	BaseRev  int     `json:"base_rev"`
	Minor    bool    `json:"minor"`
	// Section, when not 0, says that markdown is that section (from 1) of
	// revision base_rev alone (an addition to CONTRACT.md).
	Section int `json:"section"`
}

type saveJSON struct {
	Path   wiki.Path `json:"path"`
	Rev    int       `json:"rev"`
	Merged bool      `json:"merged"`
}

// save answers PUT /api/pages/{path}: 201 for a new (or recreated) page,
// 200 for an edit or an unchanged text, 409 on a conflict.
func (s *api) save(w http.ResponseWriter, r *http.Request, u *wiki.User) error {
	p, err := s.pagePath(r)
	if err != nil {
		return err
	}
	var body saveRequestJSON
	if err := s.readJSON(w, r, &body, false); err != nil {
		return err
	}
	if body.Markdown == nil {
		return wiki.Errorf(wiki.EInvalid, `the field "markdown" is required`)
	}
	res, err := s.svc.Save(r.Context(), u, wiki.SaveRequest{
		Path: p, Markdown: *body.Markdown, Summary: body.Summary,
		BaseRev: body.BaseRev, Minor: body.Minor, Section: body.Section,
	})
	if err != nil {
		return err
	}
	status := http.StatusOK
	if res.Created {
		status = http.StatusCreated
		w.Header().Set("Location", "/api/pages/"+res.Path.String())
	}
	s.writeJSON(w, r, status, saveJSON{Path: res.Path, Rev: res.Rev, Merged: res.Merged})
	return nil
}

// summaryJSON is the optional body of DELETE /api/pages/{path}.
type summaryJSON struct {
	Summary string `json:"summary"`
}

// revJSON answers the changes that make one revision (delete, revert).
type revJSON struct {
	Path wiki.Path `json:"path"`
	Rev  int       `json:"rev"`
}

// delete answers DELETE /api/pages/{path}; the body is optional.
func (s *api) delete(w http.ResponseWriter, r *http.Request, u *wiki.User) error {
	p, err := s.pagePath(r)
	if err != nil {
		return err
	}
	var body summaryJSON
	if err := s.readJSON(w, r, &body, true); err != nil {
		return err
	}
	rev, err := s.svc.Delete(r.Context(), u, p, body.Summary)
	if err != nil {
		return err
	}
	s.writeJSON(w, r, http.StatusOK, revJSON{Path: p, Rev: rev})
	return nil
}
