package main

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"
)

// result is what one run measured.
type result struct {
	before        sample
	during, after []sample
	attackEnd     time.Duration // since the attack started
	guarded       bool          // the memory guard killed the server
	exit          string        // how the server ended, if it did by itself
	attackers     *tally
}

// attackAndWatch runs the attackers and the member for o.duration while
// sampling the server's memory, then watches memory for o.after (or until
// it is under the threshold).
func attackAndWatch(ctx context.Context, o options, srv *server, m *member, token string) (*result, error) {
	before, err := readRSS(srv.pid())
	if err != nil {
		return nil, err
	}
	r := &result{before: before, attackers: newTally()}
	start := time.Now()
	actx, cancel := context.WithTimeout(ctx, o.duration)
	defer cancel()
	w := &watcher{pid: srv.pid(), start: start, period: o.every, limit: o.guardMB * 1e6,
		onLimit: func() { srv.kill(); cancel() }}
	client := &http.Client{Timeout: o.attackTimeout, Transport: &http.Transport{MaxIdleConnsPerHost: o.clients}}
	list, err := attacks(o.only)
	if err != nil {
		return nil, err
	}
	fmt.Printf("attack: %d clients × %s (%d kinds of request), a member reading and saving; server %s (pid %d)\n",
		o.clients, o.duration, len(list), srv.url, srv.pid())
	var wg sync.WaitGroup
	for i := range o.clients {
		wg.Go(func() { attacker(actx, client, srv.url, token, list, i, r.attackers) })
	}
	wg.Go(func() { m.run(actx) })
	r.during, r.guarded = w.watch(actx, nil)
	cancel() // the server may have died before the end
	wg.Wait()
	r.attackEnd = time.Since(start)
	if srv.alive() && ctx.Err() == nil {
		fmt.Printf("attack over; watching memory for up to %s\n", o.after)
		wctx, stop := context.WithTimeout(ctx, o.after)
		defer stop()
		var guarded bool
		r.after, guarded = w.watch(wctx, func(s sample) bool { return s.rss < maxAfterRSS })
		r.guarded = r.guarded || guarded
	}
	return r, ctx.Err()
}

// print writes the report and returns the verdict.
func (r *result) print(o options, member *tally) bool {
	var v verdict
	r.printMember(member, &v)
	r.printAttackers()
	r.printMemory(o)
	peak := max(peakOf(r.during).rss, peakOf(r.after).rss)
	fell, fellOK := r.fall()
	v.check(!r.guarded && r.exit == "", "the server stayed up")
	// Work the server goes on with after the clients left is the
	// attack's too: the peak counts both phases.
	v.check(!r.guarded && peak < maxPeakRSS, "peak RSS %s < 300 MB, during the attack and after it", mb(peak))
	v.check(fellOK && fell <= maxAfterTime, "under 100 MB within 30 s after the attack")
	fmt.Println("verdict (issue 7):")
	fmt.Print(v.lines.String())
	if v.failed {
		fmt.Println("FAIL")
	} else {
		fmt.Println("PASS")
	}
	return !v.failed
}

// verdict collects the checks against the thresholds.
type verdict struct {
	lines  strings.Builder
	failed bool
}

func (v *verdict) check(ok bool, format string, args ...any) {
	mark := "ok  "
	if !ok {
		mark, v.failed = "FAIL", true
	}
	fmt.Fprintf(&v.lines, "  %s %s\n", mark, fmt.Sprintf(format, args...))
}

func (r *result) printMember(member *tally, v *verdict) {
	fmt.Println("member (one client: read JSON, read HTML, save, 50 ms pause):")
	for _, kind := range []string{readAPI, readHTML, save} {
		s := member.summary(kind)
		fmt.Printf("  %-22s n=%-5d p50 %-9s p99 %-9s max %-9s %s\n", kind, s.n, ms(s.p50), ms(s.p99), ms(s.max), statuses(s.status))
		v.check(s.n > 0 && s.p99 < maxP99, "%s: p99 %s < %s", kind, ms(s.p99), maxP99)
		v.check(s.n > 0 && s.fails == 0, "%s: every answer 2xx (%d failed of %d)", kind, s.fails, s.n)
	}
}

func (r *result) printAttackers() {
	fmt.Println("attackers (answers by status, \"unfinished\" when the attack ended first; p50/p99 of all):")
	for _, kind := range r.attackers.order {
		s := r.attackers.summary(kind)
		fmt.Printf("  %-50s n=%-5d p50 %-9s p99 %-9s %s\n", kind, s.n, ms(s.p50), ms(s.p99), statuses(s.status))
	}
}

func (r *result) printMemory(o options) {
	fmt.Println("server memory (VmRSS = anonymous + file-backed, sampled every", o.every.String()+"):")
	fmt.Printf("  before the attack  %s\n", mem(r.before))
	if len(r.during) == 0 {
		return
	}
	peak, end := peakOf(r.during), r.during[len(r.during)-1]
	fmt.Printf("  peak during        %s at +%.1f s\n", mem(peak), peak.at.Seconds())
	fmt.Printf("  end of the attack  %s at +%.1f s\n", mem(end), end.at.Seconds())
	cpu := fmt.Sprintf("%.1f s during the attack", (end.cpu - r.before.cpu).Seconds())
	if len(r.after) > 0 {
		last, peakAfter := r.after[len(r.after)-1], peakOf(r.after)
		fmt.Printf("  peak after         %s at +%.1f s\n", mem(peakAfter), peakAfter.at.Seconds())
		cpu += fmt.Sprintf(", %.1f s after it (work the clients had left)", (last.cpu - end.cpu).Seconds())
		if busy := lastBusy(r.after); busy.at > 0 {
			fmt.Printf("  server busy until  %.1f s after the attack (last CPU use), %s\n", (busy.at - r.attackEnd).Seconds(), mem(busy))
		}
		if fell, ok := r.fall(); ok {
			fmt.Printf("  under 100 MB       %.1f s after the attack\n", fell.Seconds())
		} else {
			fmt.Printf("  not under 100 MB   %.1f s after the attack: %s\n", (last.at - r.attackEnd).Seconds(), mem(last))
		}
	}
	fmt.Printf("  server CPU         %s\n", cpu)
	if r.guarded {
		fmt.Printf("  the server passed the guard of %d MB and was killed\n", o.guardMB)
	}
	if r.exit != "" {
		fmt.Printf("  the server died during the attack: %s\n", r.exit)
	}
}

// fall returns how long after the attack memory first went under the
// threshold.
func (r *result) fall() (time.Duration, bool) {
	for _, s := range r.after {
		if s.rss < maxAfterRSS {
			return s.at - r.attackEnd, true
		}
	}
	return 0, false
}

// lastBusy returns the last sample at which the server had used CPU
// (more than a tenth of a core) since the one before: memory can only fall
// once the work the clients left is done.
func lastBusy(ss []sample) sample {
	var busy sample
	for i := 1; i < len(ss); i++ {
		if d := ss[i].at - ss[i-1].at; ss[i].cpu-ss[i-1].cpu > d/10 {
			busy = ss[i]
		}
	}
	return busy
}

func peakOf(ss []sample) sample {
	var p sample
	for _, s := range ss {
		if s.rss > p.rss {
			p = s
		}
	}
	return p
}

func ms(d time.Duration) string {
	if d >= time.Second {
		return fmt.Sprintf("%.2f s", d.Seconds())
	}
	return fmt.Sprintf("%.1f ms", float64(d)/1e6)
}

func mb(n int64) string { return fmt.Sprintf("%.0f MB", float64(n)/1e6) }

func mem(s sample) string {
	return fmt.Sprintf("%s (anon %s, file %s)", mb(s.rss), mb(s.anon), mb(s.file))
}
