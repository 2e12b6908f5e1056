package wiki_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kdecole-club/clubwiki/wiki"
)

// fileApplier derives from the log a file with one line per change
// applied ("seq path"), and keeps its cursor in that file: the last
// line. A new fileApplier on the same file is the same owner after a
// restart.
type fileApplier struct {
	path string

	mu     sync.Mutex
	seen   []uint64 // what this instance applied, in order
	fails  int      // Apply calls still to fail
	panics int      // Apply calls still to panic
	calls  int
}

var errApplyFailed = errors.New("apply failed (injected)")

func (a *fileApplier) Cursor(context.Context) (uint64, error) {
	lines, err := a.lines()
	if err != nil || len(lines) == 0 {
		return 0, err
	}
	return lines[len(lines)-1], nil
}

func (a *fileApplier) Apply(_ context.Context, changes []wiki.Change) (uint64, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.calls++
	if a.fails > 0 {
		a.fails--
		return 0, errApplyFailed
	}
	if a.panics > 0 {
		a.panics--
		panic("apply panicked (injected)")
	}
	var b strings.Builder
	for _, c := range changes {
		fmt.Fprintf(&b, "%d %s\n", c.Seq, c.Path)
		a.seen = append(a.seen, c.Seq)
	}
	fh, err := os.OpenFile(a.path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		return 0, err
	}
	if _, err := fh.WriteString(b.String()); err != nil {
		fh.Close()
		return 0, err
	}
	return changes[len(changes)-1].Seq, fh.Close()
}

// lines returns the sequences recorded in the file, in order.
func (a *fileApplier) lines() ([]uint64, error) {
	data, err := os.ReadFile(a.path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var seqs []uint64
	for line := range strings.Lines(string(data)) {
		seq, _, _ := strings.Cut(line, " ")
		n, err := strconv.ParseUint(seq, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("line %q: %w", line, err)
		}
		seqs = append(seqs, n)
	}
	return seqs, nil
}

func (a *fileApplier) seenNow() []uint64 {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]uint64(nil), a.seen...)
}

func (a *fileApplier) callsNow() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.calls
}

// fakeClock waits for nothing: a wait shorter than long fires at once,
// the clock moving on by it; a longer one (an idle poll) never fires.
// It records every wait asked for.
type fakeClock struct {
	long time.Duration

	mu    sync.Mutex
	now   time.Time
	waits []time.Duration
}

func newFakeClock(long time.Duration) *fakeClock {
	return &fakeClock{long: long, now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.waits = append(c.waits, d)
	if d >= c.long {
		return nil
	}
	c.now = c.now.Add(d)
	ch := make(chan time.Time, 1)
	ch <- c.now
	return ch
}

func (c *fakeClock) waitsNow() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.waits...)
}

// running is a follower's Run in the background.
type running struct {
	cancel context.CancelFunc
	done   chan error
}

func startFollower(f *wiki.Follower) *running {
	ctx, cancel := context.WithCancel(context.Background())
	r := &running{cancel: cancel, done: make(chan error, 1)}
	go func() { r.done <- f.Run(ctx) }()
	return r
}

// stop cancels the follower and fails the test if it does not return
// (a generous bound, to detect a hang).
func (r *running) stop(t *testing.T) {
	t.Helper()
	r.cancel()
	select {
	case err := <-r.done:
		if err != nil {
			t.Errorf("Run returned %v, want nil", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return after its context ended")
	}
}

// eventually waits for cond, failing the test after a generous bound.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("still not %s after 10 s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

// logSeqs returns the sequences of the store's change log after since.
func logSeqs(t *testing.T, f *fixture, since uint64) []uint64 {
	t.Helper()
	changes, err := f.db.ChangesAfter(f.ctx, since, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	seqs := make([]uint64, len(changes))
	for i, c := range changes {
		seqs[i] = c.Seq
	}
	return seqs
}
