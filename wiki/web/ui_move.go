package web

import (
	"net/http"

	"github.com/kdecole-club/clubwiki/wiki"
)

// moveView is the form that renames or moves a page.
type moveView struct {
	base
	Path      string
	To        string // the destination typed, kept across a refusal
	Summary   string
	SubPages  int  // how many pages live under the page (at most wiki.MaxMovePages)
	WithSubs  bool // the box to take them along is ticked
	Backlinks int  // pages the reader sees that link here: their links follow
	Message   string
}

// moveFormView fills the form's counts for p.
func (s *ui) moveFormView(r *http.Request, c *uiCtx, p wiki.Path) (moveView, error) {
	v := moveView{base: c.base(c.L.T("move.heading", s.pageTitle(r, c, p))), Path: p.String(), To: p.String()}
	subs, err := s.svc.SubPages(r.Context(), c.User, p)
	if err != nil {
		return v, err
	}
	bl, err := s.svc.Backlinks(r.Context(), c.User, p)
	if err != nil {
		return v, err
	}
	v.SubPages, v.Backlinks = len(subs), len(bl)
	return v, nil
}

// moveForm answers GET /move/{path...}.
func (s *ui) moveForm(w http.ResponseWriter, r *http.Request, c *uiCtx) error {
	p, done, err := s.canonicalPath(w, r)
	if err != nil || done {
		return err
	}
	if _, err := s.svc.Page(r.Context(), c.User, p, 0); err != nil {
		return err // a missing page, or one that moved: redirected
	}
	v, err := s.moveFormView(r, c, p)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "move", v)
	return nil
}

// move answers POST /move/{path...} (fields to, summary, subpages): the
// page at its new place, or the form again with why and what was typed.
func (s *ui) move(w http.ResponseWriter, r *http.Request, c *uiCtx) error {
	p, done, err := s.canonicalPath(w, r)
	if err != nil || done {
		return err
	}
	if err := s.parseForm(w, r); err != nil {
		return err
	}
	req := wiki.MoveRequest{From: p, Summary: r.PostFormValue("summary"), SubPages: r.PostFormValue("subpages") != ""}
	to, err := s.svc.ResolvePath(r.Context(), r.PostFormValue("to"))
	if err == nil {
		req.To = to
		var res wiki.MoveResult
		if res, err = s.svc.Move(r.Context(), c.User, req); err == nil {
			s.redirectNotice(w, r, c, "/wiki/"+res.Path.String(), "moved")
			return nil
		}
	}
	v, verr := s.moveFormView(r, c, p)
	if verr != nil {
		return verr
	}
	code, status := s.classify(r, err)
	v.Message = c.L.refusal(err, code)
	v.To, v.Summary, v.WithSubs = r.PostFormValue("to"), req.Summary, req.SubPages
	s.render(w, r, status, "move", v)
	return nil
}
