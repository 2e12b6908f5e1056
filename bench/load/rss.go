package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// sample is the server's memory at one moment.
type sample struct {
	at              time.Duration // since the attack started
	rss, anon, file int64         // VmRSS, RssAnon, RssFile in bytes
}

// readRSS reads the resident memory of pid from /proc/<pid>/status.
func readRSS(pid int) (sample, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return sample{}, err
	}
	defer f.Close()
	var s sample
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		name, value, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			continue
		}
		var dst *int64
		switch name {
		case "VmRSS":
			dst = &s.rss
		case "RssAnon":
			dst = &s.anon
		case "RssFile":
			dst = &s.file
		default:
			continue
		}
		kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(value), " kB"), 10, 64)
		if err != nil {
			return sample{}, fmt.Errorf("reading %s of process %d: %w", name, pid, err)
		}
		*dst = kb << 10
	}
	if s.rss == 0 {
		return sample{}, fmt.Errorf("process %d has no VmRSS (a zombie?)", pid)
	}
	return s, sc.Err()
}

// watcher samples a process's memory every period from start.
type watcher struct {
	pid    int
	start  time.Time
	period time.Duration
	// limit is the guard: past it the server is killed (onLimit) so that
	// a runaway does not take the shared machine down with it.
	limit   int64
	onLimit func()
}

// watch samples until ctx ends, the process is gone, or done says so for
// a sample. It returns the samples and whether the guard fired.
func (w *watcher) watch(ctx context.Context, done func(sample) bool) (out []sample, guarded bool) {
	t := time.NewTicker(w.period)
	defer t.Stop()
	for {
		s, err := readRSS(w.pid)
		if err != nil {
			return out, false
		}
		s.at = time.Since(w.start)
		out = append(out, s)
		if w.limit > 0 && s.rss > w.limit {
			w.onLimit()
			return out, true
		}
		if done != nil && done(s) {
			return out, false
		}
		select {
		case <-ctx.Done():
			return out, false
		case <-t.C:
		}
	}
}
