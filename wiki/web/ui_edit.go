package web

import (
	"errors"
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"github.com/kdecole-club/clubwiki/wiki"
)

// editView is the editor.
type editView struct {
	base
	Path     string
	Markdown string
	Summary  string
	Minor    bool
	BaseRev  int
	New      bool
	Message  string        // why the last save failed
	Conflict *conflictView // set after an edit conflict
}

// conflictView tells an editor what changed under them.
type conflictView struct {
	BaseRev          int
	HeadRev          int
	Diff             diffView // from the edit's base to the head
	ConflictMarkdown string
}

// editForm answers GET /edit/{path...}: the page's text at head, or an
// empty page (titled after ?title=) when it does not exist.
func (s *Server) editForm(w http.ResponseWriter, r *http.Request, c *uiCtx) error {
	p, done, err := s.uiPath(w, r)
	if err != nil || done {
		return err
	}
	v := editView{Path: p.String()}
	pv, err := s.svc.Page(r.Context(), c.User, p, 0)
	switch {
	case err == nil:
		v.Markdown, v.BaseRev = pv.Markdown, pv.Rev
		v.base = c.base(c.L.T("edit.title", pv.Title))
	case wiki.ErrorCode(err) == wiki.ENotFound:
		v.New = true
		title := strings.TrimSpace(r.URL.Query().Get("title"))
		if title == "" {
			title = p.DefaultTitle()
		}
		v.Markdown = "# " + title + "\n\n"
		v.base = c.base(c.L.T("edit.title_new", title))
	default:
		return err
	}
	s.render(w, r, http.StatusOK, "edit", v)
	return nil
}

// savePage answers POST /edit/{path...}: a redirect to the page when saved
// (post/redirect/get), else the form again with the text as typed.
func (s *Server) savePage(w http.ResponseWriter, r *http.Request, c *uiCtx) error {
	p, done, err := s.uiPath(w, r)
	if err != nil || done {
		return err
	}
	if err := s.parseForm(w, r); err != nil {
		return err
	}
	v := editView{
		base: c.base(s.editTitle(r, c, p)), Path: p.String(),
		Markdown: r.PostFormValue("markdown"), Summary: r.PostFormValue("summary"),
		Minor: r.PostFormValue("minor") != "",
	}
	v.BaseRev, err = strconv.Atoi(r.PostFormValue("base_rev"))
	if err != nil || v.BaseRev < 0 {
		v.Message = c.L.T("error.bad_request")
		s.render(w, r, http.StatusBadRequest, "edit", v)
		return nil
	}
	if c.User == nil {
		// The session ended while the user was writing (the route is open
		// to anyone for this): a redirect to the login page would lose
		// the text, so it comes back with a way to sign in again.
		v.Message = c.L.T("edit.session_expired")
		s.render(w, r, http.StatusUnauthorized, "edit", v)
		return nil
	}
	if !c.User.Role.CanEdit() {
		// The role may have changed while they wrote: keep the text too.
		return s.saveFailed(w, r, c, v, wiki.Errorf(wiki.EForbidden, "editors only"))
	}
	res, err := s.svc.Save(r.Context(), c.User, wiki.SaveRequest{
		Path: p, Markdown: v.Markdown, Summary: v.Summary, BaseRev: v.BaseRev, Minor: v.Minor,
	})
	if err != nil {
		return s.saveFailed(w, r, c, v, err)
	}
	msg := "saved"
	switch {
	case res.Merged:
		msg = "merged"
	case res.Unchanged:
		msg = "unchanged"
	case res.Created:
		msg = "created"
	}
	http.Redirect(w, r, "/wiki/"+p.String()+"?msg="+msg, http.StatusSeeOther)
	return nil
}

// editTitle is the editor's heading for p when a save comes back: "Modifier
// « Title »" with the page's title, or "Créer « … »" for a page that does
// not exist (yet, or any more).
func (s *Server) editTitle(r *http.Request, c *uiCtx, p wiki.Path) string {
	if c.User != nil {
		revs, err := s.svc.History(r.Context(), c.User, p, 1, 0)
		if err == nil && len(revs) > 0 && !revs[0].Deleted {
			return c.L.T("edit.title", titleOr(revs[0].Title, p))
		}
	}
	return c.L.T("edit.title_new", p.DefaultTitle())
}

// saveFailed shows the editor again after a refused save, with the text as
// typed whatever went wrong: for a conflict, with what the other person
// changed; for an invalid or too large text, with what to fix; else with
// the error page's message and status.
func (s *Server) saveFailed(w http.ResponseWriter, r *http.Request, c *uiCtx, v editView, err error) error {
	var conflict *wiki.ConflictError
	if errors.As(err, &conflict) {
		cv := &conflictView{BaseRev: conflict.BaseRev, HeadRev: conflict.HeadRev, ConflictMarkdown: conflict.ConflictMarkdown}
		p, _ := s.pagePath(r)
		if d, err := s.svc.Diff(r.Context(), c.User, p, conflict.BaseRev, conflict.HeadRev, true); err == nil {
			cv.Diff = newDiffView(d)
		}
		v.Conflict = cv
		// Saving again means "my text wins over the head", which the
		// user can now decide knowingly.
		v.BaseRev = conflict.HeadRev
		v.Message = c.L.T("edit.conflict", conflict.HeadRev)
		s.render(w, r, http.StatusConflict, "edit", v)
		return nil
	}
	code, status := s.classify(r, err)
	switch code {
	case wiki.EInvalid, wiki.ETooLarge:
		v.Message = c.L.T("edit.error." + string(code))
		if msg := limitText(c.L, err); msg != "" {
			v.Message = msg
		}
	case wiki.EUnauthenticated:
		v.Message = c.L.T("edit.session_expired")
	default:
		v.Message = c.L.T("error." + string(code))
	}
	w.Header()["Cache-Control"] = noStore
	s.render(w, r, status, "edit", v)
	return nil
}

// parseForm reads a form body within the server's body limit.
func (s *Server) parseForm(w http.ResponseWriter, r *http.Request) error {
	return parseFormMax(w, r, s.maxBody)
}

// maxSmallForm bounds the forms that carry a few short fields (sign-in,
// language): nothing there needs more, and a password check should not read
// megabytes.
const maxSmallForm = 16 << 10

// parseFormMax parses a form body of at most limit bytes.
func parseFormMax(w http.ResponseWriter, r *http.Request, limit int64) error {
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	if err := r.ParseForm(); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return tooLarge(mbe.Limit)
		}
		return wiki.Errorf(wiki.EInvalid, "could not read the form")
	}
	return nil
}

// previewFragment answers POST /preview (form fields path, markdown) with
// the HTML the text would have once saved: the editor's live preview.
func (s *Server) previewFragment(w http.ResponseWriter, r *http.Request, c *uiCtx) error {
	if err := s.parseForm(w, r); err != nil {
		return err
	}
	p, err := s.svc.ResolvePath(r.Context(), r.PostFormValue("path"))
	if err != nil {
		return err
	}
	out, err := s.svc.Preview(r.Context(), c.User, p, r.PostFormValue("markdown"))
	status, body := http.StatusOK, ""
	if err != nil {
		code := wiki.ErrorCode(err)
		if code != wiki.EInvalid && code != wiki.ETooLarge {
			return err
		}
		status = statusOf[code]
		msg := limitText(c.L, err)
		if msg == "" {
			msg = c.L.T("edit.error." + string(code))
		}
		body = `<p class="error">` + template.HTMLEscapeString(msg) + "</p>"
	} else {
		body = out.HTML
	}
	h := w.Header()
	h["Content-Type"] = htmlType
	h["Content-Length"] = []string{strconv.Itoa(len(body))}
	w.WriteHeader(status)
	_, _ = w.Write([]byte(body))
	return nil
}
