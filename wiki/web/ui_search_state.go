package web

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/kdecole-club/clubwiki/wiki"
)

// Bounds of the search page.
const (
	searchPerPage    = 20
	maxSearchPage    = 500 // deeper pages cost the index more than anyone reads
	maxSearchFilters = 12  // parameter filters kept from one URL
	maxClosestTitles = 6
)

// searchFacet ties a facet of the search answer to its URL parameter and to
// the filter key of the query syntax.
type searchFacet struct {
	Name  string // in wiki.FacetNames
	Param string // URL parameter
	Field string // the filter's field; "" for ns (SearchParams.NS), yearField for the year
	Label string // catalogue key of the facet's name
}

// searchFacets are the facets the page offers, in the order shown.
var searchFacets = []searchFacet{
	{Name: "namespace", Param: "ns", Label: "search.facet.namespace"},
	{Name: "type", Param: "type", Field: wiki.FieldType, Label: "search.facet.type"},
	{Name: "status", Param: "status", Field: wiki.FieldStatus, Label: "search.facet.status"},
	{Name: "projects", Param: "projet", Field: wiki.FieldProjects, Label: "search.facet.projects"},
	{Name: "tags", Param: "tag", Field: wiki.FieldTags, Label: "search.facet.tags"},
	{Name: "authors", Param: "auteur", Field: wiki.FieldAuthor, Label: "search.facet.authors"},
	{Name: "year", Param: "annee", Field: yearField, Label: "search.facet.year"},
}

// yearField marks the year facet: its filter is a date range
// (SearchParams.Year), not a field of the query syntax.
const yearField = "year"

func facetByParam(param string) (searchFacet, bool) {
	for _, f := range searchFacets {
		if f.Param == param {
			return f, true
		}
	}
	return searchFacet{}, false
}

// paramFilter is a facet filter carried by a URL parameter (?type=…).
type paramFilter struct{ Param, Value string }

// searchState is a search as its URL says. Every link of the search page
// is this state with one thing changed, written back by url.
type searchState struct {
	Q       string
	Sort    string // wiki.SortRelevance or wiki.SortDate
	Page    int    // from 1
	Filters []paramFilter
}

// parseSearchState reads /search?q=&sort=&page=&ns=&type=&status=&projet=&tag=&auteur=&annee=.
// It is lenient, as links get edited by hand: an unknown sort is relevance,
// a bad page is the first; only one ns and one year are kept (a page has
// one namespace and one date).
func parseSearchState(q url.Values) searchState {
	st := searchState{Q: strings.TrimSpace(q.Get("q")), Sort: wiki.SortRelevance, Page: 1}
	if q.Get("sort") == wiki.SortDate {
		st.Sort = wiki.SortDate
	}
	if n, err := strconv.Atoi(q.Get("page")); err == nil && n > 1 {
		st.Page = min(n, maxSearchPage)
	}
	for _, f := range searchFacets {
		values := q[f.Param]
		if (f.Param == "ns" || f.Field == yearField) && len(values) > 1 {
			values = values[len(values)-1:]
		}
		for _, v := range values {
			if v = strings.TrimSpace(v); v != "" && !st.has(f.Param, v) && len(st.Filters) < maxSearchFilters {
				st.Filters = append(st.Filters, paramFilter{f.Param, v})
			}
		}
	}
	return st
}

// has reports whether the filter param=value is active (case and accents
// aside, as the index compares them).
func (st searchState) has(param, value string) bool {
	for _, f := range st.Filters {
		if f.Param == param && wiki.Canonical(f.Value) == wiki.Canonical(value) {
			return true
		}
	}
	return false
}

// IsEmpty reports whether there is nothing to search for: the page then
// shows the syntax help.
func (st searchState) IsEmpty() bool { return st.Q == "" && len(st.Filters) == 0 }

// url writes the state back as a local URL, defaults left out.
func (st searchState) url() string {
	v := url.Values{}
	if st.Q != "" {
		v.Set("q", st.Q)
	}
	for _, f := range st.Filters {
		v.Add(f.Param, f.Value)
	}
	if st.Sort == wiki.SortDate {
		v.Set("sort", wiki.SortDate)
	}
	if st.Page > 1 {
		v.Set("page", strconv.Itoa(st.Page))
	}
	return "/search?" + v.Encode()
}

// with returns a copy changed by f, back on the first page: any change of
// query, filters or order makes the old page number meaningless.
func (st searchState) with(f func(*searchState)) searchState {
	st.Filters = append([]paramFilter(nil), st.Filters...)
	st.Page = 1
	f(&st)
	return st
}

// without returns the state without the filter at index i.
func (st searchState) without(i int) searchState {
	return st.with(func(s *searchState) { s.Filters = append(s.Filters[:i], s.Filters[i+1:]...) })
}

// params is the search to run: facet filters go apart from the text, as
// filters already parsed, so that no value needs quoting and no long query
// pushes them past the parser's bounds.
func (st searchState) params() wiki.SearchParams {
	p := wiki.SearchParams{Q: st.Q, Limit: searchPerPage, Offset: (st.Page - 1) * searchPerPage, Sort: st.Sort}
	for _, f := range st.Filters {
		fc, _ := facetByParam(f.Param)
		switch fc.Field {
		case "":
			p.NS = f.Value
			continue
		case yearField:
			p.Year, _ = strconv.Atoi(f.Value) // not a year: any year
			continue
		}
		p.Filters = append(p.Filters, wiki.Filter{Field: fc.Field, Value: f.Value})
	}
	return p
}

// typedFilters returns the filters typed in q as the search reads them,
// each as typed, with q without it: the rest stays as typed.
func typedFilters(q string) (filters, rest []string) {
	qt := wiki.ParseQueryText(q)
	for _, p := range qt.Filters() {
		if len(filters) == maxSearchFilters {
			break
		}
		filters = append(filters, qt.Typed(p))
		rest = append(rest, qt.Without(p))
	}
	return filters, rest
}

// stripTyped returns q without its typed filters.
func stripTyped(q string) string {
	qt := wiki.ParseQueryText(q)
	return qt.Without(qt.Filters()...)
}
