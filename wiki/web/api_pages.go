package web

import (
	"net/http"
	"strings"
	"time"

	"github.com/kdecole-club/clubwiki/wiki"
)

// pageJSON is the answer of GET /api/pages/{path}.
type pageJSON struct {
	Path      wiki.Path      `json:"path"`
	Namespace string         `json:"namespace"`
	Title     string         `json:"title"`
	Rev       int            `json:"rev"`
	Markdown  string         `json:"markdown"`
	HTML      string         `json:"html"`
	Meta      map[string]any `json:"meta"`
	Updated   time.Time      `json:"updated"`
	Author    string         `json:"author"`
}

// pageListJSON is the answer of GET /api/pages.
type pageListJSON struct {
	Pages []pageItemJSON `json:"pages"`
	Total int            `json:"total"`
}

type pageItemJSON struct {
	Path    wiki.Path `json:"path"`
	Title   string    `json:"title"`
	Rev     int       `json:"rev"`
	Updated time.Time `json:"updated"`
	Author  string    `json:"author"`
}

// listPages answers GET /api/pages?ns=&limit=&offset=.
func (s *api) listPages(w http.ResponseWriter, r *http.Request, u *wiki.User) error {
	q := r.URL.Query()
	limit, offset, err := listParams(q)
	if err != nil {
		return err
	}
	heads, total, err := s.svc.Pages(r.Context(), u, q.Get("ns"), limit, offset)
	if err != nil {
		return err
	}
	out := pageListJSON{Pages: make([]pageItemJSON, len(heads)), Total: total}
	for i, h := range heads {
		out.Pages[i] = pageItemJSON{Path: h.Path, Title: h.Title, Rev: h.Rev, Updated: h.Updated.UTC(), Author: h.Author}
	}
	s.writeJSON(w, r, http.StatusOK, out)
	return nil
}

// page answers GET /api/pages/{path}?rev=N. It is the hot path: the
// encoded answer is cached by revision and ETag, and a matching
// If-None-Match gets a 304 without any body.
func (s *api) page(w http.ResponseWriter, r *http.Request, u *wiki.User) error {
	p, err := s.pagePath(r)
	if err != nil {
		return err
	}
	rev, set, err := revParam(r)
	if err != nil {
		return err
	}
	if set && rev == 0 {
		return wiki.Errorf(wiki.ENotFound, "revisions are numbered from 1")
	}
	v, err := s.svc.Page(r.Context(), u, p, rev)
	if err != nil {
		return err
	}
	h := w.Header()
	h["Cache-Control"] = privateNoCache
	h["Etag"] = []string{v.ETag}
	if etagMatches(r.Header.Get("If-None-Match"), v.ETag) {
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	body := s.pages.get(p.String(), v.Rev, v.ETag)
	if body == nil {
		if body, err = encodeJSON(pageAnswer(v)); err != nil {
			return wiki.Internal(err, "encoding the page")
		}
		s.pages.put(p.String(), v.Rev, v.ETag, body)
	}
	writeBody(w, http.StatusOK, body)
	return nil
}

func pageAnswer(v *wiki.PageView) pageJSON {
	meta := v.Meta
	if meta == nil {
		meta = map[string]any{}
	}
	return pageJSON{
		Path: v.Path, Namespace: v.Namespace, Title: v.Title, Rev: v.Rev,
		Markdown: v.Markdown, HTML: v.HTML, Meta: meta,
		Updated: v.Updated.UTC(), Author: v.Author,
	}
}

// etagMatches implements If-None-Match's weak comparison: a list of tags,
// each possibly W/-prefixed, or "*".
func etagMatches(header, etag string) bool {
	if header == "" {
		return false
	}
	if header == etag {
		return true
	}
	for part := range strings.SplitSeq(header, ",") {
		part = strings.TrimSpace(part)
		if part == "*" || strings.TrimPrefix(part, "W/") == etag {
			return true
		}
	}
	return false
}
