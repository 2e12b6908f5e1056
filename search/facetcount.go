package search

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/numeric"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
)

// facetDocFields are the fields the facet table is loaded from, each with
// doc values; fPath first.
var facetDocFields = []string{fPath, fNamespace, fUpdated, fAuthor, keyField("type"), keyField("status"), keyField("projects"), keyField("tags")}

// ensureFacets makes the facet table describe the index in the guard,
// loading it from the index's doc values when another index was put in
// (once per open: a few hundred milliseconds at 20,000 pages).
func (x *Index) ensureFacets() error {
	return x.bleve.read("loading the facets", func(b bleve.Index) error {
		t := &x.facets
		t.mu.RLock()
		ok := t.loaded && t.gen == x.bleve.gen
		t.mu.RUnlock()
		if ok {
			return nil
		}
		t.mu.Lock()
		defer t.mu.Unlock()
		if t.loaded && t.gen == x.bleve.gen {
			return nil
		}
		t.reset(x.bleve.gen)
		if err := t.load(b); err != nil {
			return fmt.Errorf("loading the facets from the search index: %w", err)
		}
		t.loaded = true
		return nil
	})
}

// load fills the table from the doc values of every page of b. The
// caller holds mu for writing.
func (t *facetTable) load(b bleve.Index) error {
	ii, err := b.Advanced()
	if err != nil {
		return err
	}
	r, err := ii.Reader()
	if err != nil {
		return err
	}
	defer r.Close()
	ids, err := r.DocIDReaderAll()
	if err != nil {
		return err
	}
	defer ids.Close()
	dvr, err := r.DocValueReader(facetDocFields)
	if err != nil {
		return err
	}
	for {
		id, err := ids.Next()
		if err != nil || id == nil {
			return err
		}
		var path string
		var keys [nFacets][]string
		var updated int64
		err = dvr.VisitDocValues(id, func(field string, term []byte) {
			switch f, ok := fieldFacets[field]; {
			case field == fPath:
				path = string(term)
			case field == fUpdated:
				if n, ok := termNanos(term); ok {
					updated = n
					keys[facetYear] = []string{strconv.Itoa(time.Unix(0, n).UTC().Year())}
				}
			case ok:
				keys[f] = append(keys[f], string(term))
			}
		})
		if err != nil {
			return err
		}
		if path != "" {
			t.set(path, &keys, updated)
		}
	}
}

// fieldFacets maps the indexed fields to the facets they give.
var fieldFacets = map[string]int{
	fNamespace: facetNamespace, fAuthor: facetAuthors,
	keyField("type"): facetType, keyField("status"): facetStatus,
	keyField("projects"): facetProjects, keyField("tags"): facetTags,
}

// termNanos returns the time, in Unix nanoseconds, of a date's
// full-precision doc value.
func termNanos(term []byte) (int64, bool) {
	pc := numeric.PrefixCoded(term)
	if shift, err := pc.Shift(); err != nil || shift != 0 {
		return 0, false
	}
	n, err := pc.Int64()
	return n, err == nil
}

// countingQuery runs a query and counts, in c, the facet values of every
// page it matches: bleve's collector reads each match's path doc value
// for the sort anyway, and the values come from the table in memory.
type countingQuery struct {
	query.Query
	c *facetCounter
}

func (q countingQuery) Searcher(ctx context.Context, r index.IndexReader, m mapping.IndexMapping, o bsearch.SearcherOptions) (bsearch.Searcher, error) {
	inner, err := q.Query.Searcher(ctx, r, m, o)
	if err != nil {
		return nil, err
	}
	dvr, err := r.DocValueReader([]string{fPath})
	if err != nil {
		_ = inner.Close()
		return nil, err
	}
	s := &countingSearcher{Searcher: inner, dvr: dvr, c: q.c}
	s.visit = func(field string, term []byte) {
		if field == fPath {
			s.c.add(s.c.t.row(term))
		}
	}
	return s, nil
}

type countingSearcher struct {
	bsearch.Searcher
	dvr   index.DocValueReader
	c     *facetCounter
	visit index.DocValueVisitor
}

func (s *countingSearcher) Next(ctx *bsearch.SearchContext) (*bsearch.DocumentMatch, error) {
	dm, err := s.Searcher.Next(ctx)
	if err != nil || dm == nil {
		return dm, err
	}
	return dm, s.dvr.VisitDocValues(dm.IndexInternalID, s.visit)
}

func (s *countingSearcher) Advance(ctx *bsearch.SearchContext, id index.IndexInternalID) (*bsearch.DocumentMatch, error) {
	dm, err := s.Searcher.Advance(ctx, id)
	if err != nil || dm == nil {
		return dm, err
	}
	return dm, s.dvr.VisitDocValues(dm.IndexInternalID, s.visit)
}
