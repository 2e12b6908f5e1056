package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
)

// tally counts answers by status and keeps latencies, per kind of request.
type tally struct {
	mu    sync.Mutex
	kinds map[string]*kindStats
	order []string
}

type kindStats struct {
	status map[string]int
	lat    []time.Duration // of every answer, errors included
	fails  int             // answers that count as failures for a member
}

func newTally() *tally { return &tally{kinds: map[string]*kindStats{}} }

func (t *tally) add(kind, status string, d time.Duration, failed bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	k := t.kinds[kind]
	if k == nil {
		k = &kindStats{status: map[string]int{}}
		t.kinds[kind] = k
		t.order = append(t.order, kind)
	}
	k.status[status]++
	k.lat = append(k.lat, d)
	if failed {
		k.fails++
	}
}

// statusOf names the outcome of a request: its HTTP status, or the kind
// of transport failure.
func statusOf(code int, err error) string {
	var ne net.Error
	switch {
	case err == nil:
		return fmt.Sprint(code)
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return "timeout"
	case strings.Contains(err.Error(), "connection refused"):
		return "refused"
	case strings.Contains(err.Error(), "reset"), strings.Contains(err.Error(), "EOF"):
		return "reset"
	}
	return "error"
}

// percentile returns the p-th percentile (0–100) of sorted durations, by
// the nearest-rank method.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(p/100*float64(len(sorted))+0.5) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}

// summary of one kind: count, p50, p99, max.
type summary struct {
	n             int
	p50, p99, max time.Duration
	status        map[string]int
	fails         int
}

func (t *tally) summary(kind string) summary {
	t.mu.Lock()
	defer t.mu.Unlock()
	k := t.kinds[kind]
	if k == nil {
		return summary{}
	}
	lat := slices.Clone(k.lat)
	slices.Sort(lat)
	return summary{n: len(lat), p50: percentile(lat, 50), p99: percentile(lat, 99), max: lat[len(lat)-1], status: k.status, fails: k.fails}
}

// statuses formats counts as "200×12 429×3", in status order.
func statuses(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for i, k := range keys {
		if i > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "%s×%d", k, m[k])
	}
	return b.String()
}
