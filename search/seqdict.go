package search

import (
	"sort"

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
