package search

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sync"
	"sync/atomic"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/kdecole-club/clubwiki/wiki"
)

// Keys of the index's own key/value space (bleve's "internal" storage).
var (
	keyVersion = []byte("clubwiki.mapping")
	keySeq     = []byte("clubwiki.seq")
	keyStore   = []byte("clubwiki.store") // the identity of the store indexed
	keyMark    = []byte("clubwiki.mark")  // the last change applied: changeMark
)

// Index is the bleve index of live pages. It is safe for concurrent use:
// bleve serialises batches and lets searches run alongside them, and the
// guard lets the follower replace a failed index under them.
type Index struct {
	bleve *guard
	dir   string
	// fresh is set when the index was created empty: it holds nothing
	// until a rebuild from the store fills it.
	fresh atomic.Bool
	// partial is true while the index is known to lag the store (the
	// rebuild or the catch-up at start has not finished).
	partial atomic.Bool
	// rebuilding says why it is partial, for the notice.
	rebuilding atomic.Bool
	// readOnly is set while the index is open read-only, after a write
	// failed.
	readOnly atomic.Bool
	// writeFailed says the last fault was a failed write.
	writeFailed atomic.Bool
	// broken is set on a fault (bleve panicked, a search met damage, the
	// index could not be opened): the follower repairs it.
	broken atomic.Bool
	faults chan struct{} // wakes the follower on a fault
	closed atomic.Bool
	// synonyms are the club's, read from SynonymsPage by the follower.
	synonyms  synonymHolder
	closeErr  error
	closeOnce sync.Once
	release   afterSearchRelease // see ReleaseAfterSearches
	facets    facetTable         // the pages' facet values, see facetTable
	docs      docMap             // matches' pages and dates by internal number, see docMap
}

var _ wiki.SearchIndex = (*Index)(nil)

// Open opens the index in dir. When dir is missing, unreadable or written
// with another MappingVersion, it is replaced by an empty index that
// NeedsRebuild reports; reason says why (empty when the index was usable).
// On an error (a full disk: the index could not be opened, or the empty
// one created), the returned Index is usable all the same: it finds
// nothing, says it is partial, and a Follower opens or creates it once it
// can; files that could not be opened for lack of space are kept.
func Open(dir string) (idx *Index, reason string, err error) {
	x, err := newIndex(dir, nil)
	if err != nil {
		return nil, "", err
	}
	reason, err = x.load(false)
	return x, reason, err
}

func newIndex(dir string, wrap func(bleve.Index) bleve.Index) (*Index, error) {
	m, err := newMapping()
	if err != nil {
		return nil, fmt.Errorf("building the search mapping: %w", err)
	}
	x := &Index{dir: dir, faults: make(chan struct{}, 1)}
	x.bleve = &guard{mapping: m, damaged: x.fault, wrap: wrap, swapped: make(chan struct{})}
	x.partial.Store(true) // until the follower has caught up
	return x, nil
}

// load opens the index files, or replaces them with an empty index when
// they are missing, unusable or damaged (openChecked). The guard must be empty.
// A read-only index never writes: while the disk is full, it answers
// searches from what was written, without bleve's background writers
// failing under it.
func (x *Index) load(readOnly bool) (reason string, err error) {
	if _, err := os.Stat(x.dir); errors.Is(err, os.ErrNotExist) {
		return "no index yet", x.create()
	}
	b, reason, err := openChecked(x.dir, readOnly)
	switch {
	case b != nil:
		x.put(b)
		x.readOnly.Store(readOnly)
		x.fresh.Store(false)
		x.rebuilding.Store(false)
		x.partial.Store(true)
		return "", nil
	case isStorageFull(err):
		// The files may be sound: keep them, try again later.
		x.broken.Store(true)
		return "", err
	}
	return reason, x.replace()
}

// replace deletes the index files and creates an empty index.
func (x *Index) replace() error {
	if err := os.RemoveAll(x.dir); err != nil {
		x.broken.Store(true)
		return fmt.Errorf("removing the old search index: %w", err)
	}
	return x.create()
}

// create makes an empty index. Its mapping version is written only when a
// rebuild completes, so an interrupted rebuild is redone at the next start.
// When it fails, the index stays broken and the follower tries again.
func (x *Index) create() error {
	x.fresh.Store(true)
	x.partial.Store(true)
	x.rebuilding.Store(true)
	b, err := bleve.New(x.dir, x.bleve.mapping)
	if err != nil {
		x.broken.Store(true)
		return fmt.Errorf("creating the search index in %s: %w", x.dir, err)
	}
	x.put(b)
	return nil
}

func (x *Index) put(b bleve.Index) {
	x.bleve.mu.Lock()
	x.bleve.set(b)
	x.bleve.mu.Unlock()
}

// Close closes the index files; closing again does nothing.
func (x *Index) Close() error {
	x.closeOnce.Do(func() {
		x.closed.Store(true)
		x.closeErr = x.bleve.close()
	})
	return x.closeErr
}

// NeedsRebuild reports whether the index was created empty.
func (x *Index) NeedsRebuild() bool { return x.fresh.Load() }

// Partial reports whether searches may miss pages because the index is
// catching up with the store or being rebuilt.
func (x *Index) Partial() bool { return x.partial.Load() }

// LastSeq returns the sequence number of the last change applied.
func (x *Index) LastSeq() (uint64, error) {
	v, err := x.bleve.GetInternal(keySeq)
	if err != nil {
		return 0, fmt.Errorf("reading the index's last change: %w", err)
	}
	if len(v) != 8 {
		return 0, nil
	}
	return binary.BigEndian.Uint64(v), nil
}

// DocCount returns the number of indexed pages.
func (x *Index) DocCount() (uint64, error) { return x.bleve.DocCount() }

// staleIDs returns the indexed pages that are not among live: nothing on
// a first rebuild, the pages deleted meanwhile when a rebuild is retried.
func (x *Index) staleIDs(ctx context.Context, live []wiki.Head) ([]string, error) {
	n, err := x.bleve.DocCount()
	if err != nil || n == 0 {
		return nil, err
	}
	keep := make(map[string]bool, len(live))
	for _, h := range live {
		keep[h.Path.String()] = true
	}
	req := bleve.NewSearchRequestOptions(query.NewMatchAllQuery(), int(n), 0, false)
	sr, err := x.bleve.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("listing the indexed pages: %w", err)
	}
	var out []string
	for _, h := range sr.Hits {
		if !keep[h.ID] {
			out = append(out, h.ID)
		}
	}
	return out, nil
}

// spellingKey is where the index keeps how a front-matter value is most
// often written (« résolu ») under its folded key (resolu), so that a facet,
// which counts folded keys, shows a word as members write it. The counts
// behind the choice are kept under the same key with a "#" suffix.
func spellingKey(field, key string) []byte {
	return []byte("clubwiki.spelling\x00" + field + "\x00" + key)
}

// maxSpellings bounds the spellings counted for one value.
const maxSpellings = 16

// recordSpellings counts, in b, the spellings of the facet values of docs
// and records the most frequent of each value. Counts only grow (an edit
// that drops a spelling does not take it back): they pick a spelling to
// show, nothing else; a rebuild starts them again.
func recordSpellings(b *bleve.Batch, get func([]byte) ([]byte, error), docs []doc) error {
	counts := map[string]map[string]int{} // spelling key → spelling → count
	for i := range docs {
		var err error
		docs[i].eachFacetValue(func(field, value string) {
			k := string(spellingKey(field, KeyOf(value)))
			c, ok := counts[k]
			if !ok {
				c = map[string]int{}
				if raw, gerr := get([]byte(k + "#")); gerr != nil {
					err = gerr
				} else if len(raw) > 0 {
					_ = json.Unmarshal(raw, &c) // a damaged count starts again
				}
				counts[k] = c
			}
			if _, seen := c[value]; seen || len(c) < maxSpellings {
				c[value]++
			}
		})
		if err != nil {
			return fmt.Errorf("reading facet spellings: %w", err)
		}
	}
	for k, c := range counts {
		raw, _ := json.Marshal(c)
		b.SetInternal([]byte(k+"#"), raw)
		b.SetInternal([]byte(k), []byte(mostFrequent(c)))
	}
	return nil
}

// mostFrequent returns the spelling with the highest count; ties go to the
// one that sorts first, so that the choice does not depend on map order.
func mostFrequent(c map[string]int) string {
	best, n := "", 0
	for s, k := range c {
		if k > n || k == n && s < best {
			best, n = s, k
		}
	}
	return best
}

// update is one batch: pages to (re)index, pages to drop, and the change
// sequence the index is at once it is applied.
type update struct {
	docs    []doc
	deletes []string
	seq     uint64 // 0: leave the recorded sequence alone
	done    bool   // a rebuild's last batch: record the mapping version
	store   string // the store's identity, recorded when not empty
	mark    string // changeMark of the change at seq, recorded when not empty
}

// apply writes u in one bleve batch, so the recorded sequence never gets
// ahead of the pages it covers.
func (x *Index) apply(u update) error {
	var gen uint64
	err := x.bleve.write(func(b *bleve.Batch, get func([]byte) ([]byte, error)) error {
		gen = x.bleve.gen // the guard's lock is held
		for i := range u.docs {
			if err := b.Index(u.docs[i].Path, &u.docs[i]); err != nil {
				return fmt.Errorf("indexing %s: %w", u.docs[i].Path, err)
			}
		}
		if err := recordSpellings(b, get, u.docs); err != nil {
			return err
		}
		for _, id := range u.deletes {
			b.Delete(id)
		}
		if u.seq > 0 {
			b.SetInternal(keySeq, binary.BigEndian.AppendUint64(nil, u.seq))
		}
		if u.store != "" {
			b.SetInternal(keyStore, []byte(u.store))
		}
		if u.mark != "" {
			b.SetInternal(keyMark, []byte(u.mark))
		}
		if u.done {
			b.SetInternal(keyVersion, []byte(MappingVersion))
		}
		// The facet table takes the batch before the index does, so
		// that no reader finds the new sequence with the old table
		// (views answered from it are cached under that sequence);
		// should the batch fail, the table is loaded again.
		x.facets.apply(gen, u.docs, u.deletes)
		return nil
	})
	if err != nil {
		x.facets.invalidate()
		return fmt.Errorf("writing to the search index: %w", err)
	}
	if u.done {
		x.fresh.Store(false)
		x.rebuilding.Store(false)
	}
	return nil
}
