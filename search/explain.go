package search

import (
	"context"
	"strings"

	"github.com/blevesearch/bleve/v2"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/kdecole-club/clubwiki/wiki"
)

// littleFound: with fewer hits, a query near the one typed that finds more
// is offered (SearchResult.DidYouMean).
const littleFound = 3

// explain says why hit h (titled title) was found: for each word typed
// that it holds, the form found and the fields holding it. It reads the
// term locations the search returned; a word found by its prefix in the
// title is looked for in the title itself (that field keeps no locations).
func (b queryBuilder) explain(h *bsearch.DocumentMatch, title string) []wiki.SearchMatch {
	var titleWords map[string]bool
	var out []wiki.SearchMatch
	for _, u := range b.units {
		if u.filler {
			continue
		}
		for _, a := range u.alts {
			found, fields := a.found, locatedIn(h, a)
			if a.how == wiki.MatchPrefix {
				if titleWords == nil {
					titleWords = foldedWords(title)
				}
				found, fields = prefixFound(h, a, titleWords)
			}
			if len(fields) == 0 {
				continue
			}
			m := wiki.SearchMatch{Word: u.typed, How: a.how, Fields: fields}
			if a.how != wiki.MatchWord {
				m.Found = found
			}
			out = append(out, m)
			break
		}
	}
	return out
}

// locatedIn returns the fields of h holding every term of a.
func locatedIn(h *bsearch.DocumentMatch, a alt) []string {
	var out []string
	for _, f := range []struct{ name, field string }{{"title", fTitle}, {"headings", fHeadings}, {"text", fText}} {
		if len(a.terms) > 0 && holdsAll(h.Locations[f.field], a.terms) {
			out = append(out, f.name)
		}
	}
	return out
}

func holdsAll(locs bsearch.TermLocationMap, terms []string) bool {
	for _, t := range terms {
		if len(locs[t]) == 0 {
			return false
		}
	}
	return true
}

// prefixFound returns the first word a prefix stood for that h holds, and
// where.
func prefixFound(h *bsearch.DocumentMatch, a alt, titleWords map[string]bool) (string, []string) {
	for _, t := range a.pterms {
		var fields []string
		if titleWords[t] {
			fields = append(fields, "title")
		}
		if len(h.Locations[fTextP][t]) > 0 {
			fields = append(fields, "text")
		}
		if len(fields) > 0 {
			return t, fields
		}
	}
	return "", nil
}

// foldedWords returns the words of s as the prefix fields hold them:
// folded and cut at maxTermRunes.
func foldedWords(s string) map[string]bool {
	out := map[string]bool{}
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return !isWordRune(r) }) {
		out[string(capTerm([]byte(Fold(w))))] = true
	}
	return out
}

// fieldNames names the indexed fields in scores per field.
var fieldNames = map[string]string{
	fTitle: "title", fTitleP: "title", fHeadings: "headings",
	fText: "text", fTextP: "text", fKeywords: "keywords",
}

// fieldScores sums the weights of the terms found in each field, from the
// explanation of a hit's score (SearchQuery.Debug).
func fieldScores(e *bsearch.Explanation) map[string]float64 {
	out := map[string]float64{}
	var walk func(e *bsearch.Explanation)
	walk = func(e *bsearch.Explanation) {
		if e == nil {
			return
		}
		for _, p := range []string{"weight(", "fieldWeight("} {
			if rest, ok := strings.CutPrefix(e.Message, p); ok {
				field, _, _ := strings.Cut(rest, ":")
				if name := fieldNames[field]; name != "" {
					out[name] += e.Value
				}
				return
			}
		}
		for _, c := range e.Children {
			walk(c)
		}
	}
	walk(e)
	return out
}

// didYouMean returns the words of q to replace for a query that finds
// more than total pages: each by the closest, more frequent, indexed
// word; nil when there is none. It counts the pages the new query finds without quoting them.
func (x *Index) didYouMean(ctx context.Context, q wiki.SearchQuery, qb queryBuilder, total int) ([]wiki.SearchCorrection, error) {
	words := append([]string{}, q.Words...)
	var changed []wiki.SearchCorrection
	err := x.withLexicon(ctx, func(lx *lexicon) error {
		for i, w := range words {
			if i >= maxLexiconWords || isFiller(w) {
				continue
			}
			f := prefixTerm(w)
			n, err := lx.anyCount(f, fTextP, fTitleP)
			if err != nil {
				return err
			}
			cs, err := lx.closest(f, 1)
			if err != nil {
				return err
			}
			if len(cs) > 0 && cs[0].count > max(2*n, uint64(littleFound)) {
				words[i] = cs[0].word
				changed = append(changed, wiki.SearchCorrection{Word: w, To: cs[0].word})
			}
		}
		return nil
	})
	if err != nil || len(changed) == 0 {
		return nil, err
	}
	alt := q
	alt.Words = words
	p, err := x.plan(ctx, qb, alt)
	if err != nil {
		return nil, err
	}
	qb.units = p.units
	req := bleve.NewSearchRequestOptions(qb.build(alt, false), 0, 0, false)
	sr, err := x.bleve.SearchInContext(ctx, req)
	if err != nil {
		return nil, searchError(err)
	}
	if int(sr.Total) <= total {
		return nil, nil
	}
	return changed, nil
}
