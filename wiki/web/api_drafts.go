package web

import (
	"net/http"
	"time"

	"github.com/kdecole-club/clubwiki/wiki"
)

// draftRequestJSON is the body of PUT /api/drafts/{path}, and of the
// editor's POST /api/diff/{path} and POST /api/rebase/{path}: a text and
// the revision it was edited from.
type draftRequestJSON struct {
	Markdown *string `json:"markdown"`
	BaseRev  int     `json:"base_rev"`
	// Section, for POST /api/diff, says that markdown is that section
	// (from 1) of revision base_rev alone.
	Section int `json:"section"`
}

// draftJSON answers GET /api/drafts/{path} (with the text) and PUT.
type draftJSON struct {
	Path     wiki.Path `json:"path"`
	Markdown *string   `json:"markdown,omitempty"`
	BaseRev  int       `json:"base_rev"`
	Saved    time.Time `json:"saved"`
}

type draftsJSON struct {
	Drafts []draftJSON `json:"drafts"`
}

// readText reads a draftRequestJSON whose markdown is required.
func (s *api) readText(w http.ResponseWriter, r *http.Request) (draftRequestJSON, error) {
	var body draftRequestJSON
	if err := s.readJSON(w, r, &body, false); err != nil {
		return body, err
	}
	if body.Markdown == nil {
		return body, wiki.Errorf(wiki.EInvalid, `the field "markdown" is required`)
	}
	return body, nil
}

// putDraft answers PUT /api/drafts/{path}: the caller's draft kept.
func (s *api) putDraft(w http.ResponseWriter, r *http.Request, u *wiki.User) error {
	p, err := s.pagePath(r)
	if err != nil {
		return err
	}
	body, err := s.readText(w, r)
	if err != nil {
		return err
	}
	d, err := s.svc.SaveDraft(r.Context(), u, p, *body.Markdown, body.BaseRev)
	if err != nil {
		return err
	}
	s.writeJSON(w, r, http.StatusOK, draftJSON{Path: d.Path, BaseRev: d.BaseRev, Saved: d.Saved})
	return nil
}

// draft answers GET /api/drafts/{path}: the caller's own draft, 404 when
// they have none (whoever else has one).
func (s *api) draft(w http.ResponseWriter, r *http.Request, u *wiki.User) error {
	p, err := s.pagePath(r)
	if err != nil {
		return err
	}
	d, err := s.svc.DraftOf(r.Context(), u, p)
	if err != nil {
		return err
	}
	s.writeJSON(w, r, http.StatusOK, draftJSON{Path: d.Path, Markdown: &d.Markdown, BaseRev: d.BaseRev, Saved: d.Saved})
	return nil
}

// deleteDraft answers DELETE /api/drafts/{path}.
func (s *api) deleteDraft(w http.ResponseWriter, r *http.Request, u *wiki.User) error {
	p, err := s.pagePath(r)
	if err != nil {
		return err
	}
	if err := s.svc.DropDraft(r.Context(), u, p); err != nil {
		return err
	}
	s.writeJSON(w, r, http.StatusOK, struct {
		Path wiki.Path `json:"path"`
	}{p})
	return nil
}

// drafts answers GET /api/drafts: the caller's drafts by path, without
// their text (an addition to CONTRACT.md, what « Mes brouillons » shows).
func (s *api) drafts(w http.ResponseWriter, r *http.Request, u *wiki.User) error {
	ds, err := s.svc.MyDrafts(r.Context(), u)
	if err != nil {
		return err
	}
	out := draftsJSON{Drafts: make([]draftJSON, len(ds))}
	for i, d := range ds {
		out.Drafts[i] = draftJSON{Path: d.Path, BaseRev: d.BaseRev, Saved: d.Saved}
	}
	s.writeJSON(w, r, http.StatusOK, out)
	return nil
}
