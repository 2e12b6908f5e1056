package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/kdecole-club/clubwiki/wiki"
)

// newView is the "new page" form.
type newView struct {
	base
	PageTitle  string
	NS         string
	Namespaces []wiki.NamespaceInfo
	Message    string
	// Existing are the pages the reader may read that already have the
	// title: the form warns and links to them, and a second submit
	// (Confirm) goes on.
	Existing []wiki.Head
	// Kinds are what may be written: the page types, then a free page
	// (""); Kind is the one chosen.
	Kinds []wiki.PageType
	Kind  string
}

// withKinds sets the page types a new page may be of, and the chosen one.
func (s *ui) withKinds(r *http.Request, v newView, kind string) newView {
	v.Kinds = s.svc.PageTypes(r.Context()).List
	v.Kind = kind
	return v
}

// newForm answers GET /new (?ns= preselects a namespace).
func (s *ui) newForm(w http.ResponseWriter, r *http.Request, c *uiCtx) error {
	nss, err := s.svc.Namespaces(r.Context(), c.User)
	if err != nil {
		return err
	}
	v := newView{base: c.base(c.L.T("new.title")), Namespaces: nss, NS: r.URL.Query().Get("ns")}
	s.render(w, r, http.StatusOK, "new", s.withKinds(r, v, r.URL.Query().Get("type")))
	return nil
}

// newPage answers POST /new: the title and namespace become a canonical path
// and the editor opens there; an unusable title shows the form again.
func (s *ui) newPage(w http.ResponseWriter, r *http.Request, c *uiCtx) error {
	if err := s.parseForm(w, r); err != nil {
		return err
	}
	title := strings.TrimSpace(r.PostFormValue("title"))
	ns := r.PostFormValue("ns")
	kind := r.PostFormValue("type")
	p, err := s.newPath(r, ns, title)
	if err != nil {
		if wiki.ErrorCode(err) != wiki.EInvalid {
			return err
		}
		nss, nerr := s.svc.Namespaces(r.Context(), c.User)
		if nerr != nil {
			return nerr
		}
		v := newView{base: c.base(c.L.T("new.title")), Namespaces: nss, NS: ns, PageTitle: title, Message: c.L.T("new.invalid")}
		s.render(w, r, http.StatusBadRequest, "new", s.withKinds(r, v, kind))
		return nil
	}
	if r.PostFormValue("confirm") == "" {
		same, err := s.svc.PagesTitled(r.Context(), c.User, title)
		if err != nil {
			return err
		}
		if len(same) > 0 {
			nss, err := s.svc.Namespaces(r.Context(), c.User)
			if err != nil {
				return err
			}
			v := newView{base: c.base(c.L.T("new.title")), Namespaces: nss, NS: ns, PageTitle: title, Existing: same}
			s.render(w, r, http.StatusOK, "new", s.withKinds(r, v, kind))
			return nil
		}
	}
	to := "/edit/" + p.String() + "?title=" + url.QueryEscape(title)
	if kind != "" {
		to += "&type=" + url.QueryEscape(kind)
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

// newPath is the canonical path of a page titled title in namespace ns.
func (s *ui) newPath(r *http.Request, ns, title string) (wiki.Path, error) {
	if strings.Contains(ns, "/") || strings.TrimSpace(title) == "" {
		return wiki.Path{}, wiki.Errorf(wiki.EInvalid, "a namespace and a title are needed")
	}
	// A slash in a title is a sub-page, as in a wiki link.
	return s.svc.ResolvePath(r.Context(), ns+"/"+title)
}

// canonicalJSON is the answer of GET /canonical.
type canonicalJSON struct {
	Path    string `json:"path,omitempty"`
	Message string `json:"message,omitempty"`
	// Existing are the pages of that title the reader may read.
	Existing []titledJSON `json:"existing,omitempty"`
	Warning  string       `json:"warning,omitempty"` // says so, in the reader's language
}

// titledJSON is a page of the title being typed.
type titledJSON struct {
	Path  string `json:"path"`
	Title string `json:"title"`
}

// canonical answers GET /canonical?ns=&title= for the "new page" form's
// live display of the path a title will get. It is the interface's, not
// an API call: the form's script asks it with the session, and gets the
// path or why there is none in the reader's language, as JSON; other
// errors are the interface's error pages.
func (s *ui) canonical(w http.ResponseWriter, r *http.Request, c *uiCtx) error {
	q := r.URL.Query()
	ans := canonicalJSON{}
	p, err := s.newPath(r, q.Get("ns"), q.Get("title"))
	switch {
	case err == nil:
		ans.Path = p.String()
		same, err := s.svc.PagesTitled(r.Context(), c.User, q.Get("title"))
		if err != nil {
			return err
		}
		for _, h := range same {
			ans.Existing = append(ans.Existing, titledJSON{h.Path.String(), h.Title})
		}
		if len(same) > 0 {
			ans.Warning = c.L.T("new.exists")
		}
	case wiki.ErrorCode(err) == wiki.EInvalid:
		ans.Message = c.L.T("new.invalid")
	default:
		return err
	}
	b, err := encodeJSON(ans)
	if err != nil {
		return wiki.Internal(err, "encoding the canonical path")
	}
	w.Header()["Content-Security-Policy"] = cspStrict
	writeBody(w, http.StatusOK, b)
	return nil
}
