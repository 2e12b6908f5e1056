package web

import (
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/kdecole-club/clubwiki/wiki"
)

// pageJSON is the answer of GET /api/pages/{path}.
type pageJSON struct {
	SeenRev   int            `json:"seen_rev"`
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

// page answers GET /api/pages/{path}?rev=N&seen=1. It is the hot path: a
// matching If-None-Match gets a 304 without any body, and the answer is
// encoded from the service's rendered page, the one form of a page the
// cache budget holds (wiki.Service.CacheBudget), into a recycled buffer.
// The caller's "seen_rev" comes first, and the ETag names it, so that a
// member's 304 never hides that their last visit moved.
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
	seen, err := s.seenRev(r, u, v)
	if err != nil {
		return err
	}
	etag := seenETag(v.ETag, seen)
	h := w.Header()
	h["Cache-Control"] = privateNoCache
	h["Etag"] = []string{etag}
	if etagMatches(r.Header.Get("If-None-Match"), etag) {
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	ans := pageAnswer(v)
	ans.SeenRev = seen
	buf := pageBufs.Get().(*[]byte)
	out, err := appendPage((*buf)[:0], ans, s.pagePlans(v))
	if err != nil {
		pageBufs.Put(buf)
		return wiki.Internal(err, "encoding the page")
	}
	writeBody(w, http.StatusOK, out)
	if cap(out) <= 1<<20 { // do not keep huge buffers alive
		*buf = out
		pageBufs.Put(buf)
	}
	return nil
}

// pagePlans returns the escape plans of v's texts, made on the first
// read of its revision.
func (s *api) pagePlans(v *wiki.PageView) *pagePlans {
	k := bodyKey{v.Path.String(), v.Rev}
	if p, ok := s.plans.Get(k); ok && p.etag == v.ETag {
		return &p
	}
	p := pagePlans{etag: v.ETag, markdown: planText(v.Markdown), html: planText(v.HTML)}
	if meta, err := marshalNoEscape(pageAnswer(v).Meta); err == nil {
		p.meta = meta
	}
	s.plans.Put(k, p)
	return &p
}

// pageBufs recycles the buffers page answers are written in.
var pageBufs = sync.Pool{New: func() any { return new([]byte) }}

// seenRev returns the revision the caller had seen before this read, and
// with ?seen=1 records this read as a visit.
func (s *api) seenRev(r *http.Request, u *wiki.User, v *wiki.PageView) (int, error) {
	switch r.URL.Query().Get("seen") {
	case "":
		return s.svc.Seen(r.Context(), u, v.Path)
	case "1":
		return s.svc.Visited(r.Context(), u, v)
	}
	return 0, wiki.Errorf(wiki.EInvalid, "seen must be 1 when given")
}

// seenETag makes a page's ETag the caller's own: "tag" becomes "tag.sN".
func seenETag(etag string, seen int) string {
	return etag[:len(etag)-1] + ".s" + strconv.Itoa(seen) + `"`
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
