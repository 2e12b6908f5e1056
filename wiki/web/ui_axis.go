package web

import (
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/kdecole-club/clubwiki/wiki"
)

// axisView is an axis's tree of pages, below its introduction.
type axisView struct {
	L        *catalog
	NS       wiki.NamespaceInfo
	Tree     wiki.AxisTree
	Filter   string
	Base     string // the axis page's URL, where the filter and the pager go
	PageNo   int    // Tree.Page from 1
	Prev     string // URL of the tree's previous page, "" on the first
	Next     string
	Watching bool // the reader watches the axis (its star)
}

// axisTree executes the tree of namespace ns for the request's filter
// (?filtre=) and page (?page=, from 1), as the axis page at base shows
// it. It works without script: filter and pager are a form and links.
func (s *ui) axisTree(r *http.Request, c *uiCtx, ns wiki.NamespaceInfo, base string) (template.HTML, error) {
	q := r.URL.Query()
	v := axisView{L: c.L, NS: ns, Base: base, Filter: strings.TrimSpace(q.Get("filtre"))}
	page, _ := strconv.Atoi(q.Get("page"))
	tree, err := s.svc.AxisTree(r.Context(), c.User, ns.Key, wiki.AxisQuery{Filter: v.Filter, Page: page - 1})
	if err != nil {
		return "", err
	}
	v.Tree, v.PageNo = tree, tree.Page+1
	if tree.Page > 0 {
		v.Prev = axisURL(base, v.Filter, tree.Page)
	}
	if tree.Page+1 < tree.Pages {
		v.Next = axisURL(base, v.Filter, tree.Page+2)
	}
	if v.Watching, err = s.svc.Watching(r.Context(), c.User, wiki.Watched{Namespace: ns.Key}); err != nil {
		return "", err
	}
	var b strings.Builder
	if err := s.pages["axistree"].ExecuteTemplate(&b, "axistree", v); err != nil {
		return "", wiki.Internal(err, "rendering the tree of "+ns.Key)
	}
	return template.HTML(b.String()), nil
}

// axisURL is the URL of page n (from 1) of the tree at base.
func axisURL(base, filter string, n int) string {
	q := url.Values{}
	if filter != "" {
		q.Set("filtre", filter)
	}
	if n > 1 {
		q.Set("page", strconv.Itoa(n))
	}
	if len(q) == 0 {
		return base
	}
	return base + "?" + q.Encode()
}

// namespaceInfo returns namespace key as actor sees it, ENotFound when
// they may not read it.
func (s *ui) namespaceInfo(r *http.Request, c *uiCtx, key string) (wiki.NamespaceInfo, error) {
	nss, err := s.svc.Namespaces(r.Context(), c.User)
	if err != nil {
		return wiki.NamespaceInfo{}, err
	}
	for _, ns := range nss {
		if ns.Key == key {
			return ns, nil
		}
	}
	return wiki.NamespaceInfo{}, wiki.Errorf(wiki.ENotFound, "no namespace %q", key)
}

// viewLabels words the page's views in the reader's language.
func viewLabels(l *catalog) wiki.ViewLabels {
	return wiki.ViewLabels{
		Title: l.T("view.title"), Updated: l.T("view.updated"), Support: l.T("view.support"),
		Empty: l.T("view.empty"), All: l.T("view.all"),
		Shown:       func(n, total int) string { return l.T("view.shown", n, total) },
		SortedAmong: func(n int) string { return l.T("view.sorted_among", n) },
	}
}
