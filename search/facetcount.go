package search

import (
	"fmt"
	"strconv"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/numeric"
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
