package web

import (
	"context"
	"errors"
	"html/template"
	"mime"
	"net/http"
	"strconv"

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
	HeadRev  int           // after an edit conflict: the head the member was shown
	Message  string        // why the last save failed
	Detail   string        // the line at fault, for an invalid text
	Conflict *conflictView // set after an edit conflict
	Section  int           // the section edited alone (from 1), 0 for the whole page
	Every    editorEvery   // the editor scripts' timers
	Meta     *metaFormView // the page type's form above the text (ui_metaform.go)
}

// conflictView tells an editor what changed under them.
type conflictView struct {
	BaseRev int
	HeadRev int
	Diff    diffView     // from the edit's base to the head; empty if it failed
	Screen  conflictData // for the screen region by region (conflict.js)
}

// editForm answers GET /edit/{path...}: the page's text at head, or an
// empty page (titled after ?title=) when it does not exist.
func (s *ui) editForm(w http.ResponseWriter, r *http.Request, c *uiCtx) error {
	p, done, err := s.canonicalPath(w, r)
	if err != nil || done {
		return err
	}
	v := editView{Path: p.String(), Every: s.every}
	pv, err := s.svc.Page(r.Context(), c.User, p, 0)
	switch {
	case err == nil:
		v.Markdown, v.BaseRev = pv.Markdown, pv.Rev
		v.base = c.base(c.L.T("edit.title", pv.Title))
		if err := s.editSection(r, c, &v, pv.Title); err != nil {
			return err
		}
		if v.Section == 0 {
			v.Meta = s.metaFormOf(r, c, pv.Meta, pv.Markdown)
		}
	case errors.As(err, new(*wiki.MovedError)):
		return err // the editor of the page where it went
	case wiki.ErrorCode(err) == wiki.ENotFound:
		v.New = true
		title, _ := s.newPageTitle(r, c, p)
		v.Markdown = s.svc.NewPageText(r.Context(), c.User, p, title, r.URL.Query().Get("type"))
		v.Meta = s.metaFormOf(r, c, s.svc.FrontMatter(r.Context(), p, v.Markdown), v.Markdown)
		v.base = c.base(c.L.T("edit.title_new", title))
	default:
		return err
	}
	s.render(w, r, http.StatusOK, "edit", v)
	return nil
}

// save answers POST /edit/{path...}: a redirect to the page when saved
// (post/redirect/get), else the form again with the text as typed. Nothing
// that goes wrong beneath a save (a refused text, a conflict, a full disk, a
// failing merge, even a panic) may cost the member their text.
func (s *ui) save(w http.ResponseWriter, r *http.Request, c *uiCtx) error {
	p, done, err := s.canonicalPath(w, r)
	if err != nil || done {
		return err
	}
	if err := s.parseForm(w, r); err != nil {
		return s.unreadableForm(w, r, c, err)
	}
	v := editView{
		base: c.base(s.editTitle(r, c, p)), Path: p.String(),
		Markdown: r.PostFormValue("markdown"), Summary: r.PostFormValue("summary"),
		Minor: r.PostFormValue("minor") != "", Every: s.every,
	}
	v.New = r.PostFormValue("base_rev") == "0" && r.PostFormValue("head_rev") == ""
	if !readRevs(r, &v) || !readSection(r, &v) {
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
	if err := s.svc.Authorize(r.Context(), c.User, wiki.ActEdit, p); err != nil {
		// The role may have changed while they wrote: keep the text too.
		return s.saveFailed(w, r, c, v, err)
	}
	if err := s.chargeWrite(r, c.User); err != nil {
		return s.saveFailed(w, r, c, v, err) // too many writes: the text stays
	}
	if v.Section == 0 && v.HeadRev == 0 {
		v.Markdown = applyMetaForm(v.Markdown, s.svc.PageTypes(r.Context()), r.PostForm)
	}
	req := wiki.SaveRequest{Path: p, Markdown: v.Markdown, Summary: v.Summary, BaseRev: v.BaseRev, Minor: v.Minor, Section: v.Section}
	if v.HeadRev > 0 {
		var problem string
		if req.Markdown, problem = settleConflict(v.Markdown, r.PostFormValue("resolve")); problem != "" {
			return s.conflictForm(w, r, c, v, v.BaseRev, problem, nil)
		}
		// The text now holds the head's side of every conflict the member
		// was shown: it is an edit of that head.
		req.BaseRev = v.HeadRev
	}
	var res wiki.SaveResult
	err = guard("saving a page", func() (err error) {
		res, err = s.svc.Save(r.Context(), c.User, req)
		return err
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
	s.redirectNotice(w, r, c, "/wiki/"+p.String(), msg)
	return nil
}

// readRevs reads the form's base_rev and, after an edit conflict, head_rev
// (the head the member was shown); false when they are not revisions.
func readRevs(r *http.Request, v *editView) bool {
	var err error
	v.BaseRev, err = strconv.Atoi(r.PostFormValue("base_rev"))
	if err != nil || v.BaseRev < 0 {
		return false
	}
	if h := r.PostFormValue("head_rev"); h != "" {
		v.HeadRev, err = strconv.Atoi(h)
		return err == nil && v.HeadRev > 0
	}
	return true
}

// editTitle is the editor's heading for p when a save comes back: "Modifier
// « Title »" with the page's title, or "Créer « … »" for a page that does
// not exist (yet, or any more; then with its last title).
func (s *ui) editTitle(r *http.Request, c *uiCtx, p wiki.Path) string {
	if c.User != nil {
		var revs []wiki.Revision
		_ = guard("reading a history", func() (err error) {
			revs, err = s.svc.History(r.Context(), c.User, p, 1, 0)
			return err
		})
		if len(revs) > 0 && !revs[0].Deleted {
			return c.L.T("edit.title", titleOr(revs[0].Title, p))
		}
		if len(revs) > 0 && revs[0].Title != "" {
			return c.L.T("edit.title_new", revs[0].Title) // deleted: its last title
		}
	}
	return c.L.T("edit.title_new", p.DefaultTitle())
}

// saveErrorKeys are the editor's messages of refused saves, each saying
// that the text is intact and what to do; other codes use the error page's
// message.
var saveErrorKeys = map[wiki.Code]string{
	wiki.EInvalid:     "edit.error.bad_request",
	wiki.ETooLarge:    "edit.error.too_large",
	wiki.EConflict:    "edit.error.edit_conflict",
	wiki.EInternal:    "edit.error.internal",
	wiki.EUnavailable: "edit.error.unavailable",
	wiki.EStorageFull: "edit.error.insufficient_storage",
	wiki.ERateLimited: "edit.error.rate_limited",
}

// saveFailed shows the editor again after a refused save, with the text as
// typed whatever went wrong: for a conflict, with both versions and what
// the other person changed; else with what happened and what to do.
func (s *ui) saveFailed(w http.ResponseWriter, r *http.Request, c *uiCtx, v editView, err error) error {
	var conflict *wiki.ConflictError
	if errors.As(err, &conflict) {
		if conflict.ConflictMarkdown != "" {
			v.Markdown = conflict.ConflictMarkdown
		}
		v.Section = 0 // the conflict holds the whole page
		v.HeadRev = conflict.HeadRev
		return s.conflictForm(w, r, c, v, conflict.BaseRev, "edit.conflict", conflict.Merge.Conflicts())
	}
	code, status := s.classify(r, err)
	limit := limitText(c.L, err)
	switch key, ok := saveErrorKeys[code]; {
	case limit != "":
		v.Message = limit
	case code == wiki.EUnauthenticated:
		v.Message = c.L.T("edit.session_expired")
	case errors.Is(err, context.DeadlineExceeded):
		v.Message = c.L.T("edit.error.timeout")
	case ok:
		v.Message = c.L.T(key)
	default:
		v.Message = c.L.T("error." + string(code))
	}
	if code == wiki.EInvalid || code == wiki.EInvalidMeta {
		v.Message, v.Detail = invalidText(c, err, "edit.error.bad_request", "edit.error.bad_request_line")
	}
	w.Header()["Cache-Control"] = noStore
	setRetryAfter(w, err)
	if v.Section == 0 && v.HeadRev == 0 {
		p, _ := wiki.ParsePath(v.Path)
		v.Meta = s.metaFormOf(r, c, s.svc.FrontMatter(r.Context(), p, v.Markdown), v.Markdown)
	}
	s.render(w, r, status, "edit", v)
	return nil
}

// unreadableForm answers an edit whose body could not be read (larger than
// the server accepts, or damaged): there is no text to give back, so the
// page says so and how to get it back from the browser.
func (s *ui) unreadableForm(w http.ResponseWriter, r *http.Request, c *uiCtx, err error) error {
	code, status := s.classify(r, err)
	w.Header()["Cache-Control"] = noStore
	v := errorView{base: c.base(c.L.T("error.title")), Message: c.L.T("edit.error.unreadable"), Status: status}
	if code == wiki.ETooLarge {
		v.Message = c.L.T("edit.error.body_too_large")
	}
	s.render(w, r, status, "error", v)
	return nil
}

// parseForm reads a form body within the server's body limit.
func (s *ui) parseForm(w http.ResponseWriter, r *http.Request) error {
	return parseFormMax(w, r, s.maxBody)
}

// maxSmallForm bounds the forms that carry a few short fields (sign-in,
// language): nothing there needs more, and a password check should not read
// megabytes.
const maxSmallForm = 16 << 10

// parseFormMax parses a form body of at most limit bytes, URL-encoded or
// multipart (a form with enctype="multipart/form-data", or a script's
// FormData): both carry the same fields.
func parseFormMax(w http.ResponseWriter, r *http.Request, limit int64) error {
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	var err error
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "multipart/form-data" {
		// Everything is kept in memory (the body is bounded by limit), so
		// no temporary file is written; file parts are not read.
		err = r.ParseMultipartForm(limit)
		if r.MultipartForm != nil {
			_ = r.MultipartForm.RemoveAll()
		}
	} else {
		err = r.ParseForm()
	}
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return tooLarge(mbe.Limit)
		}
		return wiki.Errorf(wiki.EInvalid, "could not read the form")
	}
	return nil
}

// preview answers POST /preview (form fields path, markdown) with
// the HTML the text would have once saved: the editor's live preview.
func (s *ui) preview(w http.ResponseWriter, r *http.Request, c *uiCtx) error {
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
		if code != wiki.EInvalid && code != wiki.EInvalidMeta && code != wiki.ETooLarge {
			return err
		}
		status = statusOf[code]
		msg, detail := limitText(c.L, err), ""
		switch {
		case msg != "":
		case code == wiki.EInvalid || code == wiki.EInvalidMeta:
			msg, detail = invalidText(c, err, "edit.preview_error.bad_request", "edit.preview_error.bad_request_line")
		default:
			msg = c.L.T("edit.preview_error.too_large")
		}
		body = `<p class="error">` + template.HTMLEscapeString(msg) + "</p>"
		if detail != "" {
			body += `<p class="error detail">` + template.HTMLEscapeString(detail) + "</p>"
		}
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
