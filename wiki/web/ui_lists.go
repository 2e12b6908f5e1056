package web

import (
	"bytes"
	"html/template"
	"net/http"
	"sort"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"github.com/kdecole-club/clubwiki/wiki"
)

// nsView is an axis page without its introduction: the tree alone.
type nsView struct {
	base
	NS   wiki.NamespaceInfo
	Tree template.HTML // ui.axisTree
}

// The service's list bounds (CONTRACT.md: default 50, at most 500). The
// changes page grows by listDefault.
const (
	listDefault = 50
	listMax     = 500
)

// namespaceIndex answers GET /ns/{key}. The axis page is its
// introduction, the page <key>/accueil, with the tree of the axis's pages
// below: /ns/{key} redirects there (query kept: the tree's filter and
// page), and shows the tree alone when the axis has no introduction.
func (s *ui) namespaceIndex(w http.ResponseWriter, r *http.Request, c *uiCtx) error {
	key := r.PathValue("key")
	if canon := wiki.Canonical(key); canon != key && canon != "" {
		http.Redirect(w, r, "/ns/"+canon, http.StatusMovedPermanently)
		return nil
	}
	ns, err := s.namespaceInfo(r, c, key)
	if err != nil {
		return err
	}
	home, err := s.svc.HasAxisHome(r.Context(), c.User, key)
	if err != nil {
		return err
	}
	if home && !isHomeAxis(key) {
		target := "/wiki/" + key + "/" + wiki.AxisHome
		if r.URL.RawQuery != "" {
			target += "?" + r.URL.RawQuery
		}
		http.Redirect(w, r, target, http.StatusFound)
		return nil
	}
	v := nsView{NS: ns}
	if v.Tree, err = s.axisTree(r, c, ns, "/ns/"+key); err != nil {
		return err
	}
	v.base = c.base(ns.Title)
	s.render(w, r, http.StatusOK, "namespace", v)
	return nil
}

// sortFrench sorts pages by title with the French collation, then by path.
// A Collator is not safe for concurrent use: one per call.
func sortFrench(pages []wiki.Head) {
	col := collate.New(language.French)
	var buf collate.Buffer
	keys := make([][]byte, len(pages))
	for i, h := range pages {
		keys[i] = append([]byte(nil), col.KeyFromString(&buf, h.Title)...)
		buf.Reset()
	}
	idx := make([]int, len(pages))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool {
		ka, kb := keys[idx[a]], keys[idx[b]]
		if c := bytes.Compare(ka, kb); c != 0 {
			return c < 0
		}
		return pages[idx[a]].Path.String() < pages[idx[b]].Path.String()
	})
	sorted := make([]wiki.Head, len(pages))
	for i, j := range idx {
		sorted[i] = pages[j]
	}
	copy(pages, sorted)
}

// backlinksView lists the pages that link to one.
type backlinksView struct {
	base
	Path  string
	Pages []wiki.Head
}

// backlinks answers GET /backlinks/{path...}.
func (s *ui) backlinks(w http.ResponseWriter, r *http.Request, c *uiCtx) error {
	p, done, err := s.canonicalPath(w, r)
	if err != nil || done {
		return err
	}
	heads, err := s.svc.Backlinks(r.Context(), c.User, p)
	if err != nil {
		return err
	}
	sortFrench(heads)
	v := backlinksView{base: c.base(c.L.T("backlinks.heading", s.pageTitle(r, c, p))), Path: p.String(), Pages: heads}
	s.render(w, r, http.StatusOK, "backlinks", v)
	return nil
}

// changesView is the recent changes across the wiki.
type changesView struct {
	base
	Changes    []wiki.Change
	Namespaces []wiki.NamespaceInfo
	NS         string
	More       int // limit of the "more" link; 0 when everything is shown
	// Days are the changes grouped by day, with their lines (ui_changes.go).
	Days     []changeDay
	Filters  wiki.ChangeFilters // the filters applied
	MoreHref string             // the "more" link, keeping ns and the filters
	seen     map[wiki.Path]int  // the revisions the reader last viewed
	// Badges are the changed typed pages' type, status and projects now.
	Badges map[string]*typeBadges
}

// IsUnseen reports whether ch is newer than the revision of its page the
// reader last viewed (never viewed: every change is).
func (v changesView) IsUnseen(ch wiki.Change) bool {
	return ch.Kind.IsPage() && v.seen != nil && ch.Rev > v.seen[ch.Path]
}

// changes answers GET /changes?ns=&limit= with the member's saved filters,
// or those the query names. "More" asks for a longer list, up to the
// service's maximum.
func (s *ui) changes(w http.ResponseWriter, r *http.Request, c *uiCtx) error {
	q := r.URL.Query()
	limit, _, err := queryInt(q, "limit", listDefault)
	if err != nil {
		return err
	}
	limit = min(max(limit, 1), listMax)
	nss, err := s.svc.Namespaces(r.Context(), c.User)
	if err != nil {
		return err
	}
	v := changesView{base: c.base(c.L.T("changes.title")), Namespaces: nss, NS: q.Get("ns")}
	if v.Filters, err = s.changeFiltersFor(r, c); err != nil {
		return err
	}
	cq := v.Filters.Query(wiki.ChangeQuery{Namespace: v.NS, Limit: limit, Sizes: true}, c.User)
	v.Changes, err = s.svc.RecentChanges(r.Context(), c.User, cq)
	if err != nil {
		return err
	}
	if v.seen, err = s.svc.SeenRevs(r.Context(), c.User, changedPages(v.Changes)); err != nil {
		return err
	}
	v.Badges = badgesByPath(s.svc.PageTypes(r.Context()), s.svc.PageMetas(r.Context(), c.User, changedPages(v.Changes)))
	if len(v.Changes) == limit && limit < listMax {
		v.More = min(limit+listDefault, listMax)
		v.MoreHref = moreChanges(v.NS, v.More, v.Filters)
	}
	if v.Days, err = s.changeDays(r, c, v.Changes, nss); err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "changes", v)
	return nil
}

// isHomeAxis reports whether ns's introduction is the wiki's home page,
// shown at /: its axis page is /ns/{key}, the tree alone.
func isHomeAxis(ns string) bool { return ns+"/"+wiki.AxisHome == homePath }
