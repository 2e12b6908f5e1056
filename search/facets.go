package search

import (
	"slices"
	"strconv"
	"sync"

	"github.com/kdecole-club/clubwiki/wiki"
)

// The facets, in the order of wiki.FacetNames: facetIDs numbers them.
const (
	facetNamespace = iota
	facetType
	facetStatus
	facetProjects
	facetTags
	facetAuthors
	facetYear
	nFacets
)

// facetIDs maps wiki.FacetNames to their numbers.
var facetIDs = map[string]int{
	"namespace": facetNamespace, "type": facetType, "status": facetStatus,
	"projects": facetProjects, "tags": facetTags, "authors": facetAuthors, "year": facetYear,
}

// facetOfField maps a front-matter facet field (facetFields) to its number.
var facetOfField = map[string]int{"type": facetType, "status": facetStatus, "projects": facetProjects, "tags": facetTags}

// A facet value of a page is a small number: the facet in the top byte,
// the value's number in that facet's dictionary below.
type facetValue uint32

func packValue(facet, id int) facetValue { return facetValue(facet<<24 | id) }
func (v facetValue) facet() int          { return int(v >> 24) }
func (v facetValue) id() int             { return int(v & 0xFFFFFF) }

// facetTable holds the facet values of every indexed page in memory, as
// small numbers, so that a search counts its facets from the pages it
// matched without reading each one's values back from the index (doc
// values mapped from its files). It follows the index: apply updates it
// with every batch written, and it is loaded again from the index's doc
// values whenever another index is put in the guard (open, repair,
// rebuild). Values are kept folded (KeyOf), as filters compare them.
type facetTable struct {
	mu     sync.RWMutex
	gen    uint64 // the guard's generation the table describes
	loaded bool
	dicts  [nFacets]facetDict
	// rows holds the pages side by side, so that a pass over them
	// (browse, match) reads memory in order; at finds a page's row.
	rows []facetRow
	at   map[string]int
}

// facetRow is what the table holds of one page: its facet values (its
// namespace's first, also in ns), and when it was last changed (Unix
// nanoseconds, as the index sorts by).
type facetRow struct {
	path    string
	ns      int // the namespace's id, -1 without one
	values  []facetValue
	updated int64
}

// facetDict numbers the values of one facet.
type facetDict struct {
	ids  map[string]int
	keys []string
}

func (d *facetDict) id(key string) int {
	if id, ok := d.ids[key]; ok {
		return id
	}
	if d.ids == nil {
		d.ids = map[string]int{}
	}
	d.ids[key] = len(d.keys)
	d.keys = append(d.keys, key)
	return len(d.keys) - 1
}

// reset empties the table for the index of generation gen.
func (t *facetTable) reset(gen uint64) {
	t.gen, t.loaded = gen, false
	t.dicts = [nFacets]facetDict{}
	t.rows, t.at = nil, map[string]int{}
}

// set records the values of page path, given by facet as folded keys,
// and when it was last changed. The caller holds mu for writing.
func (t *facetTable) set(path string, keys *[nFacets][]string, updated int64) {
	var row []facetValue
	for f := range nFacets {
		for _, k := range keys[f] {
			if k == "" {
				continue
			}
			v := packValue(f, t.dicts[f].id(k))
			if !slices.Contains(row, v) {
				row = append(row, v)
			}
		}
	}
	r := facetRow{path: path, ns: -1, values: slices.Clip(row), updated: updated}
	if len(row) > 0 && row[0].facet() == facetNamespace {
		r.ns = row[0].id()
	}
	if i, ok := t.at[path]; ok {
		t.rows[i] = r
		return
	}
	t.at[path] = len(t.rows)
	t.rows = append(t.rows, r)
}

// remove forgets page path. The caller holds mu for writing.
func (t *facetTable) remove(path string) {
	i, ok := t.at[path]
	if !ok {
		return
	}
	last := len(t.rows) - 1
	t.rows[i] = t.rows[last]
	t.at[t.rows[i].path] = i
	t.rows[last] = facetRow{}
	t.rows = t.rows[:last]
	delete(t.at, path)
}

// docKeys returns the facet keys of d as the index folds them.
func docKeys(d *doc) *[nFacets][]string {
	var k [nFacets][]string
	k[facetNamespace] = []string{d.Namespace}
	d.eachFacetValue(func(field, value string) {
		f := facetOfField[field]
		k[f] = append(k[f], KeyOf(value))
	})
	for _, a := range d.Author {
		k[facetAuthors] = append(k[facetAuthors], KeyOf(a))
	}
	k[facetYear] = []string{strconv.Itoa(d.Updated.UTC().Year())}
	return &k
}

// apply records a batch written to the index of generation gen; a table
// of another generation is left to be loaded again.
func (t *facetTable) apply(gen uint64, docs []doc, deletes []string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.gen != gen || !t.loaded {
		return
	}
	for _, id := range deletes {
		t.remove(id)
	}
	for i := range docs {
		t.set(docs[i].Path, docKeys(&docs[i]), docs[i].Updated.UnixNano())
	}
}

// invalidate makes the next search load the table again.
func (t *facetTable) invalidate() {
	t.mu.Lock()
	t.loaded = false
	t.mu.Unlock()
}

// row returns the values of page path.
func (t *facetTable) row(path string) []facetValue {
	t.mu.RLock()
	defer t.mu.RUnlock()
	if i, ok := t.at[path]; ok {
		return t.rows[i].values
	}
	return nil
}

// facetCounter counts the facet values of the pages a search matches.
type facetCounter struct {
	t      *facetTable
	counts [nFacets][]int32
}

func (c *facetCounter) add(row []facetValue) {
	for _, v := range row {
		f, id := v.facet(), v.id()
		if id >= len(c.counts[f]) {
			c.counts[f] = slices.Grow(c.counts[f], id+1-len(c.counts[f]))[:id+1]
		}
		c.counts[f][id]++
	}
}

// browse counts every page of the namespaces ns and returns how many
// there are.
func (t *facetTable) browse(ns []string) (*facetCounter, int) {
	c := &facetCounter{t: t}
	t.mu.RLock()
	defer t.mu.RUnlock()
	within := map[int]bool{}
	for _, n := range ns {
		if id, ok := t.dicts[facetNamespace].ids[n]; ok {
			within[id] = true
		}
	}
	total := 0
	for i := range t.rows {
		if r := &t.rows[i]; r.ns >= 0 && within[r.ns] {
			c.add(r.values)
			total++
		}
	}
	return c, total
}

// top returns the size most frequent values of facet f, most frequent
// first, then in the order of their keys, as folded keys.
func (c *facetCounter) top(f, size int) []wiki.FacetCount {
	c.t.mu.RLock()
	keys := c.t.dicts[f].keys
	c.t.mu.RUnlock()
	out := []wiki.FacetCount{}
	for id, n := range c.counts[f] {
		if n > 0 && id < len(keys) {
			out = append(out, wiki.FacetCount{Value: keys[id], Count: int(n)})
		}
	}
	slices.SortFunc(out, func(a, b wiki.FacetCount) int {
		switch {
		case f == facetYear:
			return compareStrings(b.Value, a.Value) // the latest year first
		case a.Count != b.Count:
			return b.Count - a.Count
		}
		return compareStrings(a.Value, b.Value)
	})
	return out[:min(len(out), size)]
}

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// values returns the keys of facet f in row.
func (t *facetTable) values(row []facetValue, f int) []string {
	t.mu.RLock()
	defer t.mu.RUnlock()
	var out []string
	for _, v := range row {
		if v.facet() == f && v.id() < len(t.dicts[f].keys) {
			out = append(out, t.dicts[f].keys[v.id()])
		}
	}
	return out
}
