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
	cpu             time.Duration // user + system CPU time used so far
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
	if err := sc.Err(); err != nil {
		return sample{}, err
	}
	s.cpu, err = cpuTime(pid)
	return s, err
}

// cpuTime reads the user and system time of pid from /proc/<pid>/stat, in
// clock ticks of 10 ms (USER_HZ is 100 on Linux).
func cpuTime(pid int) (time.Duration, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	// The command name, in parentheses, may hold spaces: count fields
	// after its closing parenthesis (utime and stime are fields 14 and 15).
	i := strings.LastIndexByte(string(b), ')')
	f := strings.Fields(string(b[i+1:]))
	if i < 0 || len(f) < 13 {
		return 0, fmt.Errorf("unexpected /proc/%d/stat", pid)
	}
	var ticks int64
	for _, v := range f[11:13] {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("unexpected /proc/%d/stat: %w", pid, err)
		}
		ticks += n
	}
	return time.Duration(ticks) * 10 * time.Millisecond, nil
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
