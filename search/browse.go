package search

import (
	"container/heap"
	"context"
	"errors"
	"slices"

	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/kdecole-club/clubwiki/wiki"
)

// filterFacets maps the filter fields the facet table can answer to
// their facets; a front-matter field of its own (meta.*) is not there.
var filterFacets = map[string]int{
	wiki.FieldNamespace: facetNamespace, wiki.FieldType: facetType, wiki.FieldStatus: facetStatus,
	wiki.FieldProjects: facetProjects, wiki.FieldTags: facetTags, wiki.FieldAuthor: facetAuthors,
}

// browsable reports whether q lists pages by facets and dates alone,
// newest first, without snippets: a view's list (wiki.SearchQuery.Bare)
// that the facet table answers without reading the index's postings.
func browsable(q wiki.SearchQuery) bool {
	if !q.Bare || q.FacetsOnly || q.Debug || q.Sort != wiki.SortDate ||
		len(q.Words)+len(q.Prefixes)+len(q.Phrases)+len(q.Exclude) > 0 {
		return false
	}
	for _, f := range q.Filters {
		if _, ok := filterFacets[f.Field]; !ok {
			return false
		}
	}
	return true
}

// browse answers a browsable query from the facet table: the same pages,
// count and order as the index would give (newest first, then by path),
// at the cost of a pass over the table and a read of each hit's stored
// title. ok is false when the table is not loaded; the caller then asks
// the index.
func (x *Index) browse(ctx context.Context, q wiki.SearchQuery) (res wiki.SearchResult, ok bool, err error) {
	if err := x.ensureFacets(); err != nil {
		return wiki.SearchResult{}, false, nil
	}
	pages, total, ok := x.facets.match(q)
	if !ok {
		return wiki.SearchResult{}, false, nil
	}
	out := wiki.SearchResult{Total: total, Hits: make([]wiki.SearchHit, 0, len(pages))}
	for _, f := range pages {
		if err := ctx.Err(); err != nil {
			return wiki.SearchResult{}, true, err
		}
		st, err := x.storedFields(f.path, false)
		if errors.Is(err, errNoIndex) {
			st, err = stored{}, nil // as hits does: the path alone
		}
		if err != nil {
			return wiki.SearchResult{}, true, err
		}
		hit, err := toHit(&bsearch.DocumentMatch{ID: f.path}, st)
		if err != nil {
			return wiki.SearchResult{}, true, err
		}
		out.Hits = append(out.Hits, hit)
	}
	x.badges(out.Hits)
	return out, true, nil
}

// match returns the pages of q's namespaces that pass its filters and
// dates, newest first then by path, from q.Offset for q.Limit, and how
// many there are in all. ok is false when the table is not loaded.
func (t *facetTable) match(q wiki.SearchQuery) (pages []found, total int, ok bool) {
	t.mu.RLock()
	defer t.mu.RUnlock()
	if !t.loaded {
		return nil, 0, false
	}
	scope := make([]bool, len(t.dicts[facetNamespace].keys))
	inScope := false
	for _, n := range q.Namespaces {
		if id, ok := t.dicts[facetNamespace].ids[n]; ok {
			scope[id], inScope = true, true
		}
	}
	var with, without [][]facetValue // each filter: the values it accepts
	for _, f := range q.Filters {
		vals := t.filterValues(q, f)
		switch {
		case !f.Not && len(vals) == 0:
			return nil, 0, true // a value no page has: nothing matches
		case f.Not && len(vals) == 0:
		case f.Not:
			without = append(without, vals)
		default:
			with = append(with, vals)
		}
	}
	since, before, none := dateBounds(q)
	if none || !inScope {
		return nil, 0, true
	}
	// The first offset+limit in order are kept in a heap whose root is
	// the last of them: memory for those alone, whatever the matches.
	keep := min(max(q.Offset, 0)+max(q.Limit, 0), len(t.rows))
	top := make(foundHeap, 0, keep)
	for i := range t.rows {
		r := &t.rows[i]
		if r.ns < 0 || !scope[r.ns] || since != nil && r.updated < *since || before != nil && r.updated >= *before {
			continue
		}
		if !passes(r.values, with, without) {
			continue
		}
		total++
		f := found{r.path, r.updated}
		switch {
		case len(top) < keep:
			heap.Push(&top, f)
		case keep > 0 && ahead(f, top[0]):
			top[0] = f
			heap.Fix(&top, 0)
		}
	}
	slices.SortFunc(top, func(a, b found) int {
		if ahead(a, b) {
			return -1
		}
		return 1 // paths are unique: never equal
	})
	return top[min(max(q.Offset, 0), len(top)):], total, true
}

// found is a page a browse matched.
type found struct {
	path    string
	updated int64
}

// ahead reports whether a comes before b as the index orders pages: the
// newest first, then by path.
func ahead(a, b found) bool {
	if a.updated != b.updated {
		return a.updated > b.updated
	}
	return a.path < b.path
}

// foundHeap is a heap of found pages whose root comes last in order.
type foundHeap []found

func (h foundHeap) Len() int           { return len(h) }
func (h foundHeap) Less(i, j int) bool { return ahead(h[j], h[i]) }
func (h foundHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *foundHeap) Push(x any)        { *h = append(*h, x.(found)) }
func (h *foundHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// passes reports whether row has one of the values of every filter of
// with and none of any filter of without.
func passes(row []facetValue, with, without [][]facetValue) bool {
	for _, vals := range with {
		if !hasAny(row, vals) {
			return false
		}
	}
	for _, vals := range without {
		if hasAny(row, vals) {
			return false
		}
	}
	return true
}

func hasAny(row, vals []facetValue) bool {
	for _, v := range vals {
		if slices.Contains(row, v) {
			return true
		}
	}
	return false
}

// filterValues returns the table's values that filter f accepts, as the
// index compares them: a namespace by its canonical name, anything else
// folded (KeyOf), an author also by the logins the value names. The
// caller holds mu.
func (t *facetTable) filterValues(q wiki.SearchQuery, f wiki.Filter) []facetValue {
	facet := filterFacets[f.Field]
	keys := []string{KeyOf(f.Value)}
	switch facet {
	case facetNamespace:
		keys = []string{wiki.Canonical(f.Value)}
	case facetAuthors:
		for _, login := range authorLogins(q, f) {
			keys = append(keys, KeyOf(login))
		}
	}
	var vals []facetValue
	for _, k := range keys {
		if id, ok := t.dicts[facet].ids[k]; ok && k != "" {
			vals = append(vals, packValue(facet, id))
		}
	}
	return vals
}

// dateBounds returns q's dates as the index compares them (dateRange):
// since included, before excluded, in Unix nanoseconds, nil when not
// set; none when no date can pass.
func dateBounds(q wiki.SearchQuery) (since, before *int64, none bool) {
	s, b := clampDate(q.Since), clampDate(q.Before)
	if !s.IsZero() && !b.IsZero() && !s.Before(b) {
		return nil, nil, true
	}
	if !s.IsZero() {
		n := s.UnixNano()
		since = &n
	}
	if !b.IsZero() {
		n := b.UnixNano()
		before = &n
	}
	return since, before, false
}
