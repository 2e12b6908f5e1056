package search

import (
	"fmt"
	"sort"
	"sync"

	"github.com/blevesearch/vellum/levenshtein"

	"github.com/blevesearch/bleve/v2/index/scorch"
	index "github.com/blevesearch/bleve_index_api"
)

// segmentDicts reads a snapshot's words segment by segment, in the
// caller's goroutine. Scorch's own FieldDictPrefix reads each segment in
// a goroutine of its own, and when bleve's persister fails (a full disk)
// it closes in-memory segments a live snapshot still holds: a segment
// read then panics ("assignment to entry in nil map" in zapx), and a
// panic in bleve's goroutine takes the server down. Read here, the panic
// reaches the guard, which turns it into an error and repairs the index.
type segmentDicts struct {
	snap *scorch.IndexSnapshot
}

// prefixSource returns what expandIn reads the words of r from.
func prefixSource(r index.IndexReader) prefixDicts {
	if snap, ok := r.(*scorch.IndexSnapshot); ok {
		return segmentDicts{snap}
	}
	return r
}

// FieldDictPrefix lists the words of field starting with prefix, in
// order, with their counts summed over the segments; at most
// maxPrefixScan+1 words are read from each segment, so that expandIn
// still sees that there were more.
func (s segmentDicts) FieldDictPrefix(field string, prefix []byte) (index.FieldDict, error) {
	end := prefixEnd(prefix)
	counts := map[string]uint64{}
	for _, ss := range s.snap.Segments() {
		d, err := ss.Segment().Dictionary(field)
		if err != nil {
			return nil, err
		}
		it := d.AutomatonIterator(nil, prefix, end)
		for n := 0; n <= maxPrefixScan; n++ {
			e, err := it.Next()
			if err != nil {
				return nil, err
			}
			if e == nil {
				break
			}
			counts[e.Term] += e.Count
		}
	}
	entries := make([]index.DictEntry, 0, len(counts))
	for t, c := range counts {
		entries = append(entries, index.DictEntry{Term: t, Count: c})
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].Term < entries[j].Term })
	return &listedDict{entries: entries}, nil
}

// prefixEnd is the first key after every key starting with prefix; nil
// when there is none (a prefix of 0xff bytes).
func prefixEnd(prefix []byte) []byte {
	end := append([]byte(nil), prefix...)
	for i := len(end) - 1; i >= 0; i-- {
		end[i]++
		if end[i] != 0 {
			return end[:i+1]
		}
	}
	return nil
}

// listedDict is an index.FieldDict over words already read.
type listedDict struct {
	entries []index.DictEntry
	next    int
}

func (d *listedDict) Next() (*index.DictEntry, error) {
	if d.next >= len(d.entries) {
		return nil, nil
	}
	d.next++
	return &d.entries[d.next-1], nil
}

func (d *listedDict) Close() error      { return nil }
func (d *listedDict) Cardinality() int  { return len(d.entries) }
func (d *listedDict) BytesRead() uint64 { return 0 }

// The Levenshtein automaton builders of scorch's fuzzy dictionaries,
// with transpositions: one per distance, built once (about a millisecond).
var levBuilders = sync.OnceValues(func() ([2]*levenshtein.LevenshteinAutomatonBuilder, error) {
	var out [2]*levenshtein.LevenshteinAutomatonBuilder
	for i := range out {
		b, err := levenshtein.NewLevenshteinAutomatonBuilder(uint8(i+1), true)
		if err != nil {
			return out, err
		}
		out[i] = b
	}
	return out, nil
})

// fuzzyDicts is what lexicon.closest reads words near a typed one from:
// an index reader of bleve's, or segmentDicts.
type fuzzyDicts interface {
	FieldDictFuzzyAutomaton(field, term string, fuzziness int, prefix string) (index.FieldDict, index.FuzzyAutomaton, error)
}

// fuzzySource returns what lexicon.closest reads the words of r from;
// nil when r reads none.
func fuzzySource(r index.IndexReader) fuzzyDicts {
	if snap, ok := r.(*scorch.IndexSnapshot); ok {
		return segmentDicts{snap}
	}
	if f, ok := r.(index.IndexReaderFuzzy); ok {
		return f
	}
	return nil
}

// FieldDictFuzzyAutomaton lists the words of field within fuzziness
// edits of term and starting with prefix, in order and once each, as
// scorch's does, but segment by segment in the caller's goroutine (see
// segmentDicts); at most maxFuzzyScan+1 words are read from each
// segment, which leaves the first maxFuzzyScan of all of them the same.
func (s segmentDicts) FieldDictFuzzyAutomaton(field, term string, fuzziness int, prefix string) (index.FieldDict, index.FuzzyAutomaton, error) {
	builders, err := levBuilders()
	if err != nil {
		return nil, nil, err
	}
	if fuzziness < 1 || fuzziness > len(builders) {
		return nil, nil, fmt.Errorf("fuzziness %d exceeds the max limit", fuzziness)
	}
	a, err := builders[fuzziness-1].BuildDfa(term, uint8(fuzziness))
	if err != nil {
		return nil, nil, err
	}
	var start, end []byte
	if prefix != "" {
		start = []byte(prefix)
		end = prefixEnd(start)
	}
	seen := map[string]bool{}
	var entries []index.DictEntry
	for _, ss := range s.snap.Segments() {
		d, err := ss.Segment().Dictionary(field)
		if err != nil {
			return nil, nil, err
		}
		it := d.AutomatonIterator(a, start, end)
		for n := 0; n <= maxFuzzyScan; n++ {
			e, err := it.Next()
			if err != nil {
				return nil, nil, err
			}
			if e == nil {
				break
			}
			if !seen[e.Term] {
				seen[e.Term] = true
				entries = append(entries, index.DictEntry{Term: e.Term})
			}
		}
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].Term < entries[j].Term })
	return &listedDict{entries: entries}, a, nil
}
