package main

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"math"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strings"
	"testing"
	"time"
)

func TestByteSize_Set(t *testing.T) {
	tests := []struct {
		in   string
		want int64
	}{
		{"256MiB", 256 << 20},
		{"1GiB", 1 << 30},
		{"64KiB", 64 << 10},
		{"2TiB", 2 << 40},
		{"1048576", 1 << 20},
		{"1048576B", 1 << 20},
		{" 300MiB ", 300 << 20},
		{"off", math.MaxInt64},
		{"0", math.MaxInt64},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			var b byteSize
			if err := b.Set(tt.in); err != nil {
				t.Fatalf("Set(%q): %v", tt.in, err)
			}
			if int64(b) != tt.want {
				t.Errorf("Set(%q) = %d, want %d", tt.in, b, tt.want)
			}
		})
	}
	for _, bad := range []string{"", "lots", "256MB", "-1MiB", "1.5GiB", "MiB", "99999999999TiB"} {
		t.Run("refuses "+bad, func(t *testing.T) {
			var b byteSize
			if err := b.Set(bad); err == nil {
				t.Errorf("Set(%q) = %d, want an error", bad, b)
			}
		})
	}
}

func TestByteSize_String(t *testing.T) {
	for in, want := range map[int64]string{256 << 20: "256MiB", 1 << 30: "1GiB", 1000: "1000B", math.MaxInt64: "off"} {
		if got := byteSize(in).String(); got != want {
			t.Errorf("byteSize(%d) = %q, want %q", in, got, want)
		}
	}
}

// serveLimit starts serve with args and env, returns the memory limit in
// force while it serves and its stderr, and stops it.
func serveLimit(t *testing.T, env map[string]string, args ...string) (int64, string) {
	t.Helper()
	for k, v := range env {
		t.Setenv(k, v)
	}
	before := debug.SetMemoryLimit(-1)
	ctx, cancel := context.WithCancel(t.Context())
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	go func() {
		code := run(ctx, append([]string{"serve", "--addr", "127.0.0.1:0", "--data", t.TempDir()}, args...), strings.NewReader(""), io.Discard, pw)
		pw.Close()
		done <- code
	}()
	var stderr syncBuffer
	waitServing(t, pr, &stderr)
	limit := debug.SetMemoryLimit(-1)
	cancel()
	go io.Copy(io.Discard, pr)
	if code := <-done; code != exitOK {
		t.Errorf("serve exit %d, want 0", code)
	}
	if after := debug.SetMemoryLimit(-1); after != before {
		t.Errorf("the limit after serve is %d, want the one before, %d", after, before)
	}
	return limit, stderr.String()
}

func TestRun_ServeMemoryLimit(t *testing.T) {
	t.Run("default", func(t *testing.T) {
		limit, log := serveLimit(t, map[string]string{"GOMEMLIMIT": "", "CLUBWIKI_MEMORY_LIMIT": ""})
		if limit != defaultMemoryLimit {
			t.Errorf("limit %d, want the default %d", limit, defaultMemoryLimit)
		}
		if !strings.Contains(log, "memory_limit=64MiB") {
			t.Errorf("the start-up log does not give the limit:\n%s", log)
		}
	})
	t.Run("flag", func(t *testing.T) {
		limit, _ := serveLimit(t, map[string]string{"CLUBWIKI_MEMORY_LIMIT": "1GiB"}, "--memory-limit", "300MiB")
		if limit != 300<<20 {
			t.Errorf("limit %d, want 300 MiB from the flag over the environment", limit)
		}
	})
	t.Run("environment", func(t *testing.T) {
		limit, _ := serveLimit(t, map[string]string{"CLUBWIKI_MEMORY_LIMIT": "1GiB", "GOMEMLIMIT": "100MiB"})
		if limit != 1<<30 {
			t.Errorf("limit %d, want 1 GiB from CLUBWIKI_MEMORY_LIMIT", limit)
		}
	})
	t.Run("off", func(t *testing.T) {
		limit, log := serveLimit(t, nil, "--memory-limit", "off")
		if limit != math.MaxInt64 {
			t.Errorf("limit %d, want none", limit)
		}
		if !strings.Contains(log, "memory_limit=off") {
			t.Errorf("the start-up log does not say there is no limit:\n%s", log)
		}
	})
	t.Run("GOMEMLIMIT is left to the runtime", func(t *testing.T) {
		// The runtime reads GOMEMLIMIT when the process starts; serve
		// must then leave the limit it set alone.
		prev := debug.SetMemoryLimit(123 << 20)
		defer debug.SetMemoryLimit(prev)
		limit, log := serveLimit(t, map[string]string{"GOMEMLIMIT": "123MiB", "CLUBWIKI_MEMORY_LIMIT": ""})
		if limit != 123<<20 {
			t.Errorf("limit %d, want GOMEMLIMIT's 123 MiB", limit)
		}
		if !strings.Contains(log, "memory_limit=123MiB") {
			t.Errorf("the start-up log does not give GOMEMLIMIT's limit:\n%s", log)
		}
	})
	t.Run("bad value is a usage error", func(t *testing.T) {
		r := runCLI(t, "", "serve", "--addr", "127.0.0.1:0", "--data", t.TempDir(), "--memory-limit", "beaucoup")
		if r.code != exitUsage || !strings.Contains(r.stderr, "memory-limit") {
			t.Errorf("exit %d, want %d and a message naming --memory-limit; stderr:\n%s", r.code, exitUsage, r.stderr)
		}
	})
	t.Run("bad environment is a usage error", func(t *testing.T) {
		t.Setenv("CLUBWIKI_MEMORY_LIMIT", "beaucoup")
		r := runCLI(t, "", "serve", "--addr", "127.0.0.1:0", "--data", t.TempDir())
		if r.code != exitUsage || !strings.Contains(r.stderr, "CLUBWIKI_MEMORY_LIMIT") {
			t.Errorf("exit %d, want %d and a message naming CLUBWIKI_MEMORY_LIMIT; stderr:\n%s", r.code, exitUsage, r.stderr)
		}
	})
}

func TestShouldRelease(t *testing.T) {
	tests := []struct {
		name       string
		free, live uint64
		want       bool
	}{
		{"burst over: much free, little live", 900 << 20, 40 << 20, true},
		{"little free", 12 << 20, 4 << 20, false},
		{"after a burst, as much free as live", 40 << 20, 40 << 20, true},
		{"free less than half the live heap", 40 << 20, 100 << 20, false},
		{"busy: live heap larger than the free part", 200 << 20, 600 << 20, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := shouldRelease(tt.free, tt.live); got != tt.want {
				t.Errorf("shouldRelease(%d MiB free, %d MiB live) = %v, want %v", tt.free>>20, tt.live>>20, got, tt.want)
			}
		})
	}
}

// heapFree is the free heap memory not yet returned to the system.
func heapFree() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/free:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// burst allocates and drops n bytes in 1 MiB pieces, then collects them.
func burst(n int) {
	keep := make([][]byte, 0, n>>20)
	for range n >> 20 {
		b := make([]byte, 1<<20)
		b[0] = 1
		keep = append(keep, b)
	}
	runtime.KeepAlive(keep)
	keep = nil
	runtime.GC()
}

func TestReleaser_Tick(t *testing.T) {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	t.Run("gives memory back after a burst", func(t *testing.T) {
		burst(256 << 20)
		before := heapFree()
		if before < releaseMinFree {
			t.Skipf("the runtime kept only %d MiB free after the burst", before>>20)
		}
		r := newReleaser(log)
		if !r.tick(time.Now()) {
			t.Fatalf("no release with %d MiB free", before>>20)
		}
		if after := heapFree(); after > before/2 {
			t.Errorf("free heap %d MiB after the release, was %d MiB", after>>20, before>>20)
		}
		// The runtime may give a burst back on its own before the tick
		// (its scavenger, a collection by another test): then there is
		// rightly nothing to release, so a few bursts are tried.
		for try := 1; ; try++ {
			burst(256 << 20)
			if r.tick(time.Now()) {
				t.Fatalf("released again within %s", releaseMinGap)
			}
			if r.tick(time.Now().Add(releaseMinGap)) {
				break
			}
			if try == 5 {
				t.Fatalf("no release %s later, in %d bursts (free heap now %d MiB)", releaseMinGap, try, heapFree()>>20)
			}
		}
	})
	t.Run("leaves a busy heap alone", func(t *testing.T) {
		live := make([][]byte, 512)
		for i := range live {
			live[i] = make([]byte, 1<<20)
		}
		burst(128 << 20)
		if newReleaser(log).tick(time.Now()) {
			t.Errorf("released with a live heap of 512 MiB")
		}
		runtime.KeepAlive(live)
	})
}

// BenchmarkReleaser_FreeOSMemory is the cost of one release with a small
// live heap (a quiet wiki) after a 256 MiB burst.
func BenchmarkReleaser_FreeOSMemory(b *testing.B) {
	live := make([][]byte, 32)
	for i := range live {
		live[i] = make([]byte, 1<<20)
	}
	for b.Loop() {
		b.StopTimer()
		burst(256 << 20)
		b.StartTimer()
		debug.FreeOSMemory()
	}
	runtime.KeepAlive(live)
}

func TestServe_CacheSize(t *testing.T) {
	t.Run("default", func(t *testing.T) {
		_, log := serveLimit(t, nil)
		if !strings.Contains(log, "cache_size=8MiB") {
			t.Errorf("the start-up log does not give the default cache size of 8 MiB:\n%s", log)
		}
	})
	t.Run("set", func(t *testing.T) {
		_, log := serveLimit(t, nil, "--cache-size", "8MiB")
		if !strings.Contains(log, "cache_size=8MiB") {
			t.Errorf("the start-up log does not give --cache-size 8MiB:\n%s", log)
		}
	})
	for _, bad := range []string{"beaucoup", "off", "4GiB"} {
		t.Run("refuses "+bad, func(t *testing.T) {
			r := runCLI(t, "", "serve", "--addr", "127.0.0.1:0", "--data", t.TempDir(), "--cache-size", bad)
			if r.code != exitUsage || !strings.Contains(r.stderr, "cache-size") {
				t.Errorf("exit %d, want %d and a message naming --cache-size; stderr:\n%s", r.code, exitUsage, r.stderr)
			}
		})
	}
}

func TestReleaser_ReleaseMapped(t *testing.T) {
	var logged strings.Builder
	r := newReleaser(slog.New(slog.NewTextHandler(&logged, nil)))
	var store, index int
	r.mapped = []*mappedFiles{
		{every: storeMappedEvery, release: func() error { store++; return errors.New("disque fatigué") }},
		{every: mappedEvery, release: func() error { index++; return nil }},
	}
	start := time.Now()
	if !r.releaseMapped(start) || store != 1 || index != 1 {
		t.Fatalf("first tick: %d and %d calls, want both files released", store, index)
	}
	if r.releaseMapped(start.Add(storeMappedEvery/4)) || store != 1 || index != 1 {
		t.Errorf("released again within %s", storeMappedEvery)
	}
	// Each at its own pace: the store every tick, the index once in
	// mappedEvery.
	ticks := int(mappedEvery / storeMappedEvery)
	for i := 1; i <= ticks; i++ {
		r.releaseMapped(start.Add(time.Duration(i) * storeMappedEvery))
	}
	if store != 1+ticks || index != 2 {
		t.Errorf("after %s: store released %d times, index %d; want %d and 2", mappedEvery, store, index, 1+ticks)
	}
	if !strings.Contains(logged.String(), "disque fatigué") {
		t.Errorf("a failed release is not logged:\n%s", logged.String())
	}
}

// TestWhileUsed checks the index's release while idle: every call while
// the index was used within the last two seconds, else once a second.
func TestWhileUsed(t *testing.T) {
	base := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	now, used := base, base
	released := 0
	r := whileUsed(func() error { released++; return nil }, func() time.Time { return used },
		2*time.Second, time.Second, func() time.Time { return now })
	step := func(d time.Duration, calls int) int {
		before := released
		for range calls {
			now = now.Add(d)
			if err := r(); err != nil {
				t.Fatal(err)
			}
		}
		return released - before
	}
	// Used just now: each call of the next two seconds releases.
	if got := step(25*time.Millisecond, 80); got != 80 {
		t.Errorf("while used: %d releases of 80 calls", got)
	}
	// Idle since: one release a second, forty calls a second.
	if got := step(25*time.Millisecond, 400); got < 9 || got > 11 {
		t.Errorf("idle for 10 s: %d releases, want about 10", got)
	}
	// Used again: every call releases at once.
	used = now
	if got := step(25*time.Millisecond, 4); got != 4 {
		t.Errorf("used again: %d releases of 4 calls", got)
	}
	// A release that fails says so.
	errRelease := errors.New("madvise failed")
	fail := whileUsed(func() error { return errRelease }, func() time.Time { return now }, time.Second, time.Second, func() time.Time { return now })
	if err := fail(); err != errRelease {
		t.Errorf("error %v, want %v", err, errRelease)
	}
}
