package web

import (
	"net/http"
	"time"

	"github.com/kdecole-club/clubwiki/wiki"
)

// namespacesJSON is the answer of GET /api/namespaces.
type namespacesJSON struct {
	Namespaces []namespaceJSON `json:"namespaces"`
}

type namespaceJSON struct {
	Key         string `json:"key"`
	Title       string `json:"title"`
	Description string `json:"description"`
	Pages       int    `json:"pages"`
}

// namespaces answers GET /api/namespaces, in creation order.
func (s *api) namespaces(w http.ResponseWriter, r *http.Request, u *wiki.User) error {
	list, err := s.svc.Namespaces(r.Context(), u)
	if err != nil {
		return err
	}
	out := namespacesJSON{Namespaces: make([]namespaceJSON, len(list))}
	for i, ns := range list {
		out.Namespaces[i] = namespaceJSON{Key: ns.Key, Title: ns.Title, Description: ns.Description, Pages: ns.Pages}
	}
	s.writeJSON(w, r, http.StatusOK, out)
	return nil
}

// changesJSON is the answer of GET /api/changes.
type changesJSON struct {
	Changes []changeJSON `json:"changes"`
}

type changeJSON struct {
	Seq    uint64          `json:"seq"`
	Path   wiki.Path       `json:"path"`
	Rev    int             `json:"rev"`
	Kind   wiki.ChangeKind `json:"kind"`
	Author string          `json:"author"`
	// AuthorName (addition): the author's display name, else the login.
	AuthorName string    `json:"author_name"`
	Time       time.Time `json:"time"`
	Summary    string    `json:"summary"`
	Title      string    `json:"title"` // addition: the page's title at this revision
	Minor      bool      `json:"minor"` // addition
}

// changes answers GET /api/changes?limit=&ns=&since=SEQ&before=SEQ (and
// the filters of changeFilters), newest first. before pages backwards
// through what since selects.
func (s *api) changes(w http.ResponseWriter, r *http.Request, u *wiki.User) error {
	q := r.URL.Query()
	limit, _, err := queryInt(q, "limit", 0)
	if err != nil {
		return err
	}
	since, err := querySeq(q, "since")
	if err != nil {
		return err
	}
	before, err := querySeq(q, "before")
	if err != nil {
		return err
	}
	filters, err := changeFilters(q)
	if err != nil {
		return err
	}
	list, err := s.svc.RecentChanges(r.Context(), u, filters.Query(wiki.ChangeQuery{
		Namespace: q.Get("ns"), Since: since, Before: before, Limit: limit,
	}, u))
	if err != nil {
		return err
	}
	logins := make([]string, len(list))
	for i, c := range list {
		logins[i] = c.Author
	}
	names, err := s.svc.DisplayNames(r.Context(), u, logins)
	if err != nil {
		return err
	}
	out := changesJSON{Changes: make([]changeJSON, len(list))}
	for i, c := range list {
		out.Changes[i] = changeJSON{
			Seq: c.Seq, Path: c.Path, Rev: c.Rev, Kind: c.Kind,
			Author: c.Author, AuthorName: names[c.Author], Time: c.Time.UTC(), Summary: c.Summary,
			Title: c.Title, Minor: c.Minor,
		}
	}
	s.writeJSON(w, r, http.StatusOK, out)
	return nil
}

// backlinksJSON is the answer of GET /api/backlinks/{path}.
type backlinksJSON struct {
	Path  wiki.Path  `json:"path"`
	Pages []linkJSON `json:"pages"`
}

type linkJSON struct {
	Path  wiki.Path `json:"path"`
	Title string    `json:"title"`
}

// backlinks answers GET /api/backlinks/{path}: the live pages linking to it,
// whether or not it exists (a missing page's backlinks say who wants it).
func (s *api) backlinks(w http.ResponseWriter, r *http.Request, u *wiki.User) error {
	p, err := s.pagePath(r)
	if err != nil {
		return err
	}
	heads, err := s.svc.Backlinks(r.Context(), u, p)
	if err != nil {
		return err
	}
	out := backlinksJSON{Path: p, Pages: make([]linkJSON, len(heads))}
	for i, h := range heads {
		out.Pages[i] = linkJSON{Path: h.Path, Title: h.Title}
	}
	s.writeJSON(w, r, http.StatusOK, out)
	return nil
}
