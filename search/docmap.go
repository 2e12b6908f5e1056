package search

import (
	"context"
	"encoding/binary"
	"fmt"
	"sort"
	"sync"

	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"

	"github.com/kdecole-club/clubwiki/wiki"
)

// docMap finds the page path, update time and title sort key of a match
// from its internal number, without reading doc values for each match: every
// search sorts by them and counts facets by path, and bleve would
// decompress a chunk of each field's doc values per match (half of a
// search's time). Segments never change, so what a segment holds is
// read once, the first time a search meets it, and kept while it is in
// use.
type docMap struct {
	mu   sync.Mutex
	segs map[segment.Segment]*segDocs
}

// segDocs is what docMap holds of one segment, by local doc number.
type segDocs struct {
	paths   []string
	updated []int64  // Unix nanoseconds
	titles  []string // wiki.TitleSortKey of each title
}

// snapDocs resolves the internal numbers of one snapshot.
type snapDocs struct {
	offsets []uint64 // each segment's first number, as scorch numbers them
	segs    []*segDocs
}

// forReader returns the resolver of the snapshot r.
func (m *docMap) forReader(r index.IndexReader) (*snapDocs, error) {
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		return nil, fmt.Errorf("search: an index reader of type %T, not a scorch snapshot", r)
	}
	segs := snap.Segments()
	out := &snapDocs{offsets: make([]uint64, len(segs)), segs: make([]*segDocs, len(segs))}
	m.mu.Lock()
	for i, ss := range segs {
		out.segs[i] = m.segs[ss.Segment()]
	}
	m.mu.Unlock()
	// A segment met for the first time is read without the lock, so that
	// other searches go on meanwhile (two may read the same one).
	var running uint64
	for i, ss := range segs {
		if out.segs[i] == nil {
			sd, err := readSegDocs(ss.Segment())
			if err != nil {
				return nil, err
			}
			out.segs[i] = sd
		}
		out.offsets[i] = running
		running += ss.Segment().Count()
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.segs == nil {
		m.segs = map[segment.Segment]*segDocs{}
	}
	live := make(map[segment.Segment]bool, len(segs))
	for i, ss := range segs {
		live[ss.Segment()] = true
		m.segs[ss.Segment()] = out.segs[i]
	}
	// Merged-away segments are dropped once they outnumber the live
	// ones: a search still on an older snapshot reads them again.
	if len(m.segs) > 2*len(segs)+8 {
		for seg := range m.segs {
			if !live[seg] {
				delete(m.segs, seg)
			}
		}
	}
	return out, nil
}

// readSegDocs reads the path, update time and title sort key of every
// document of seg.
func readSegDocs(seg segment.Segment) (*segDocs, error) {
	v, ok := seg.(segment.DocValueVisitable)
	if !ok {
		return nil, fmt.Errorf("search: a segment of type %T without doc values", seg)
	}
	n := seg.Count()
	sd := &segDocs{paths: make([]string, n), updated: make([]int64, n), titles: make([]string, n)}
	fields := []string{fPath, fUpdated, fTitleKey}
	var state segment.DocVisitState
	for i := range n {
		var err error
		state, err = v.VisitDocValues(i, fields, func(field string, term []byte) {
			switch field {
			case fPath:
				sd.paths[i] = string(term)
			case fUpdated:
				if t, ok := termNanos(term); ok {
					sd.updated[i] = t
				}
			case fTitleKey:
				sd.titles[i] = string(term)
			}
		}, state)
		if err != nil {
			return nil, fmt.Errorf("reading the pages of a search segment: %w", err)
		}
	}
	return sd, nil
}

// doc returns what s holds of the document numbered id.
func (s *snapDocs) doc(id index.IndexInternalID) (*segDocs, uint64, bool) {
	if len(id) != 8 {
		return nil, 0, false
	}
	n := binary.BigEndian.Uint64(id)
	i := sort.Search(len(s.offsets), func(i int) bool { return s.offsets[i] > n }) - 1
	if i < 0 {
		return nil, 0, false
	}
	local := n - s.offsets[i]
	if local >= uint64(len(s.segs[i].paths)) {
		return nil, 0, false
	}
	return s.segs[i], local, true
}

func (s *snapDocs) path(id index.IndexInternalID) string {
	if sd, n, ok := s.doc(id); ok {
		return sd.paths[n]
	}
	return ""
}

func (s *snapDocs) title(id index.IndexInternalID) string {
	if sd, n, ok := s.doc(id); ok {
		return sd.titles[n]
	}
	return ""
}

func (s *snapDocs) updated(id index.IndexInternalID) int64 {
	if sd, n, ok := s.doc(id); ok {
		return sd.updated[n]
	}
	return 0
}

// matchDocs is one search's resolver, set when its searcher is made and
// read by its sorts and facet counter.
type matchDocs struct {
	snap *snapDocs
}

// mappedQuery runs a query with its matches resolved by the doc map: it
// gives the search's snapshot to docs, and counts the facet values of
// every match in c when c is not nil.
type mappedQuery struct {
	query.Query
	m    *docMap
	docs *matchDocs
	c    *facetCounter
}

func (q mappedQuery) Searcher(ctx context.Context, r index.IndexReader, m mapping.IndexMapping, o bsearch.SearcherOptions) (bsearch.Searcher, error) {
	snap, err := q.m.forReader(r)
	if err != nil {
		return nil, err
	}
	q.docs.snap = snap
	inner, err := q.Query.Searcher(ctx, r, m, o)
	if err != nil || q.c == nil {
		return inner, err
	}
	return &countingSearcher{Searcher: inner, snap: snap, c: q.c}, nil
}

// countingSearcher counts, in c, the facet values of every page the
// searcher it wraps matches, from the facet table in memory.
type countingSearcher struct {
	bsearch.Searcher
	snap *snapDocs
	c    *facetCounter
}

func (s *countingSearcher) count(dm *bsearch.DocumentMatch) {
	if p := s.snap.path(dm.IndexInternalID); p != "" {
		s.c.add(s.c.t.row(p))
	}
}

func (s *countingSearcher) Next(ctx *bsearch.SearchContext) (*bsearch.DocumentMatch, error) {
	dm, err := s.Searcher.Next(ctx)
	if err == nil && dm != nil {
		s.count(dm)
	}
	return dm, err
}

func (s *countingSearcher) Advance(ctx *bsearch.SearchContext, id index.IndexInternalID) (*bsearch.DocumentMatch, error) {
	dm, err := s.Searcher.Advance(ctx, id)
	if err == nil && dm != nil {
		s.count(dm)
	}
	return dm, err
}

// docSort sorts matches by their update time, path or title sort key,
// read from the doc map rather than from doc values
// (bleve.SearchRequest.SortByCustom).
type docSort struct {
	docs    *matchDocs
	by      sortKey
	desc    bool
	scratch [8]byte
}

// sortKey is what a docSort compares.
type sortKey int

const (
	byUpdated sortKey = iota
	byPath
	byTitle
)

func (s *docSort) UpdateVisitor(string, []byte) {}

func (s *docSort) Value(d *bsearch.DocumentMatch) string {
	if s.docs.snap == nil {
		return ""
	}
	switch s.by {
	case byPath:
		return s.docs.snap.path(d.IndexInternalID)
	case byTitle:
		return s.docs.snap.title(d.IndexInternalID)
	}
	// Flipping the sign bit makes the bytes sort as the numbers do.
	binary.BigEndian.PutUint64(s.scratch[:], uint64(s.docs.snap.updated(d.IndexInternalID))^1<<63)
	return string(s.scratch[:])
}

func (s *docSort) DecodeValue(v string) string { return v }
func (s *docSort) Descending() bool            { return s.desc }
func (s *docSort) RequiresDocID() bool         { return false }
func (s *docSort) RequiresScoring() bool       { return false }
func (s *docSort) RequiresFields() []string    { return nil }
func (s *docSort) Reverse()                    { s.desc = !s.desc }
func (s *docSort) Copy() bsearch.SearchSort {
	c := *s
	return &c
}

// sortOrder is the order of a search's hits (wiki.SearchQuery.Sort):
// the best first (then the newest, then by path), the newest or the
// oldest first (then the best, by path), or by title, either way (then by
// path).
func sortOrder(docs *matchDocs, order string) bsearch.SortOrder {
	score := &bsearch.SortScore{Desc: true}
	newest := &docSort{docs: docs, desc: true}
	path := &docSort{docs: docs, by: byPath}
	switch order {
	case wiki.SortDate:
		return bsearch.SortOrder{newest, score, path}
	case wiki.SortOldest:
		return bsearch.SortOrder{&docSort{docs: docs}, score, path}
	case wiki.SortTitle, wiki.SortTitleDesc:
		return bsearch.SortOrder{&docSort{docs: docs, by: byTitle, desc: order == wiki.SortTitleDesc}, path}
	}
	return bsearch.SortOrder{score, newest, path}
}
