package search

import (
	"container/heap"
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
	"github.com/kdecole-club/clubwiki/wiki"
)

// Bounds on the work of one search. A prefix stands for every word that
// starts with it, and bleve opens a searcher with its own buffers for each
// of them: "pr* de* la* co*" on 3,000 pages meant thousands of searchers,
// 120 MB and a second per query. These bounds keep any query to a few
// hundred searchers and a few megabytes.
const (
	// maxPrefixTerms is how many words one prefix stands for in one field:
	// the most frequent of those starting with it.
	maxPrefixTerms = 50
	// maxQueryPrefixTerms is what all the prefixes of one query share, per
	// field: eight prefixes get 25 words each.
	maxQueryPrefixTerms = 200
	// maxSuggestTerms is how many title words a word typed in the search
	// box stands for; suggestions have up to eight such words.
	maxSuggestTerms = 32
	// maxPrefixScan bounds the dictionary entries read for one prefix.
	maxPrefixScan = 20000
	// maxTermSearchers is bleve's own count of the term lookups of one
	// query, a net under the bounds above for what they do not foresee
	// (a word that analyses into hundreds of tokens).
	maxTermSearchers = 1024
	// snippetTextBytes bounds the page text one search reads to quote
	// its hits; hits past it are quoted from their lead.
	snippetTextBytes = 2 << 20
)

// errTooComplex answers a query past maxTermSearchers.
var errTooComplex = wiki.Errorf(wiki.EInvalid, "the query is too complex: search for fewer words")

// withTermLimit makes bleve fail a search that opens more than
// maxTermSearchers term searchers, unless ctx already sets a lower limit.
func withTermLimit(ctx context.Context) context.Context {
	if n, ok := ctx.Value(bsearch.MaxTermSearchersKey).(int); ok && n > 0 && n <= maxTermSearchers {
		return ctx
	}
	return context.WithValue(ctx, bsearch.MaxTermSearchersKey, maxTermSearchers)
}

// searchError turns what bleve says of a search into the wiki's errors:
// the request's end stays a context error, the term limit is the caller's
// query.
func searchError(err error) error {
	switch {
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return err
	case isTooComplex(err):
		return &wiki.Error{Code: errTooComplex.Code, Message: errTooComplex.Message, Err: err}
	}
	return fmt.Errorf("searching: %w", err)
}

// isTooComplex reports whether bleve refused a query for expanding to too
// many terms or clauses: the caller's query, not a fault of the index.
// bleve has no sentinel errors for these, only their messages.
func isTooComplex(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "TooManyTermSearchers") || strings.Contains(msg, "TooManyClauses")
}

// prefixQueries returns one required query per prefix of the query, and
// whether a prefix stood for more words than were searched. A prefix
// shorter than wiki.MinPrefixRunes once folded ("l'ec*") is a word.
func (x *Index) prefixQueries(ctx context.Context, b queryBuilder, prefixes []string) ([]query.Query, bool, error) {
	if len(prefixes) == 0 {
		return nil, false, nil
	}
	per := max(1, min(maxPrefixTerms, maxQueryPrefixTerms/len(prefixes)))
	var out []query.Query
	capped := false
	for _, p := range prefixes {
		t := prefixTerm(p) // l'écol* → ecol*
		if utf8.RuneCountInString(t) < wiki.MinPrefixRunes {
			if wq := b.word(t); wq != nil {
				out = append(out, wq)
			}
			continue
		}
		title, c1, err := x.expand(ctx, fTitleP, t, per)
		if err != nil {
			return nil, false, err
		}
		text, c2, err := x.expand(ctx, fTextP, t, per)
		if err != nil {
			return nil, false, err
		}
		capped = capped || c1 || c2
		out = append(out, termsQuery(title, text))
	}
	return out, capped, nil
}

// termsQuery matches any of the words, in the title (boosted) or the text.
func termsQuery(title, text []string) query.Query {
	qs := make([]query.Query, 0, len(title)+len(text))
	for _, t := range title {
		q := query.NewTermQuery(t)
		q.SetField(fTitleP)
		q.SetBoost(4)
		qs = append(qs, q)
	}
	for _, t := range text {
		q := query.NewTermQuery(t)
		q.SetField(fTextP)
		qs = append(qs, q)
	}
	if len(qs) == 0 {
		return query.NewMatchNoneQuery() // no word starts so
	}
	return query.NewDisjunctionQuery(qs)
}

// expand returns the n most frequent words of field starting with prefix
// (fewer when there are not as many), and whether there were more.
func (x *Index) expand(ctx context.Context, field, prefix string, n int) (words []string, capped bool, err error) {
	err = x.bleve.read("reading words", func(b bleve.Index) error {
		words, capped, err = expandIn(ctx, b, field, prefix, n)
		return err
	})
	return words, capped, err
}

// prefixDicts is what expandIn reads words from: an index the caller
// holds, or a reader of one (a lexicon's, see lexicon.expand).
type prefixDicts interface {
	FieldDictPrefix(field string, prefix []byte) (index.FieldDict, error)
}

// expandIn is expand on an index the caller holds.
func expandIn(ctx context.Context, b prefixDicts, field, prefix string, n int) ([]string, bool, error) {
	d, err := b.FieldDictPrefix(field, []byte(prefix))
	if err != nil {
		return nil, false, fmt.Errorf("reading the words starting with %q: %w", prefix, err)
	}
	defer func() { _ = d.Close() }()
	top := make(termHeap, 0, n)
	capped := false
	for i := 0; ; i++ {
		if i%1024 == 0 && ctx.Err() != nil {
			return nil, false, ctx.Err()
		}
		e, err := d.Next()
		if err != nil {
			return nil, false, fmt.Errorf("reading the words starting with %q: %w", prefix, err)
		}
		if e == nil {
			break
		}
		if i >= maxPrefixScan {
			capped = true
			break
		}
		capped = top.offer(*e, n) || capped
	}
	return top.sorted(), capped, nil
}

// termHeap keeps the most frequent words seen, the least frequent on top.
type termHeap []index.DictEntry

func (h termHeap) Len() int { return len(h) }
func (h termHeap) Less(i, j int) bool {
	if h[i].Count != h[j].Count {
		return h[i].Count < h[j].Count
	}
	return h[i].Term > h[j].Term
}
func (h termHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *termHeap) Push(v any)   { *h = append(*h, v.(index.DictEntry)) }
func (h *termHeap) Pop() any {
	old := *h
	v := old[len(old)-1]
	*h = old[:len(old)-1]
	return v
}

// offer keeps e if it is among the n most frequent so far; it reports
// whether a word was left out.
func (h *termHeap) offer(e index.DictEntry, n int) bool {
	if h.Len() < n {
		heap.Push(h, e)
		return false
	}
	// The dictionary is read in order: of equal counts, the first stays.
	if n > 0 && e.Count > (*h)[0].Count {
		(*h)[0] = e
		heap.Fix(h, 0)
	}
	return true
}

// sorted returns the words kept, the most frequent first.
func (h *termHeap) sorted() []string {
	out := make([]string, h.Len())
	for i := len(out) - 1; i >= 0; i-- {
		out[i] = heap.Pop(h).(index.DictEntry).Term
	}
	return out
}

// hits makes the page of hits, reading each hit's page one at a time: a
// search of 500 long pages never holds them all. A hit matched in the text
// is quoted from its whole text while budget bytes of text last
// (snippetTextBytes for a search), then from its lead.
func (x *Index) hits(ctx context.Context, matches []*bsearch.DocumentMatch, budget int) ([]wiki.SearchHit, error) {
	out := make([]wiki.SearchHit, 0, len(matches))
	for _, h := range matches {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		quote := budget > 0 && len(h.Locations[fText])+len(h.Locations[fTextP]) > 0
		st, err := x.storedFields(h.ID, quote)
		if errors.Is(err, errNoIndex) {
			// The index failed between the search and this read and
			// is being repaired (the answer is partial): the hit is
			// shown as its path alone, like a page deleted meanwhile.
			st, err = stored{}, nil
		}
		if err != nil {
			return nil, err
		}
		budget -= len(st.text)
		hit, err := toHit(h, st)
		if err != nil {
			return nil, err
		}
		out = append(out, hit)
	}
	return out, nil
}

// stored is what a hit shows of its page.
type stored struct {
	title, namespace, lead string
	updated                time.Time
	text                   []byte // nil unless asked for
}

// storedFields reads the stored fields of page id; a page deleted since
// the search has none. Search and read use two snapshots of the index: a
// page saved in between is quoted from its new text, whose offsets may
// not fit (snippet drops spans that do not).
func (x *Index) storedFields(id string, withText bool) (stored, error) {
	var st stored
	err := x.bleve.read("reading a page", func(b bleve.Index) error {
		d, err := b.Document(id)
		if err != nil || d == nil {
			return err
		}
		d.VisitFields(func(f index.Field) { st.visit(f, withText) })
		return nil
	})
	return st, err
}

// visit keeps field f of a stored page.
func (st *stored) visit(f index.Field, withText bool) {
	if dt, ok := f.(index.DateTimeField); ok && f.Name() == fUpdated {
		st.updated, _, _ = dt.DateTime()
		return
	}
	switch f.Name() {
	case fTitle:
		st.title = string(f.Value())
	case fNamespace:
		st.namespace = string(f.Value())
	case fLead:
		st.lead = string(f.Value())
	case fText:
		if withText {
			st.text = f.Value()
		}
	}
}
