package wiki

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"log/slog"
	"sync/atomic"
	"time"
)

// ChangeReader is the part of the store a follower reads: the change log,
// oldest first.
type ChangeReader interface {
	ChangesAfter(ctx context.Context, since uint64, limit int) ([]Change, error)
}

// Applier is what a Follower keeps in step with the change log: a search
// index, a cache, a feed. Its owner stores the cursor durably, in the same
// write as what it derives from the changes, so that a restart resumes
// exactly where the last write ended, neither skipping nor (harmfully)
// repeating a change.
type Applier interface {
	// Cursor returns the sequence of the last change applied, 0 for none.
	Cursor(ctx context.Context) (uint64, error)
	// Apply applies changes (oldest first, consecutive in the log) and
	// returns the new cursor, normally the last change's Seq.
	Apply(ctx context.Context, changes []Change) (uint64, error)
}

// Keeper is an Applier with a state of its own to look after besides the
// cursor, such as an index that a full disk can break and that must be
// repaired or rebuilt. The Follower calls these hooks when it implements it.
type Keeper interface {
	Applier
	// Tend runs at every wake-up, even while the wait after a failure
	// runs. It returns false to skip this attempt, and a bound on the
	// wait before the next wake-up (0: no bound).
	Tend(ctx context.Context) (ready bool, within time.Duration)
	// Prepare runs before each attempt to catch up; an error is a
	// failure, tried again like one of Apply.
	Prepare(ctx context.Context) error
	// CaughtUp runs after each attempt that reached the end of the log.
	CaughtUp()
	// Wakeups wakes the follower besides commits (a fault to repair).
	Wakeups() <-chan struct{}
}

// Clock is the time a Follower waits by; tests give their own.
type Clock interface {
	Now() time.Time
	After(d time.Duration) <-chan time.Time
}

type realClock struct{}

func (realClock) Now() time.Time                         { return time.Now() }
func (realClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

// Defaults of a Follower.
const (
	DefaultFollowBatch = 500
	DefaultPoll        = 30 * time.Second // safety net besides the wake-up
	DefaultRetryFirst  = time.Second
	DefaultRetryMax    = time.Minute
)

// RetryDelay is the wait after failures in a row (at least 1): first,
// doubled at each further failure, up to most.
func RetryDelay(first, most time.Duration, failures int) time.Duration {
	d := cmp.Or(first, DefaultRetryFirst)
	most = cmp.Or(most, DefaultRetryMax)
	for i := 1; i < failures && d < most; i++ {
		d *= 2
	}
	return min(d, most)
}

// Follower applies the change log to an Applier, in order and in batches:
// it catches up from the Applier's cursor when it starts, then at each
// wake-up (a commit) or poll. Nothing stops it but its context: a failure
// (an error or a panic of the Applier, an unreadable log) is logged and
// tried again after a wait that doubles at each failure in a row.
type Follower struct {
	Log     ChangeReader
	Applier Applier
	// Watch returns a channel closed at the next commit (the store's
	// ChangeLog.Watch). Nil: the follower only polls.
	Watch      func(ctx context.Context) <-chan struct{}
	Batch      int           // changes per Apply; default 500
	Poll       time.Duration // wait when idle; default 30 s
	RetryFirst time.Duration // wait after a first failure; default 1 s
	RetryMax   time.Duration // the longest wait after failures; default 1 min
	Clock      Clock         // default the system's
	Logger     *slog.Logger
	Name       string // what it keeps, for the logs

	caughtUp atomic.Bool
	failures int       // failures in a row
	next     time.Time // no attempt before
}

// CaughtUp reports whether the last attempt reached the end of the log
// without failing.
func (f *Follower) CaughtUp() bool { return f.caughtUp.Load() }

func (f *Follower) clock() Clock {
	if f.Clock != nil {
		return f.Clock
	}
	return realClock{}
}

func (f *Follower) logger() *slog.Logger {
	if f.Logger != nil {
		return f.Logger
	}
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}

// Run follows the log until ctx ends, and returns nil then. A Follower
// runs once at a time: it keeps the count of failures in a row.
func (f *Follower) Run(ctx context.Context) error {
	keeper, _ := f.Applier.(Keeper)
	var faults <-chan struct{}
	if keeper != nil {
		faults = keeper.Wakeups()
	}
	for {
		var wake <-chan struct{}
		if f.Watch != nil {
			wake = f.Watch(ctx) // before reading the log: no commit slips by
		}
		within := f.round(ctx, keeper)
		if ctx.Err() != nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return nil
		case <-wake:
		case <-faults:
		case <-f.clock().After(f.wait(within)):
		}
	}
}

// wait is how long to sleep: until the next attempt after a failure,
// else a poll, at most within when it is set.
func (f *Follower) wait(within time.Duration) time.Duration {
	d := cmp.Or(f.Poll, DefaultPoll)
	if f.failures > 0 {
		d = f.next.Sub(f.clock().Now())
	}
	if within > 0 {
		d = min(d, within)
	}
	return max(d, time.Millisecond)
}

// round makes one attempt to catch up when one is due, and returns the
// keeper's bound on the next wait.
func (f *Follower) round(ctx context.Context, keeper Keeper) time.Duration {
	var within time.Duration
	if keeper != nil {
		var ready bool
		if ready, within = keeper.Tend(ctx); !ready {
			return within
		}
	}
	if f.clock().Now().Before(f.next) {
		return within
	}
	err := f.attempt(ctx, keeper)
	switch {
	case err == nil:
		f.failures, f.next = 0, time.Time{}
		f.caughtUp.Store(true)
		if keeper != nil {
			keeper.CaughtUp()
		}
	case ctx.Err() == nil:
		f.caughtUp.Store(false)
		f.failures++
		d := RetryDelay(f.RetryFirst, f.RetryMax, f.failures)
		f.next = f.clock().Now().Add(d)
		f.logger().Error(cmp.Or(f.Name, "follower")+": applying changes, will try again", "error", err, "in", d)
	}
	return within
}

// attempt prepares the keeper and catches up; a panic is a failure.
func (f *Follower) attempt(ctx context.Context, keeper Keeper) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%s: panic: %v", cmp.Or(f.Name, "follower"), p)
		}
	}()
	if keeper != nil {
		if err := keeper.Prepare(ctx); err != nil {
			return err
		}
	}
	_, err = f.CatchUp(ctx)
	return err
}

// CatchUp applies every change after the Applier's cursor, in batches, and
// returns how many it applied. It stops at the first failure: the cursor
// says where the next attempt resumes.
func (f *Follower) CatchUp(ctx context.Context) (int, error) {
	total := 0
	for {
		since, err := f.Applier.Cursor(ctx)
		if err != nil {
			return total, err
		}
		changes, err := f.Log.ChangesAfter(ctx, since, cmp.Or(f.Batch, DefaultFollowBatch))
		if err != nil || len(changes) == 0 {
			return total, err
		}
		next, err := f.Applier.Apply(ctx, changes)
		if err != nil {
			return total, err
		}
		if next <= since {
			return total, fmt.Errorf("%s: the cursor stays at %d after applying changes up to %d",
				cmp.Or(f.Name, "follower"), since, changes[len(changes)-1].Seq)
		}
		total += len(changes)
	}
}
