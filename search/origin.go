package search

import (
	"context"
	"fmt"
)

// CheckOrigin makes sure the index describes src. It records the identity
// of the store it indexes; an index that belongs to another store
// (foreign), or that has applied changes the store does not have (ahead:
// an older backup of the store was put back), would answer with pages that
// do not exist and never index the changes numbered below its own. Such an
// index is emptied to be rebuilt, and reason says why ("" when it fits).
// It runs at start, before searches are served, and again when the
// follower starts.
func (x *Index) CheckOrigin(ctx context.Context, src Source) (reason string, err error) {
	if x.fresh.Load() || !x.bleve.isOpen() {
		return "", nil // empty or not open: the rebuild records the store
	}
	id, err := src.StoreID(ctx)
	if err != nil {
		return "", err
	}
	seq, err := src.LastSeq(ctx)
	if err != nil {
		return "", err
	}
	have, err := x.bleve.GetInternal(keyStore)
	if err != nil {
		return "", fmt.Errorf("reading the index's store: %w", err)
	}
	last, err := x.LastSeq()
	if err != nil {
		return "", err
	}
	switch {
	case len(have) > 0 && string(have) != id:
		reason = fmt.Sprintf("the index was built from another store (%s, this one is %s)", have, id)
	case last > seq:
		reason = fmt.Sprintf("the index is ahead of the store (change %d applied, the store ends at %d): was an older backup restored?", last, seq)
	case len(have) == 0:
		// An index from before stores had an identity: it fits, adopt it.
		return "", x.apply(update{store: id})
	default:
		return "", nil
	}
	if err := x.bleve.close(); err != nil {
		return reason, err
	}
	return reason, x.replace()
}
