package search

import (
	"errors"

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
