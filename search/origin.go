package search

import (
	"context"
	"fmt"

	"github.com/kdecole-club/clubwiki/wiki"
)

// CheckOrigin makes sure the index describes src. It records the identity
// of the store it indexes; an index that belongs to another store
// (foreign), or that has applied changes the store does not have (ahead:
// an older backup of the store was put back; or other changes under the
// same numbers: a copy that went its own way), would answer with pages that
// do not exist and never index the changes numbered below its own. Such an
// index is emptied to be rebuilt, and reason says why ("" when it fits).
// It runs at start, before searches are served, and again when the
// follower starts.
func (x *Index) CheckOrigin(ctx context.Context, src Source) (reason string, err error) {
	if x.fresh.Load() || !x.bleve.isOpen() {
		return "", nil // empty or not open: the rebuild records the store
	}
	id, err := storeID(ctx, src)
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
	mark, err := x.bleve.GetInternal(keyMark)
	if err != nil {
		return "", fmt.Errorf("reading the index's last change: %w", err)
	}
	storeMark := ""
	if last <= seq && len(mark) > 0 {
		if storeMark, err = markAt(ctx, src, last); err != nil {
			return "", err
		}
	}
	switch {
	case len(have) > 0 && id != "" && string(have) != id:
		reason = fmt.Sprintf("the index was built from another store (%s, this one is %s)", have, id)
	case last > seq:
		reason = fmt.Sprintf("the index is ahead of the store (change %d applied, the store ends at %d): was an older backup restored?", last, seq)
	case len(mark) > 0 && string(mark) != storeMark:
		reason = fmt.Sprintf("the store's change %d is not the one the index applied: another copy of the store was restored", last)
	case len(have) == 0 && id != "":
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

// storeID returns the identity of src, "" when it has none.
func storeID(ctx context.Context, src Source) (string, error) {
	if s, ok := src.(interface {
		StoreID(ctx context.Context) (string, error)
	}); ok {
		return s.StoreID(ctx)
	}
	return "", nil
}

// changeMark tells one change from another with the same number: a copy
// of the store that went its own way since a backup numbers its changes
// like the original.
func changeMark(c wiki.Change) string {
	if !c.Kind.IsPage() {
		return fmt.Sprintf("%d %d %s %s", c.Seq, c.Time.UnixNano(), c.Kind, c.Subject)
	}
	return fmt.Sprintf("%d %d %s", c.Seq, c.Time.UnixNano(), c.Path)
}

// markAt returns the changeMark of the store's change seq ("" for none).
func markAt(ctx context.Context, src Source, seq uint64) (string, error) {
	if seq == 0 {
		return "", nil
	}
	cs, err := src.ChangesAfter(ctx, seq-1, 1)
	if err != nil || len(cs) == 0 || cs[0].Seq != seq {
		return "", err
	}
	return changeMark(cs[0]), nil
}
