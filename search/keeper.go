package search

import (
	"context"
	"fmt"
	"time"

	"github.com/kdecole-club/clubwiki/wiki"
)

// keeper is the index as the wiki.Follower sees it while it runs: an
// applier with an index to look after besides its cursor, rebuilt when
// empty and repaired when a fault broke it.
type keeper struct {
	applier
	r retry // of the repairs
}

var _ wiki.Keeper = (*keeper)(nil)

// Tend repairs a failed index, even while the follower waits after a
// failure to apply, so that searches answer from what was written. The
// next wake-up comes when the next repair is due.
func (k *keeper) Tend(context.Context) (bool, time.Duration) {
	if !k.f.Index.Broken() || k.repair(false) {
		return true, 0
	}
	return false, k.r.wait(pollEvery, true)
}

// Prepare opens the index for writing and rebuilds it when it is empty.
func (k *keeper) Prepare(ctx context.Context) (err error) {
	defer k.failing(&err)
	if err := k.f.Index.writable(); err != nil {
		return fmt.Errorf("opening the index for writing: %w", err)
	}
	if k.f.Index.NeedsRebuild() {
		start := time.Now()
		n, err := k.f.Rebuild(ctx)
		if err != nil {
			return fmt.Errorf("rebuilding: %w", err)
		}
		k.f.log().Info("search index rebuilt", "pages", n, "took", time.Since(start).Round(time.Millisecond))
		if k.f.Rebuilt != nil {
			k.f.Rebuilt()
		}
	}
	return nil
}

func (k *keeper) Apply(ctx context.Context, changes []wiki.Change) (_ uint64, err error) {
	defer k.failing(&err)
	return k.applier.Apply(ctx, changes)
}

// failing turns a panic (bleve's are caught by the guard; this is a last
// resort) into a fault, and repairs at once an index that a failure
// broke with the index in memory (a full disk), so that searches answer
// from what was written.
func (k *keeper) failing(err *error) {
	if p := recover(); p != nil {
		*err = fmt.Errorf("search index: panic: %v", p)
		k.f.Index.fault(*err, false)
	}
	if *err != nil && k.f.Index.Broken() {
		k.repair(true)
	}
}

// CaughtUp says searches are whole again.
func (k *keeper) CaughtUp() { k.f.Index.partial.Store(false) }

// Wakeups wakes the follower when a search meets a fault.
func (k *keeper) Wakeups() <-chan struct{} { return k.f.Index.faults }

// repair repairs the index and reports whether it is usable again. A
// failed repair is tried again after the growing wait; a repair for a
// fault met by searches (not by the follower itself: now) comes at least
// repairGap after the last one.
func (k *keeper) repair(now bool) bool {
	r := &k.r
	if !now && time.Now().Before(r.repaired) || r.stuck && !r.due() {
		return false
	}
	reason, err := k.f.Index.repair()
	if err != nil {
		r.stuck = true
		r.failed()
		k.f.log().Error("search index: repairing, will try again", "error", err, "in", time.Until(r.next).Round(time.Second))
		return false
	}
	r.succeeded()
	r.stuck, r.repaired = false, time.Now().Add(repairGap)
	if reason != "" {
		k.f.log().Warn("rebuilding the search index", "reason", reason)
	} else {
		k.f.log().Info("search index opened again after a failure")
	}
	return true
}

// repairGap is the least time between two repairs: a search error taken
// for damage must not have the index checked again and again.
const repairGap = 10 * time.Second

// retry spaces the repairs after failures.
type retry struct {
	first    time.Duration
	failures int       // failures in a row
	next     time.Time // no repair again before, after a failure
	repaired time.Time // no repair again before
	stuck    bool      // the last repair failed
}

func (r *retry) failed() {
	r.failures++
	r.next = time.Now().Add(wiki.RetryDelay(r.first, retryAtMost, r.failures))
}

func (r *retry) succeeded() { r.failures, r.next = 0, time.Time{} }

func (r *retry) due() bool { return !time.Now().Before(r.next) }

// wait is how long to sleep: until the next attempt due, else idle.
func (r *retry) wait(idle time.Duration, broken bool) time.Duration {
	d := idle
	if r.failures > 0 {
		d = time.Until(r.next)
	}
	if broken && !r.stuck { // a failed repair waits like any failure
		d = min(d, time.Until(r.repaired))
	}
	return max(d, time.Millisecond)
}
