package search

import (
	"fmt"

	"github.com/blevesearch/bleve/v2"
)

// openChecked opens the index in dir, or returns nil and why it is not
// usable. Bleve panics on some damaged files: that is a reason too.
func openChecked(dir string, verify bool) (b bleve.Index, reason string) {
	defer func() {
		if r := recover(); r != nil {
			if b != nil {
				_ = closeQuietly(b)
			}
			b, reason = nil, fmt.Sprintf("damaged index (opening it panicked: %v)", r)
		}
	}()
	b, err := bleve.Open(dir)
	if err != nil {
		return nil, fmt.Sprintf("unreadable index (%v)", err)
	}
	if v, err := b.GetInternal(keyVersion); err != nil || string(v) != MappingVersion {
		_ = closeQuietly(b)
		return nil, fmt.Sprintf("index version %q, want %q", v, MappingVersion)
	}
	if verify {
		if err := verifySegments(b); err != nil {
			_ = closeQuietly(b)
			return nil, fmt.Sprintf("damaged index (%v)", err)
		}
	}
	return b, ""
}

// closeQuietly closes an index that may be broken.
func closeQuietly(b bleve.Index) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	return b.Close()
}

// fault records that the index failed and wakes the follower, which
// repairs it. Searches say the index is being rebuilt meanwhile.
func (x *Index) fault(error) {
	x.partial.Store(true)
	x.rebuilding.Store(true)
	x.broken.Store(true)
	select {
	case x.faults <- struct{}{}:
	default:
	}
}

// Broken reports whether the index failed and waits for a repair.
func (x *Index) Broken() bool { return x.broken.Load() }

// repair closes the index and opens its files again, checking every
// segment; damaged or unusable files are replaced by an empty index to
// rebuild (reason says why). An index that failed only in memory (bleve
// panics after failing to write a segment to a full disk) comes back as
// it was last written, and the follower catches up from there.
func (x *Index) repair() (reason string, err error) {
	if x.closed.Load() {
		return "", errNoIndex
	}
	x.broken.Store(false) // a fault from now on calls for another repair
	if err := x.bleve.close(); err != nil {
		reason = err.Error()
	}
	r, err := x.load(true)
	if r != "" {
		reason = r
	}
	return reason, err
}

// check verifies the segments of the open index and reports damage as a
// fault, so that the follower rebuilds an index damaged on disk before a
// search stumbles on it.
func (x *Index) check() error {
	x.bleve.mu.RLock()
	b := x.bleve.b
	var err error
	if b != nil {
		err = verifySegments(b)
	}
	x.bleve.mu.RUnlock()
	if err != nil {
		x.fault(err)
	}
	return err
}
