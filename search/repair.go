package search

import (
	"errors"
	"fmt"
	"syscall"

	"github.com/blevesearch/bleve/v2"
)

// openChecked opens the index in dir, or returns nil and why it is not
// usable: its segment files are checked first (damaged ones are a
// reason), and bleve panics on some damaged files: that is a reason too.
// err is set when the files could not be opened at all.
func openChecked(dir string, readOnly bool) (b bleve.Index, reason string, err error) {
	defer func() {
		if r := recover(); r != nil {
			if b != nil {
				_ = closeQuietly(b)
			}
			b, reason = nil, fmt.Sprintf("damaged index (opening it panicked: %v)", r)
		}
	}()
	// Checked before bleve reads them: a damaged length in a segment can
	// make it allocate terabytes, a fatal error no recover catches (one
	// flipped byte in a doc-values header did so in a test).
	if err := verifySegmentFiles(dir); err != nil {
		return nil, fmt.Sprintf("damaged index (%v)", err), nil
	}
	if readOnly {
		b, err = bleve.OpenUsing(dir, map[string]any{"read_only": true})
	} else {
		b, err = bleve.Open(dir)
	}
	if err != nil {
		return nil, fmt.Sprintf("unreadable index (%v)", err), err
	}
	if v, err := b.GetInternal(keyVersion); err != nil || string(v) != MappingVersion {
		_ = closeQuietly(b)
		return nil, fmt.Sprintf("index version %q, want %q", v, MappingVersion), nil
	}
	return b, "", nil
}

// isStorageFull reports whether err says the disk is full.
func isStorageFull(err error) bool {
	return errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT)
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
func (x *Index) fault(_ error, writing bool) {
	x.writeFailed.Store(writing)
	x.partial.Store(true)
	if !writing {
		x.rebuilding.Store(true)
	}
	x.broken.Store(true)
	select {
	case x.faults <- struct{}{}:
	default:
	}
}

// Broken reports whether the index failed and waits for a repair.
func (x *Index) Broken() bool { return x.broken.Load() }

// repair closes the index and opens its files again. After a failed
// write (bleve panics on a segment it could not write to a full disk),
// the index is opened read-only: it answers searches as it was last
// written while the follower waits for room. Every segment is checked
// before it is opened (openChecked), and damaged or unusable files are
// replaced by an empty index to rebuild (reason says why).
func (x *Index) repair() (reason string, err error) {
	if x.closed.Load() {
		return "", errNoIndex
	}
	x.broken.Store(false) // a fault from now on calls for another repair
	x.bleve.reopening.Store(true)
	defer x.bleve.reopening.Store(false)
	if err := x.bleve.close(); err != nil {
		reason = err.Error()
	}
	wrote := x.writeFailed.Swap(false)
	r, err := x.load(wrote)
	if r != "" {
		reason = r
	}
	return reason, err
}

// writable opens again for writing an index opened read-only after a
// failed write: the follower tries to write again.
func (x *Index) writable() error {
	if !x.readOnly.Load() {
		return nil
	}
	x.bleve.reopening.Store(true)
	defer x.bleve.reopening.Store(false)
	if err := x.bleve.close(); err != nil {
		return err
	}
	_, err := x.load(false)
	return err
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
		x.fault(err, false)
	}
	return err
}
