package main

import (
	"context"
	"errors"
	"flag"
	"log/slog"
	"math"
	"os"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"strings"
	"time"
)

// defaultMemoryLimit is serve's soft memory limit when neither
// --memory-limit, CLUBWIKI_MEMORY_LIMIT nor GOMEMLIMIT says otherwise. A
// wiki of 20,000 pages lives in about 30 MiB of live heap under load with
// its caches full (8 MiB, --cache-size); past the limit the garbage
// collector works harder (at most half the processors), and memory freed
// after a burst goes back to the system at once rather than the heap
// staying at its peak. Measured on two cores (bench/README.md, "Issue 8:
// a 64 MiB limit, the index released every 25 ms"): under issue 8's load
// at 20,000 pages the peak VmRSS was 102-106 MB at 80 MiB, 102-105 MB at
// 64 MiB with the index released every 100 ms, and 91-92 MB at 64 MiB
// with the index released every 25 ms and after each search; under issue
// 7's attack at 64 MiB the members' p99 stayed at 155-482 ms, under its
// 1 s bound.
const defaultMemoryLimit = 64 << 20

// byteSize is a number of bytes written as GOMEMLIMIT writes it: a whole
// number with an optional B, KiB, MiB, GiB or TiB suffix; "off" or 0 for
// no limit (math.MaxInt64, as the runtime says it).
type byteSize int64

var sizeUnits = []struct {
	suffix string
	shift  uint
}{{"TiB", 40}, {"GiB", 30}, {"MiB", 20}, {"KiB", 10}, {"B", 0}}

func (b *byteSize) Set(s string) error {
	s = strings.TrimSpace(s)
	if s == "off" || s == "0" {
		*b = math.MaxInt64
		return nil
	}
	var shift uint
	for _, u := range sizeUnits {
		if rest, ok := strings.CutSuffix(s, u.suffix); ok {
			s, shift = rest, u.shift
			break
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 || n > math.MaxInt64>>shift {
		return errors.New(`want a size such as 256MiB or 1GiB (suffix B, KiB, MiB, GiB or TiB), or "off"`)
	}
	*b = byteSize(n << shift)
	return nil
}

func (b byteSize) String() string {
	if b == math.MaxInt64 {
		return "off"
	}
	for _, u := range sizeUnits {
		if u.shift > 0 && b != 0 && b%(1<<u.shift) == 0 {
			return strconv.FormatInt(int64(b)>>u.shift, 10) + u.suffix
		}
	}
	return strconv.FormatInt(int64(b), 10) + "B"
}

// memoryLimitFlag adds --memory-limit to fs. Its default comes from
// CLUBWIKI_MEMORY_LIMIT, else from GOMEMLIMIT, which the runtime has
// already applied (keepRuntime: serve leaves it alone), else
// defaultMemoryLimit.
func memoryLimitFlag(fs *flag.FlagSet, limit *byteSize, keepRuntime *bool) error {
	*limit = defaultMemoryLimit
	switch env, goenv := os.Getenv("CLUBWIKI_MEMORY_LIMIT"), os.Getenv("GOMEMLIMIT"); {
	case env != "":
		if err := limit.Set(env); err != nil {
			return usagef("CLUBWIKI_MEMORY_LIMIT=%s: %v", env, err)
		}
	case goenv != "":
		*limit, *keepRuntime = byteSize(debug.SetMemoryLimit(-1)), true
	}
	fs.Var(&keepFlag{limit, keepRuntime}, "memory-limit", "soft memory limit of the server (e.g. 256MiB, 1GiB, off)")
	return nil
}

// keepFlag is a byteSize flag that, once set, overrides GOMEMLIMIT.
type keepFlag struct {
	size *byteSize
	keep *bool
}

func (k *keepFlag) String() string {
	if k.size == nil {
		return ""
	}
	return k.size.String()
}

func (k *keepFlag) Set(s string) error {
	*k.keep = false
	return k.size.Set(s)
}

// setMemoryLimit applies the limit unless GOMEMLIMIT already did, and
// the garbage collector's pace defaultGCPercent unless GOGC says
// otherwise; it returns a function that puts the previous ones back
// (serve may run inside a test process).
func setMemoryLimit(limit byteSize, keepRuntime bool) (restore func()) {
	prevGC := -2 // left alone
	if os.Getenv("GOGC") == "" {
		prevGC = debug.SetGCPercent(defaultGCPercent)
	}
	restoreGC := func() {
		if prevGC != -2 {
			debug.SetGCPercent(prevGC)
		}
	}
	if keepRuntime {
		return restoreGC
	}
	prev := debug.SetMemoryLimit(int64(limit))
	return func() { debug.SetMemoryLimit(prev); restoreGC() }
}

// defaultGCPercent is serve's GOGC when the environment does not set it:
// the heap may grow by half its live size between two collections, not
// by all of it (the runtime's 100). Under issue 8's load of saves, reads
// and searches at 20,000 pages, the live heap is 25–40 MB while bleve
// merges the segments the saves make; at 100 the heap reached 80 MB
// before a collection (bench/memory.sh: anonymous memory 83–93 MB median
// under load at 100, 53–85 MB at 50, on a machine at load average 20–37).
const defaultGCPercent = 50

// Memory given back after a burst (see releaser).
const (
	releaseEvery   = 2 * time.Second
	releaseMinFree = 16 << 20
	releaseMinGap  = 10 * time.Second
	// mappedEvery is how often the pages of the index's memory-mapped
	// segments are dropped from the resident memory. Under issue 8's
	// load, reads map pages back fast: a search touches the dictionaries,
	// postings and doc values of every segment, and the follower's
	// batches and bleve's merges read whole segments. At 100 ms the
	// index held up to 25 MB at the load's peaks; at 25 ms, with a
	// release after each search too, the peaks stayed under 100 MB. A
	// release reads /proc/self/maps and calls madvise once per segment,
	// well under a millisecond. The first release of a file also makes it
	// come back one page per fault rather than a large folio
	// (internal/mapped).
	mappedEvery = 25 * time.Millisecond
	// storeMappedEvery is how often the store's pages are dropped: its
	// release is a read transaction and two system calls
	// (store.DB.ReleaseMapped), and each lookup maps up to 64 KB of cached
	// neighbours (the kernel's fault-around). Under issue 8's load the
	// store came back to 13–20 MB between two releases 100 ms apart, up
	// to 13 MB between two 25 ms apart, and to at most 7 MB (mostly 0–4)
	// 10 ms apart.
	storeMappedEvery = 10 * time.Millisecond
	// searchReleaseGap is the least time between two releases of the
	// index's mapped pages done by searches as they finish (see
	// search.Index.ReleaseAfterSearches): a search reads the doc values
	// of every matching page for its facets, tens of megabytes of the
	// index mapped within a mappedEvery at 20,000 pages. At 5 ms nearly
	// every search drops what it mapped: under issue 8's load the search
	// p50 went from 12 to 17 ms.
	searchReleaseGap = 5 * time.Millisecond
)

// Timings of the search follower. Only this package's tests shorten them
// (main_test.go): they wait for the index after saves and after a full
// disk, and are about what the server does, not how long it lets saves
// gather or how it spaces its retries (the search package tests those).
var (
	// searchSettle is how long the search index lets saves gather into
	// one batch (search.Follower.Settle): under a load of saves, one
	// batch per save made bleve merge segments without pause.
	searchSettle = 300 * time.Millisecond
	// searchRetryEvery is the follower's first wait after a failure
	// (search.Follower.RetryEvery); zero: the follower's default.
	searchRetryEvery time.Duration
)

// releaser gives memory back to the system after a burst. The runtime
// returns free heap memory slowly, at about 1% of one CPU: after a flood
// of big requests the process stays near its peak for minutes although
// the heap it uses is small again. When the free, unreturned part is both
// sizeable and more than half the live heap, the burst is over (or paused) and a
// forced collection plus return is cheap: its cost grows with the live
// heap, which is then small. At most one every releaseMinGap.
//
// It also drops, every storeMappedEvery and mappedEvery, the pages of the
// files the store and the index read through memory mappings (mapped):
// left alone, every page ever read stays counted as the server's memory
// (the whole store after the index was rebuilt) although the kernel's
// page cache holds them.
type releaser struct {
	log     *slog.Logger
	last    time.Time
	samples []metrics.Sample
	mapped  []*mappedFiles
}

// mappedFiles is a release of memory-mapped files and how often to run it.
type mappedFiles struct {
	every   time.Duration
	release func() error
	last    time.Time
}

func newReleaser(log *slog.Logger) *releaser {
	return &releaser{log: log, samples: []metrics.Sample{
		{Name: "/memory/classes/heap/free:bytes"},
		{Name: "/gc/heap/live:bytes"},
	}}
}

// shouldRelease decides from the heap's free (unreturned) and live bytes.
func shouldRelease(free, live uint64) bool {
	return free >= releaseMinFree && free > live/2
}

// tick releases memory if the heap warrants it and reports whether it did.
func (r *releaser) tick(now time.Time) bool {
	if now.Sub(r.last) < releaseMinGap {
		return false
	}
	metrics.Read(r.samples)
	free, live := r.samples[0].Value.Uint64(), r.samples[1].Value.Uint64()
	if !shouldRelease(free, live) {
		return false
	}
	start := time.Now()
	debug.FreeOSMemory()
	r.last = now
	r.log.Debug("gave memory back to the system", "free_MiB", free>>20, "live_MiB", live>>20, "took", time.Since(start))
	return true
}

// mappedTick is how often releaseMapped must be called: the shortest
// period of its releases.
func (r *releaser) mappedTick() time.Duration {
	tick := time.Duration(0)
	for _, m := range r.mapped {
		if tick == 0 || m.every < tick {
			tick = m.every
		}
	}
	return tick
}

// releaseMapped runs each release of mapped files whose period has come,
// give or take half a tick (ticks come late and early), and reports
// whether it ran any.
func (r *releaser) releaseMapped(now time.Time) bool {
	ran, slack := false, r.mappedTick()/2
	for _, m := range r.mapped {
		if now.Sub(m.last) < m.every-slack {
			continue
		}
		m.last, ran = now, true
		if err := m.release(); err != nil {
			r.log.Warn("giving back the pages of a mapped file", "error", err)
		}
	}
	return ran
}

// whileUsed wraps a mapped file's release (store.DB.ReleaseMapped,
// search.Index.ReleaseMapped) for the releaser: it runs while the file was
// used (usedAt) less than after ago (bleve's merges follow the index's
// writes for a moment), and otherwise at most once every every. An idle file maps no new pages, and
// an idle server then releases each file once a second rather than every
// storeMappedEvery or mappedEvery.
func whileUsed(release func() error, usedAt func() time.Time, after, every time.Duration, now func() time.Time) func() error {
	var last time.Time // one releaser goroutine calls it
	return func() error {
		t := now()
		if t.Sub(usedAt()) > after && t.Sub(last) < every {
			return nil
		}
		last = t
		return release()
	}
}

// The releases of the mapped files while they are idle (whileUsed): the
// store's pages come only within transactions, the index's also from
// bleve's merges, which follow its writes for a moment.
const (
	storeIdleAfter  = 100 * time.Millisecond
	indexIdleAfter  = 2 * time.Second
	mappedIdleEvery = time.Second
)

// startReleaser runs a releaser until the returned stop is called, with
// the store's and the index's ReleaseMapped.
func startReleaser(ctx context.Context, log *slog.Logger, store, index func() error) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		r := newReleaser(log)
		r.mapped = []*mappedFiles{{every: storeMappedEvery, release: store}, {every: mappedEvery, release: index}}
		t := time.NewTicker(releaseEvery)
		defer t.Stop()
		m := time.NewTicker(r.mappedTick())
		defer m.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case now := <-m.C:
				r.releaseMapped(now)
			case now := <-t.C:
				r.tick(now)
			}
		}
	}()
	return func() {
		cancel()
		<-done
	}
}

// describeLimit is the limit in force, for the start-up log.
func describeLimit() string { return byteSize(debug.SetMemoryLimit(-1)).String() }
