package search

import (
	"errors"
	"sync/atomic"
	"time"

	"github.com/blevesearch/bleve/v2"

	"github.com/kdecole-club/clubwiki/internal/mapped"
)

// ReleaseMapped drops the pages of the index's segment files from the
// process's resident memory. Bleve reads its segments through memory
// mappings: every page a search or a merge touched stays counted as the
// server's memory, although the kernel's page cache holds the same bytes
// and the next search maps them again. The server calls it from time to
// time (cmd/clubwiki's releaser).
func (x *Index) ReleaseMapped() error {
	_, err := x.bleve.readOnce("releasing mapped pages", func(b bleve.Index) error {
		// The snapshot holds its segments mapped while they are released.
		return withSegments(b, func(paths []string) error { return mapped.Release(paths...) })
	})
	if errors.Is(err, errNoIndex) {
		return nil // closed for a repair: nothing is mapped
	}
	return err
}

// UsedAt returns when a search, a read or a write of the index last
// began or ended (zero if none has): the index maps no new pages while it
// is not used, but for bleve's merges, which follow writes. A long search
// thus counts until it ends, as the store's transactions do.
func (x *Index) UsedAt() time.Time {
	if n := x.bleve.used.Load(); n != 0 {
		return time.Unix(0, n)
	}
	return time.Time{}
}

// ReleaseAfterSearches makes each search drop the index pages it mapped
// when it is done (ReleaseMapped), at most once every gap across all
// searches; zero turns it off, the default. A search of common words
// reads the doc values of every page for its facets and sort: with 20,000
// pages, tens of megabytes mapped within a second under a load of
// searches, which a release every half second left counted in the
// server's memory.
func (x *Index) ReleaseAfterSearches(gap time.Duration) {
	x.release.gap.Store(int64(gap))
}

// afterSearchRelease is the state of ReleaseAfterSearches.
type afterSearchRelease struct {
	gap  atomic.Int64 // nanoseconds; 0: off
	last atomic.Int64 // when the last release started, Unix nanoseconds
}

// releaseAfterSearch releases the mapped pages unless another search did
// less than the gap ago. It runs in the search's goroutine: it costs a
// read of /proc/self/maps and an madvise per segment, well under a
// millisecond, and the search's pages are gone when it returns.
func (x *Index) releaseAfterSearch() {
	gap := x.release.gap.Load()
	if gap == 0 {
		return
	}
	now, last := time.Now().UnixNano(), x.release.last.Load()
	if now-last < gap || !x.release.last.CompareAndSwap(last, now) {
		return
	}
	_ = x.ReleaseMapped() // a failure leaves pages resident: the periodic release will say so
}
