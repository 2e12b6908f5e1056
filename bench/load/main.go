// Command load is the load test of issue 7: many signed-in clients send the
// worst searches, previews and diffs while one member reads pages and saves
// edits. It measures the member's latencies and the server's resident
// memory during the attack and after it, and gives a verdict against the
// issue's thresholds (exit status 1 on FAIL).
//
//	go run ./bench/load [-clients 64] [-duration 30s] [-after 30s] [-pages 3000]
//
// With -memory it is the memory test of issue 8 instead (memory.go): the
// server indexes 20,000 imported pages, then a few readers read, save and
// search; PASS when its VmRSS stays under 100 MB.
//
//	go run ./bench/load -memory [-pages 20000] [-duration 60s] [-readers 4]
//
// It builds clubwiki (or runs -bin), seeds a fresh data folder in a
// temporary directory with the CLI, starts "clubwiki serve" on a free
// loopback port and removes everything when it ends.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// The thresholds.
const (
	maxP99       = time.Second
	maxPeakRSS   = 300_000_000 // bytes, during the attack
	maxAfterRSS  = 100_000_000 // bytes, ...
	maxAfterTime = 30 * time.Second
)

// options are the command line.
type options struct {
	bin, corpus, serveArgs    string
	seeded                    string
	only                      string
	clients, pages, readers   int
	memory                    bool
	settle                    time.Duration
	duration, after           time.Duration
	attackTimeout, memberWait time.Duration
	every                     time.Duration
	guardMB                   int64
	keep                      bool
}

func parseOptions() options {
	var o options
	flag.StringVar(&o.bin, "bin", "", "clubwiki binary to test (default: build ./cmd/clubwiki)")
	flag.StringVar(&o.corpus, "corpus", "auto", `folder of French .md files to take sentences from; "auto": ../shared/corpus next to the repository if present; "none": built-in generator`)
	flag.StringVar(&o.serveArgs, "serve-args", "", `more flags for "clubwiki serve", space-separated (e.g. "--memory-limit off")`)
	flag.StringVar(&o.only, "only", "", `send only the attacks whose name matches this regular expression (e.g. "search", "preview|diff")`)
	flag.IntVar(&o.clients, "clients", 64, "concurrent attackers")
	flag.IntVar(&o.pages, "pages", 3000, "ordinary pages to seed")
	flag.DurationVar(&o.duration, "duration", 30*time.Second, "length of the attack")
	flag.DurationVar(&o.after, "after", 30*time.Second, "how long to watch memory after the attack (stops early once under 100 MB)")
	flag.DurationVar(&o.attackTimeout, "attack-timeout", 10*time.Second, "an attacker gives up a request after this and sends the next")
	flag.DurationVar(&o.memberWait, "member-timeout", 10*time.Second, "a member request taking longer is an error")
	flag.DurationVar(&o.every, "sample", 200*time.Millisecond, "memory sampling period")
	flag.Int64Var(&o.guardMB, "guard-mb", 4000, "kill the server if its resident memory passes this many MB (protects the machine; a FAIL)")
	flag.BoolVar(&o.keep, "keep", false, "keep the temporary folder (data, server log)")
	flag.BoolVar(&o.memory, "memory", false, "run issue 8's memory test instead: -pages (default 20,000) indexed by the server, then -readers clients for -duration (default 60s)")
	flag.IntVar(&o.readers, "readers", 4, "-memory: clients reading, saving and searching")
	flag.StringVar(&o.seeded, "seeded", "", "-memory: reuse the store of this data folder (one a run kept with -keep) instead of importing pages")
	flag.DurationVar(&o.settle, "settle", 5*time.Second, "-memory: how long to watch memory between indexing and the load")
	flag.Parse()
	if o.memory {
		set := map[string]bool{}
		flag.Visit(func(f *flag.Flag) { set[f.Name] = true })
		if !set["pages"] {
			o.pages = 20000
		}
		if !set["duration"] {
			o.duration = time.Minute
		}
	}
	return o
}

func main() {
	o := parseOptions()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	pass, err := run(ctx, o)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "load:", err)
		os.Exit(2)
	}
	if !pass {
		os.Exit(1)
	}
}

func run(ctx context.Context, o options) (bool, error) {
	tmp, err := os.MkdirTemp("", "clubwiki-load-")
	if err != nil {
		return false, err
	}
	if o.keep {
		fmt.Println("temporary folder (kept):", tmp)
	} else {
		defer os.RemoveAll(tmp)
	}
	if o.memory {
		return runMemory(ctx, o, tmp)
	}
	env, err := prepare(o, tmp)
	if err != nil {
		return false, err
	}
	srv, err := startServer(env.bin, env.data, filepath.Join(tmp, "serve.log"), strings.Fields(o.serveArgs))
	if err != nil {
		return false, err
	}
	defer srv.stop()
	m := newMember(srv.url, env.memberToken, memberPages(o.pages, 40), o.memberWait)
	if err := m.signIn(memberLogin, memberPassword); err != nil {
		return false, err
	}
	r, err := attackAndWatch(ctx, o, srv, m, env.attackerToken)
	if err != nil {
		return false, err
	}
	if !srv.alive() && !r.guarded {
		r.exit = fmt.Sprint(srv.state)
	}
	fmt.Println()
	return r.print(o, m.tally), nil
}
