package web

import (
	"net/http"

	"github.com/kdecole-club/clubwiki/wiki"
)

// historyView is a page's history.
type historyView struct {
	base
	Path  string
	Rows  []historyRow
	Older int // "before" of the next, older part; 0 when there is none
	// Names are the display names of the authors and reviewers shown.
	Names map[string]string
}

// historyRow is one revision with its size change.
type historyRow struct {
	wiki.Revision
	Delta    int
	Head     bool // the current revision
	FromDiff bool // preselected radio buttons: the two newest revisions
	ToDiff   bool
}

// historyPerPage is how many revisions the history shows at once.
const historyPerPage = 50

// history answers GET /history/{path...}?before=N.
func (s *ui) history(w http.ResponseWriter, r *http.Request, c *uiCtx) error {
	p, done, err := s.canonicalPath(w, r)
	if err != nil || done {
		return err
	}
	before, _, err := queryInt(r.URL.Query(), "before", 0)
	if err != nil {
		return err
	}
	// One more than shown: the size change of the oldest row needs it.
	revs, err := s.svc.History(r.Context(), c.User, p, historyPerPage+1, before)
	if err != nil {
		return err
	}
	var title string
	if len(revs) > 0 && before == 0 {
		title = titleOr(revs[0].Title, p) // the newest revision: no second read
	} else {
		title = s.pageTitle(r, c, p)
	}
	v := historyView{base: c.baseAt(c.L.T("history.heading", title), p), Path: p.String()}
	for i, rev := range revs {
		if i == historyPerPage {
			v.Older = rev.Rev + 1
			break
		}
		row := historyRow{Revision: rev, Delta: rev.Size}
		if i+1 < len(revs) {
			row.Delta = rev.Size - revs[i+1].Size
		}
		row.ToDiff = i == 0 && before == 0
		row.Head = row.ToDiff // reverting to the head would change nothing
		row.FromDiff = i == 1 && before == 0
		v.Rows = append(v.Rows, row)
	}
	if v.Names, err = s.svc.DisplayNames(r.Context(), c.User, historyLogins(v.Rows)); err != nil {
		return err
	}
	v.Flash = c.flash()
	s.render(w, r, http.StatusOK, "history", v)
	return nil
}

// historyLogins lists the authors and reviewers of rows.
func historyLogins(rows []historyRow) []string {
	out := make([]string, 0, len(rows)+1)
	for _, row := range rows {
		out = append(out, row.Author)
		if row.ReviewedBy != "" {
			out = append(out, row.ReviewedBy)
		}
	}
	return out
}

// confirmView asks an editor to confirm a revert or a deletion.
type confirmView struct {
	base
	Path    string
	Rev     int    // the revision to revert to; 0 for a deletion
	Action  string // "revert" or "delete"
	Message string // why the last try was refused
	Summary string // what the editor typed, kept across a refusal
	// Backlinks are the pages the editor sees that link to a page about
	// to be deleted: a warning, with the list.
	Backlinks []wiki.Head
}

// confirmAgain shows a refused revert or deletion again with why and with
// the summary the editor typed.
func (s *ui) confirmAgain(w http.ResponseWriter, r *http.Request, c *uiCtx, v confirmView, err error) error {
	code, status := s.classify(r, err)
	v.Message = c.L.refusal(err, code)
	v.Summary = r.PostFormValue("summary")
	w.Header()["Cache-Control"] = noStore
	s.render(w, r, status, "confirm", v)
	return nil
}

// revertForm answers GET /revert/{path...}?rev=N.
func (s *ui) revertForm(w http.ResponseWriter, r *http.Request, c *uiCtx) error {
	p, done, err := s.canonicalPath(w, r)
	if err != nil || done {
		return err
	}
	rev, err := revisionNumber(r.URL.Query().Get("rev"))
	if err != nil {
		return err
	}
	v := confirmView{base: c.base(c.L.T("revert.heading", s.pageTitle(r, c, p), rev)), Path: p.String(), Rev: rev, Action: "revert"}
	s.render(w, r, http.StatusOK, "confirm", v)
	return nil
}

// revert answers POST /revert/{path...} (fields rev, summary).
func (s *ui) revert(w http.ResponseWriter, r *http.Request, c *uiCtx) error {
	p, done, err := s.canonicalPath(w, r)
	if err != nil || done {
		return err
	}
	if err := s.parseForm(w, r); err != nil {
		return err
	}
	rev, err := revisionNumber(r.PostFormValue("rev"))
	if err != nil {
		return err
	}
	summary := r.PostFormValue("summary")
	if summary == "" {
		summary = c.L.T("revert.summary", rev)
	}
	_, changed, err := s.svc.Revert(r.Context(), c.User, p, rev, summary)
	if err != nil {
		v := confirmView{base: c.base(c.L.T("revert.heading", s.pageTitle(r, c, p), rev)), Path: p.String(), Rev: rev, Action: "revert"}
		return s.confirmAgain(w, r, c, v, err)
	}
	msg := "reverted"
	if !changed {
		msg = "unchanged_revert"
	}
	s.redirectNotice(w, r, c, "/wiki/"+p.String(), msg)
	return nil
}

// deleteForm answers GET /delete/{path...}.
func (s *ui) deleteForm(w http.ResponseWriter, r *http.Request, c *uiCtx) error {
	p, done, err := s.canonicalPath(w, r)
	if err != nil || done {
		return err
	}
	v := confirmView{base: c.base(c.L.T("delete.heading", s.pageTitle(r, c, p))), Path: p.String(), Action: "delete"}
	if v.Backlinks, err = s.svc.Backlinks(r.Context(), c.User, p); err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "confirm", v)
	return nil
}

// delete answers POST /delete/{path...} (field summary).
func (s *ui) delete(w http.ResponseWriter, r *http.Request, c *uiCtx) error {
	p, done, err := s.canonicalPath(w, r)
	if err != nil || done {
		return err
	}
	if err := s.parseForm(w, r); err != nil {
		return err
	}
	if _, err := s.svc.Delete(r.Context(), c.User, p, r.PostFormValue("summary")); err != nil {
		v := confirmView{base: c.base(c.L.T("delete.heading", s.pageTitle(r, c, p))), Path: p.String(), Action: "delete"}
		return s.confirmAgain(w, r, c, v, err)
	}
	s.redirectNotice(w, r, c, "/history/"+p.String(), "deleted")
	return nil
}

// pageTitle returns the title of p's newest revision, for the headings of
// the pages about a page (history, diff, backlinks, confirmations): members
// know a page by its title, not by its path.
func (s *ui) pageTitle(r *http.Request, c *uiCtx, p wiki.Path) string {
	revs, err := s.svc.History(r.Context(), c.User, p, 1, 0)
	if err != nil || len(revs) == 0 {
		return p.String()
	}
	return titleOr(revs[0].Title, p)
}

// titleOr returns title, or p's path when the revision has none (a
// deletion).
func titleOr(title string, p wiki.Path) string {
	if title == "" {
		return p.String()
	}
	return title
}
