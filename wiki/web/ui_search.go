package web

import (
	"cmp"
	"context"
	"html/template"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/kdecole-club/clubwiki/wiki"
)

// searchView is the search page.
type searchView struct {
	base
	Q          string
	Sort       string
	Hidden     []paramFilter // active facet filters, kept by the form
	Searched   bool          // false: nothing asked, the help is shown
	Total      int
	Partial    bool
	PartialKey string // catalogue key of the partial notice
	Relaxed    bool
	Hits       []searchHitView
	Facets     []facetView
	Active     []activeFilterView
	ClearAll   string // URL without any filter; "" with fewer than two
	Sorts      []sortLink
	Pager      pagerView
	Titles     []wiki.Suggestion // the header box's suggestions for Q not among Hits
	Closest    []wiki.Suggestion // titles near the words, when nothing matched
	// Refused is the catalogue key saying why the search was not run
	// (the wiki is busy, the query too complex); the query stays in the box.
	Refused string
	// PrefixCapped: a word* stood for more words than were searched.
	PrefixCapped bool
	Correction   *correctionView // words corrected (ui_search_why.go)
	DidYouMean   *didYouMeanView // a query that finds more
}

// searchHitView is one hit. Snippet is template.HTML because the search
// package builds it from html.EscapeString'd text and <mark> tags only
// (search/snippet.go: every byte of page text goes through
// html.EscapeString; the only markup added is <mark></mark>); a test
// proves that page text such as "<script>" comes out escaped.
type searchHitView struct {
	URL       string
	Title     string
	Path      string
	Namespace string // the namespace's title
	Updated   time.Time
	Snippet   template.HTML
	Author    string // the last editor's display name
	Login     string // and login
	Badges    []badgeView
	Why       []string // why it matched, one line per word (whyLines)
}

// badgeView is a hit's type, status or project, a link to the search with
// it as a filter.
type badgeView struct {
	Kind  string // the facet's URL parameter: type, status or projet
	Label string
	URL   string
}

// facetView is one facet's clickable values.
type facetView struct {
	Label  string
	Values []facetValueView
}

type facetValueView struct {
	Label string
	Count int
	URL   string // the search with this filter added
}

// activeFilterView is a filter in force with the link that drops it.
type activeFilterView struct {
	Label     string // "Type : résolution", or the filter as typed
	Typed     bool   // typed in the query rather than chosen from a facet
	RemoveURL string
}

type sortLink struct {
	Label   string
	URL     string
	Current bool
}

// pagerView is the page navigation; Pages holds 0 for a gap ("…").
type pagerView struct {
	Prev, Next string
	Pages      []pageLink
}

type pageLink struct {
	N       int
	URL     string
	Current bool
}

// search answers GET /search: the query box, results with facets and
// pages, help when nothing was asked or nothing found.
func (s *ui) search(w http.ResponseWriter, r *http.Request, c *uiCtx) error {
	st := parseSearchState(r.URL.Query())
	title := c.L.T("search.title")
	if st.Q != "" {
		title = c.L.T("search.title_q", st.Q)
	}
	v := searchView{base: c.base(title), Q: st.Q, Sort: st.Sort, Hidden: st.Filters, Searched: !st.IsEmpty()}
	status := http.StatusOK
	if v.Searched {
		if err := s.fillSearch(r.Context(), c, st, &v); err != nil {
			var ok bool
			if status, ok = refusedSearch(w, err, &v); !ok {
				return err
			}
		}
	} else {
		s.fillBrowse(r.Context(), c, st, &v)
	}
	s.render(w, r, status, "search", v)
	return nil
}

// refusedSearch fills v for a search the wiki refused for a reason the
// member can act on, and returns its status; other errors are not its own.
func refusedSearch(w http.ResponseWriter, err error, v *searchView) (int, bool) {
	switch wiki.ErrorCode(err) {
	case wiki.EUnavailable:
		v.Refused = "search.busy"
		w.Header().Set("Retry-After", busyRetryAfter)
	case wiki.EInvalid:
		v.Refused = "search.too_complex"
	default:
		return 0, false
	}
	v.Searched = false // the syntax help shows instead of results
	status := http.StatusBadRequest
	if v.Refused == "search.busy" {
		status = http.StatusServiceUnavailable
	}
	return status, true
}

// fillSearch runs the search and builds everything the results show.
func (s *ui) fillSearch(ctx context.Context, c *uiCtx, st searchState, v *searchView) error {
	res, err := s.svc.Search(ctx, c.User, st.params())
	if err != nil {
		return err
	}
	titles, err := s.namespaceTitles(ctx, c.User)
	if err != nil {
		return err
	}
	types := s.svc.PageTypes(ctx)
	v.Total, v.Partial, v.Relaxed, v.PrefixCapped = res.Total, res.Partial, res.Relaxed, res.PrefixCapped
	v.PartialKey = "search.partial_catching_up"
	if res.PartialReason == wiki.PartialRebuilding {
		v.PartialKey = "search.partial_rebuilding"
	}
	for _, h := range res.Hits {
		v.Hits = append(v.Hits, searchHitView{
			URL: "/wiki/" + h.Path.String(), Title: h.Title, Path: h.Path.String(),
			Namespace: nsTitle(titles, h.Namespace), Updated: h.Updated,
			Snippet: template.HTML(h.Snippet), // escaped by the search package, see searchHitView
			Author:  h.AuthorName, Login: h.Author, Badges: hitBadges(st, types, h),
			Why: whyLines(c, h.Matches),
		})
	}
	fillCorrections(st, res, v)
	v.Facets = facetViews(c, st, res.Facets, titles)
	v.Active = activeFilters(c, st, titles)
	if len(v.Active) > 1 {
		v.ClearAll = st.with(func(s *searchState) { s.Filters = nil; s.Q = stripTyped(s.Q) }).url()
	}
	v.Sorts = sortLinks(c, st)
	v.Pager = pager(st, res.Total)
	v.Titles = s.boxTitles(ctx, c, st, v.Hits)
	if res.Total == 0 && len(v.Titles) == 0 {
		v.Closest, err = s.closestTitles(ctx, c.User, st.Q)
		if wiki.ErrorCode(err) == wiki.EUnavailable {
			err = nil // titles are extra: the results are there
		}
	}
	return err
}

// fillBrowse gives the empty search page every facet over the pages the
// member may read, to browse without typing. The page stands without
// them: a failure is logged, not shown.
func (s *ui) fillBrowse(ctx context.Context, c *uiCtx, st searchState, v *searchView) {
	res, err := s.svc.Search(ctx, c.User, wiki.SearchParams{FacetsOnly: true})
	if err == nil {
		var titles map[string]string
		if titles, err = s.namespaceTitles(ctx, c.User); err == nil {
			v.Facets, v.Total = facetViews(c, st, res.Facets, titles), res.Total
			return
		}
	}
	if wiki.ErrorCode(err) != wiki.EUnavailable && wiki.ErrorCode(err) != wiki.ENotFound {
		s.classify(c.r, err)
	}
}

// hitBadges are the type, status and projects of hit, each a link to the
// search with it as a filter.
func hitBadges(st searchState, types *wiki.PageTypes, h wiki.SearchHit) []badgeView {
	var out []badgeView
	var t *wiki.PageType
	if len(h.Type) > 0 {
		t, _ = types.Lookup(h.Type[0])
	}
	for _, b := range []struct {
		param, field string
		values       []string
	}{{"type", "", h.Type}, {"status", "statut", h.Status}, {"projet", "projets", h.Projects}} {
		for _, v := range b.values {
			u := ""
			if !st.has(b.param, v) && len(st.Filters) < maxSearchFilters {
				u = st.with(func(s *searchState) { s.Filters = append(s.Filters, paramFilter{b.param, v}) }).url()
			}
			out = append(out, badgeView{Kind: b.param, Label: badgeLabel(t, b.field, v), URL: u})
		}
	}
	return out
}

// badgeLabel is how a known page type names value v of its field (its
// own label for the type itself, field ""), v itself otherwise: the facet
// keys are folded ("resolu"), the types spell them ("résolu").
func badgeLabel(t *wiki.PageType, field, v string) string {
	if t == nil {
		return v
	}
	if field == "" {
		return t.Label
	}
	if f, ok := t.Field(field); ok {
		if c, ok := f.Canon(v); ok {
			return c
		}
	}
	return v
}

// boxSuggestions is how many titles the header's search box suggests
// (app.js asks /api/suggest for as many).
const boxSuggestions = 8

// boxTitles returns the titles the header's search box suggested for what
// was typed, but those among hits: pressing Enter there must find what the
// box offered, even when the words typed are only the start of a title's
// words ("notif"). Only on the first page of a search typed in a box, as
// the box knows no facet filter.
// The hits stand without them: a failure is logged, not shown.
func (s *ui) boxTitles(ctx context.Context, c *uiCtx, st searchState, hits []searchHitView) []wiki.Suggestion {
	if st.Page != 1 || len(st.Filters) > 0 || st.Q == "" {
		return nil
	}
	list, err := s.svc.Suggest(ctx, c.User, st.Q, boxSuggestions)
	if err != nil {
		s.classify(c.r, err)
		return nil
	}
	shown := make(map[string]bool, len(hits))
	for _, h := range hits {
		shown[h.Path] = true
	}
	out := list[:0]
	for _, sg := range list {
		if !shown[sg.Path.String()] {
			out = append(out, sg)
		}
	}
	return out
}

// namespaceTitles maps namespace keys to their titles.
func (s *ui) namespaceTitles(ctx context.Context, u *wiki.User) (map[string]string, error) {
	nss, err := s.svc.Namespaces(ctx, u)
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(nss))
	for _, ns := range nss {
		out[ns.Key] = ns.Title
	}
	return out, nil
}

func nsTitle(titles map[string]string, key string) string {
	if t := titles[key]; t != "" {
		return t
	}
	return key
}

// facetViews lists each facet's values but the active ones, each a link
// adding its filter.
func facetViews(c *uiCtx, st searchState, facets map[string][]wiki.FacetCount, titles map[string]string) []facetView {
	var out []facetView
	for _, f := range searchFacets {
		fv := facetView{Label: c.L.T(f.Label)}
		for _, fc := range facets[f.Name] {
			if fc.Value == "" || st.has(f.Param, fc.Value) || len(st.Filters) >= maxSearchFilters {
				continue
			}
			label := cmp.Or(fc.Label, fc.Value)
			if f.Param == "ns" {
				label = nsTitle(titles, fc.Value)
			}
			add := st.with(func(s *searchState) { s.Filters = append(s.Filters, paramFilter{f.Param, fc.Value}) })
			fv.Values = append(fv.Values, facetValueView{Label: label, Count: fc.Count, URL: add.url()})
		}
		if len(fv.Values) > 0 {
			out = append(out, fv)
		}
	}
	return out
}

// activeFilters lists the filters in force, chosen or typed, each with the
// URL of the same search without it.
func activeFilters(c *uiCtx, st searchState, titles map[string]string) []activeFilterView {
	var out []activeFilterView
	for i, f := range st.Filters {
		fc, _ := facetByParam(f.Param)
		value := f.Value
		if f.Param == "ns" {
			value = nsTitle(titles, value)
		}
		out = append(out, activeFilterView{Label: c.L.T("search.filter_label", c.L.T(fc.Label), value), RemoveURL: st.without(i).url()})
	}
	typed, rest := typedFilters(st.Q)
	for i, f := range typed {
		q := rest[i]
		out = append(out, activeFilterView{Label: f, Typed: true, RemoveURL: st.with(func(s *searchState) { s.Q = q }).url()})
	}
	return out
}

func sortLinks(c *uiCtx, st searchState) []sortLink {
	out := make([]sortLink, 0, 2)
	for _, o := range []struct{ sort, label string }{{wiki.SortRelevance, c.L.T("search.sort.relevance")}, {wiki.SortDate, c.L.T("search.sort.date")}} {
		u := st.with(func(s *searchState) { s.Sort = o.sort }).url()
		out = append(out, sortLink{Label: o.label, URL: u, Current: st.Sort == o.sort})
	}
	return out
}

// pager numbers the pages: the first, the last, and two on each side of
// the current one, with gaps ("…") for the others.
func pager(st searchState, total int) pagerView {
	last := min((total+searchPerPage-1)/searchPerPage, maxSearchPage)
	var p pagerView
	if last <= 1 && st.Page == 1 {
		return p
	}
	at := func(n int) string { s := st; s.Page = n; return s.url() }
	if st.Page > 1 {
		p.Prev = at(min(st.Page-1, max(last, 1)))
	}
	if st.Page < last {
		p.Next = at(st.Page + 1)
	}
	show := func(n int) bool { return n == 1 || n == last || (n >= st.Page-2 && n <= st.Page+2) }
	for n := 1; n <= last; n++ {
		if show(n) || show(n-1) && show(n+1) { // a gap of one page shows it
			p.Pages = append(p.Pages, pageLink{N: n, URL: at(n), Current: n == st.Page})
		} else if p.Pages[len(p.Pages)-1].N != 0 {
			p.Pages = append(p.Pages, pageLink{})
		}
	}
	return p
}

// closestTitles offers titles near what was typed when nothing matched:
// titles with all the words, then with each word, then with each word's
// first letters (a typo late in a word still finds the page).
func (s *ui) closestTitles(ctx context.Context, u *wiki.User, q string) ([]wiki.Suggestion, error) {
	pq := wiki.ParseQuery(q) // its filters are not words
	words := append(append([]string{}, pq.Words...), pq.Prefixes...)
	for _, ph := range pq.Phrases {
		words = append(words, strings.Fields(ph)...)
	}
	if len(words) > 4 {
		words = words[:4]
	}
	tries := []string{}
	if len(words) > 1 {
		tries = append(tries, strings.Join(words, " "))
	}
	for _, w := range words {
		if utf8.RuneCountInString(w) >= 2 {
			tries = append(tries, w)
		}
	}
	for _, w := range words {
		if r := []rune(w); len(r) > 4 {
			tries = append(tries, string(r[:4]))
		}
	}
	var out []wiki.Suggestion
	seen := map[wiki.Path]bool{}
	for _, t := range tries {
		if len(out) >= maxClosestTitles {
			break
		}
		list, err := s.svc.Suggest(ctx, u, t, maxClosestTitles)
		if err != nil {
			return nil, err
		}
		for _, sg := range list {
			if !seen[sg.Path] && len(out) < maxClosestTitles {
				seen[sg.Path] = true
				out = append(out, sg)
			}
		}
	}
	return out, nil
}
