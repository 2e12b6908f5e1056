package search

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/kdecole-club/clubwiki/wiki"
)

// facetSize is how many values each facet lists, most frequent first.
const facetSize = 30

// PartialReason says why results may be incomplete, "" when they are not.
func (x *Index) PartialReason() string {
	switch {
	case !x.partial.Load():
		return ""
	case x.rebuilding.Load():
		return wiki.PartialRebuilding
	}
	return wiki.PartialCatchingUp
}

// Search implements wiki.SearchIndex. Pages holding most of the words
// come first (queryBuilder.build); when no page holds enough of them, a
// second query takes pages with any of them.
func (x *Index) Search(ctx context.Context, q wiki.SearchQuery) (wiki.SearchResult, error) {
	defer x.releaseAfterSearch()
	if browsable(q) {
		res, ok, err := x.browse(ctx, q)
		if err != nil {
			return wiki.SearchResult{}, err
		}
		if ok {
			return x.withPartial(res), nil
		}
	}
	ctx = withTermLimit(ctx)
	qb := queryBuilder{text: x.bleve.Mapping().AnalyzerNamed(textAnalyzer), syn: x.synonyms.get()}
	prefixes, capped, err := x.prefixQueries(ctx, qb, q.Prefixes)
	if err != nil {
		return wiki.SearchResult{}, err
	}
	qb.prefixes = prefixes
	p, err := x.plan(ctx, qb, q)
	if err != nil {
		return wiki.SearchResult{}, err
	}
	qb.units = p.units
	res, err := x.run(ctx, q, qb, qb.build(q, false))
	if err != nil {
		return wiki.SearchResult{}, err
	}
	if res.Total == 0 && qb.relaxable() {
		if res, err = x.run(ctx, q, qb, qb.build(q, true)); err != nil {
			return wiki.SearchResult{}, err
		}
		// Relaxed says the hits have only some of the words: with no
		// hit at all, there is nothing to say it of.
		res.Relaxed = res.Total > 0
	}
	if qb.missing() && res.Total > 0 {
		res.Relaxed = true
	}
	res.Corrections = p.corrections
	if res.Total < littleFound && len(p.corrections) == 0 && q.Offset == 0 {
		if res.DidYouMean, err = x.didYouMean(ctx, q, qb, res.Total); err != nil {
			return wiki.SearchResult{}, err
		}
	}
	res.PrefixCapped = capped
	return x.withPartial(res), nil
}

// withPartial says in res whether and why it may miss pages.
func (x *Index) withPartial(res wiki.SearchResult) wiki.SearchResult {
	res.PartialReason = x.PartialReason()
	res.Partial = res.PartialReason != ""
	return res
}

func (x *Index) run(ctx context.Context, q wiki.SearchQuery, qb queryBuilder, bq query.Query) (wiki.SearchResult, error) {
	if err := x.ensureFacets(); err != nil && !errors.Is(err, errNoIndex) && isDamage(ctx, err) {
		// Damaged doc values: the index is repaired, and the search
		// meets the damage itself or finds what it can meanwhile.
		x.fault(err, false)
	}
	if q.FacetsOnly && q.IsEmpty() {
		c, total := x.facets.browse(q.Namespaces)
		return wiki.SearchResult{Total: total, Facets: x.facetCounts(c)}, nil
	}
	c := &facetCounter{t: &x.facets}
	limit := q.Limit
	if q.FacetsOnly {
		limit = 0
	}
	docs := &matchDocs{}
	mq := mappedQuery{Query: bq, m: &x.docs, docs: docs, c: c}
	if q.Bare {
		mq.c = nil // a view's list: no facets
	}
	req := bleve.NewSearchRequestOptions(mq, limit, q.Offset, q.Debug)
	// No req.Fields: bleve would hold every hit's whole page at once;
	// hits reads them one at a time.
	req.IncludeLocations = !q.Bare
	req.SortByCustom(sortOrder(docs, q.Sort))
	// No facet request: mappedQuery counts them from the facet table.
	sr, err := x.bleve.SearchInContext(ctx, req)
	if err != nil {
		return wiki.SearchResult{}, searchError(err)
	}
	out := wiki.SearchResult{Total: int(sr.Total)}
	if !q.Bare {
		out.Facets = x.facetCounts(c)
	}
	if out.Hits, err = x.hits(ctx, sr.Hits, snippetTextBytes); err != nil {
		return wiki.SearchResult{}, err
	}
	for i, h := range sr.Hits {
		out.Hits[i].Matches = qb.explain(h, out.Hits[i].Title)
		if q.Debug {
			out.Hits[i].FieldScores = fieldScores(h.Expl)
		}
	}
	x.badges(out.Hits)
	return out, nil
}

// facetCounts lists each facet's values, most frequent first (years the
// latest first). Front-matter facets count folded keys, each shown as it
// was last written in a page (see spellingKey); the key itself if none is
// recorded.
func (x *Index) facetCounts(c *facetCounter) map[string][]wiki.FacetCount {
	out := make(map[string][]wiki.FacetCount, len(wiki.FacetNames))
	for _, name := range wiki.FacetNames {
		f := facetIDs[name]
		counts := c.top(f, facetSize)
		if facetSpelt(f) {
			for i := range counts {
				counts[i].Value = x.spelling(name, counts[i].Value)
			}
		}
		out[name] = counts
	}
	return out
}

// facetSpelt reports whether facet f counts front-matter values, shown
// as members write them.
func facetSpelt(f int) bool { return f >= facetType && f <= facetTags }

// spelling returns how the value of folded key is most often written in
// the pages' front matter, the key itself when none is recorded.
func (x *Index) spelling(name, key string) string {
	if s, err := x.bleve.GetInternal(spellingKey(name, key)); err == nil && len(s) > 0 {
		return string(s)
	}
	return key
}

// badges gives each hit its type, status and projects, from the facet
// table.
func (x *Index) badges(hits []wiki.SearchHit) {
	for i := range hits {
		h := &hits[i]
		row := x.facets.row(h.Path.String())
		for _, b := range []struct {
			f    int
			name string
			to   *[]string
		}{{facetType, "type", &h.Type}, {facetStatus, "status", &h.Status}, {facetProjects, "projects", &h.Projects}} {
			for _, k := range x.facets.values(row, b.f) {
				*b.to = append(*b.to, x.spelling(b.name, k))
			}
		}
	}
}

// titleLineEnd returns where the text after its first line starts when that
// line is the title, else 0.
func titleLineEnd(text, title string) int {
	first, _, found := strings.Cut(text, "\n")
	if !found || title == "" || strings.TrimSpace(first) != title {
		return 0
	}
	off := len(first) + 1
	for off < len(text) && text[off] == '\n' {
		off++
	}
	return off
}

// toHit makes a hit of h from its stored fields, quoting its text when it
// was read, else its lead.
func toHit(h *search.DocumentMatch, st stored) (wiki.SearchHit, error) {
	p, err := wiki.ParsePath(h.ID)
	if err != nil {
		return wiki.SearchHit{}, fmt.Errorf("a search hit has a bad path %q: %w", h.ID, err)
	}
	text := st.lead
	if st.text != nil {
		text = string(st.text)
	}
	// The hit shows the title above the snippet: a text starting with its
	// title line ("# Title") is quoted from the line after.
	off := titleLineEnd(text, st.title)
	var spans []span
	for _, f := range []string{fText, fTextP} {
		for _, locs := range h.Locations[f] {
			for _, l := range locs {
				if int(l.Start) >= off {
					spans = append(spans, span{int(l.Start) - off, int(l.End) - off})
				}
			}
		}
	}
	sn := snippet(text[off:], spans, snippetBytes)
	if len(spans) == 0 {
		lead := st.lead
		if off > 0 {
			lead = cutBytes(text[off:], leadBytes)
		}
		sn = snippet(lead, nil, snippetBytes)
		if len(text)-off > len(lead) {
			sn += "…"
		}
	}
	return wiki.SearchHit{
		Path: p, Title: st.title, Namespace: st.namespace,
		Score: h.Score, Updated: st.updated.UTC(), Snippet: sn,
	}, nil
}

// Suggest implements wiki.SearchIndex: titles with a word starting with the
// last word typed and containing the ones before it (as prefixes too).
func (x *Index) Suggest(ctx context.Context, prefix string, allowedNS []string, limit int) ([]wiki.Suggestion, error) {
	words := strings.Fields(strings.ToValidUTF8(prefix, " "))
	if len(words) > 8 {
		words = words[:8]
	}
	ctx = withTermLimit(ctx)
	must := []query.Query{scope(allowedNS)}
	for _, w := range words {
		if w = prefixTerm(w); w == "" {
			continue
		}
		// Each word stands for its most frequent title words only.
		terms, _, err := x.expand(ctx, fTitleP, w, maxSuggestTerms)
		if err != nil {
			return nil, err
		}
		must = append(must, termsQuery(terms, nil))
	}
	if len(must) == 1 {
		return []wiki.Suggestion{}, nil
	}
	req := bleve.NewSearchRequestOptions(query.NewConjunctionQuery(must), limit, 0, false)
	req.Fields = []string{fTitle}
	req.SortBy([]string{"-_score", fPath})
	sr, err := x.bleve.SearchInContext(ctx, req)
	if err != nil {
		return nil, searchError(err)
	}
	out := make([]wiki.Suggestion, 0, len(sr.Hits))
	for _, h := range sr.Hits {
		p, err := wiki.ParsePath(h.ID)
		if err != nil {
			continue
		}
		title, _ := h.Fields[fTitle].(string)
		out = append(out, wiki.Suggestion{Path: p, Title: title})
	}
	return out, nil
}

// prefixTerm is a typed word as prefix queries look it up in the unstemmed
// fields: folded, without hyphens, without an elided article ("l'éc" →
// "ec", with either apostrophe) and without the punctuation typed around it ("(accès," → "acces"),
// cut as the index cuts its terms (maxTermRunes).
func prefixTerm(w string) string {
	w = Fold(strings.ReplaceAll(w, "-", ""))
	if i := strings.LastIndexAny(w, "'’"); i >= 0 {
		_, n := utf8.DecodeRuneInString(w[i:]) // ’ is three bytes
		w = w[i+n:]
	}
	return string(capTerm([]byte(strings.TrimFunc(w, func(r rune) bool { return !isWordRune(r) }))))
}
