package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/kdecole-club/clubwiki/wiki"
)

// editSection narrows the editor to the section ?section=N of the page:
// its text alone, saved back into the revision it came from.
func (s *ui) editSection(r *http.Request, c *uiCtx, v *editView, title string) error {
	raw := r.URL.Query().Get("section")
	if raw == "" {
		return nil
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < 1 {
		return wiki.Errorf(wiki.EInvalid, "section must be a number from 1")
	}
	p, _ := wiki.ParsePath(v.Path)
	text, err := s.svc.EditSection(r.Context(), c.User, p, v.BaseRev, n)
	if err != nil {
		return err
	}
	v.Markdown, v.Section = text, n
	v.Title = c.L.T("edit.title_section", title)
	return nil
}

// readSection reads the form's section (absent: the whole page); false
// when it is not a section number.
func readSection(r *http.Request, v *editView) bool {
	raw := r.PostFormValue("section")
	if raw == "" {
		return true
	}
	n, err := strconv.Atoi(raw)
	v.Section = n
	return err == nil && n >= 0
}

// draftsView is « Mes brouillons ».
type draftsView struct {
	base
	Drafts []draftRow
}

type draftRow struct {
	Path    string
	BaseRev int
	Saved   time.Time
}

// drafts answers GET /drafts: the member's drafts, each a link to its
// editor, which offers to restore it.
func (s *ui) drafts(w http.ResponseWriter, r *http.Request, c *uiCtx) error {
	ds, err := s.svc.MyDrafts(r.Context(), c.User)
	if err != nil {
		return err
	}
	v := draftsView{base: c.base(c.L.T("drafts.title")), Drafts: make([]draftRow, len(ds))}
	v.Flash = c.flash()
	for i, d := range ds {
		v.Drafts[i] = draftRow{Path: d.Path.String(), BaseRev: d.BaseRev, Saved: d.Saved}
	}
	s.render(w, r, http.StatusOK, "drafts", v)
	return nil
}

// dropDraft answers POST /drafts/delete/{path...}: the draft thrown away.
func (s *ui) dropDraft(w http.ResponseWriter, r *http.Request, c *uiCtx) error {
	p, err := s.svc.ResolvePath(r.Context(), r.PathValue("path"))
	if err != nil {
		return err
	}
	if err := s.svc.DropDraft(r.Context(), c.User, p); err != nil {
		return err
	}
	s.redirectNotice(w, r, c, "/drafts", "draft_dropped")
	return nil
}
