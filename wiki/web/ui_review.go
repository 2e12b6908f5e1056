package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/kdecole-club/clubwiki/wiki"
)

// reviewBox is the diff page's part about the reviewed mark of the newer
// revision: who reviewed it, or the button that marks it.
type reviewBox struct {
	Path      string
	Rev       int
	CanReview bool      // the button: an editor or admin, and no mark yet
	By        string    // the reviewer's display name; "" when not reviewed
	ByLogin   string    // and login
	Time      time.Time // when it was marked
}

// reviewBoxFor reads the mark of revision rev of p for the diff page.
func (s *ui) reviewBoxFor(r *http.Request, c *uiCtx, p wiki.Path, rev int) (reviewBox, error) {
	box := reviewBox{Path: p.String(), Rev: rev}
	if rev < 1 {
		return box, nil
	}
	marks, err := s.svc.Reviewed(r.Context(), c.User, p, rev)
	if err != nil {
		return box, err
	}
	m, ok := marks[rev]
	if !ok {
		box.CanReview = s.svc.Can(c.User, wiki.ActReview, p)
		return box, nil
	}
	names, err := s.svc.DisplayNames(r.Context(), c.User, []string{m.By})
	if err != nil {
		return box, err
	}
	box.By, box.ByLogin, box.Time = names[m.By], m.By, m.Time
	return box, nil
}

// review answers POST /review/{path...} (field rev): marks the revision as
// reviewed and goes back to its diff.
func (s *ui) review(w http.ResponseWriter, r *http.Request, c *uiCtx) error {
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
	if _, err := s.svc.Review(r.Context(), c.User, p, rev); err != nil {
		return err
	}
	// The diff page shows the mark itself: no notice needed.
	http.Redirect(w, r, "/diff/"+p.String()+"?to="+strconv.Itoa(rev), http.StatusSeeOther)
	return nil
}
