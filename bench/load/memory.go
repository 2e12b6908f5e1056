package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// maxMemoryRSS is issue 8's bound: the server's resident memory right
// after indexing and under a load of saves, reads and searches.
const maxMemoryRSS = 100_000_000

// search is the kind of the loaders' searches in the report.
const searchAPI = "search GET /api/search"

// memoryResult is what the memory test measured.
type memoryResult struct {
	indexing, settled, load []sample
	indexedIn               time.Duration
	guarded                 bool
	tally                   *tally
	mapped                  []string // mappings after indexing and after the load
}

// runMemory is the memory test of issue 8: the server indexes -pages
// imported pages itself, as at its first start on an imported wiki, then
// -readers clients read (JSON and HTML), save and search for -duration.
// Its VmRSS is sampled all along; PASS when it stays under 100 MB from the
// end of indexing to the end of the load.
func runMemory(ctx context.Context, o options, tmp string) (bool, error) {
	e, words, err := prepareMemory(o, tmp)
	if err != nil {
		return false, err
	}
	// The readers share one member, whose saves pass the write limit
	// of a member (10 a second): memory under load is what is measured.
	args := append([]string{"--write-rate", "0"}, strings.Fields(o.serveArgs)...)
	srv, err := startServer(e.bin, e.data, filepath.Join(tmp, "serve.log"), args)
	if err != nil {
		return false, err
	}
	defer srv.stop()
	r, err := watchMemory(ctx, o, srv, e.memberToken, words)
	if err != nil {
		return false, err
	}
	return r.print(o), nil
}

// prepareMemory seeds a data folder with the ordinary pages only, not
// indexed (the server builds its index when it starts), and an editor
// whose token and session the loaders share.
func prepareMemory(o options, tmp string) (env, []string, error) {
	e := env{bin: o.bin, data: filepath.Join(tmp, "data")}
	var err error
	if e.bin == "" {
		if e.bin, err = buildClubwiki(tmp); err != nil {
			return e, nil, err
		}
	}
	sentences, source, err := sentencesFor(o.corpus)
	if err != nil {
		return e, nil, err
	}
	if o.seeded != "" {
		return reuseSeeded(e, o.seeded, sentences)
	}
	start := time.Now()
	seed := filepath.Join(tmp, "seed")
	size, err := seedPages(seed, o.pages, sentences)
	if err != nil {
		return e, nil, err
	}
	if _, err := cli(e.bin, e.data, "", "import", seed); err != nil {
		return e, nil, err
	}
	fmt.Printf("imported %d pages (%.1f MB of Markdown, sentences from %s) in %s, not indexed\n",
		o.pages, float64(size)/1e6, source, time.Since(start).Round(100*time.Millisecond))
	e.memberToken, err = user(e, memberLogin, memberPassword, "editor")
	return e, searchWords(sentences), err
}

// reuseSeeded copies the store of a data folder a run seeded before
// (-keep), without its index, and gives the member a new token: the
// import is the slow part of a run, and the same pages make runs
// comparable.
func reuseSeeded(e env, dir string, sentences []string) (env, []string, error) {
	if err := os.MkdirAll(e.data, 0o750); err != nil {
		return e, nil, err
	}
	b, err := os.ReadFile(filepath.Join(dir, dbFileName))
	if err != nil {
		return e, nil, err
	}
	if err := os.WriteFile(filepath.Join(e.data, dbFileName), b, 0o600); err != nil {
		return e, nil, err
	}
	fmt.Printf("reusing the pages of %s, not indexed\n", dir)
	e.memberToken, err = cli(e.bin, e.data, "", "token", "create", memberLogin, "--label", "banc de mémoire")
	return e, searchWords(sentences), err
}

// searchWords picks words of six letters or more from the sentences.
func searchWords(sentences []string) []string {
	var out []string
	for _, s := range sentences[:min(len(sentences), 2000)] {
		for _, w := range strings.Fields(s) {
			if w = strings.Trim(w, ".,;:!?«»()\"'"); len([]rune(w)) >= 6 && !strings.ContainsAny(w, "*:\"'") {
				out = append(out, strings.ToLower(w))
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// watchMemory samples the server while it indexes, for -settle after, and
// through the load.
func watchMemory(ctx context.Context, o options, srv *server, token string, words []string) (*memoryResult, error) {
	r := &memoryResult{tally: newTally()}
	start := time.Now()
	lctx, cancel := context.WithCancel(ctx)
	defer cancel()
	w := &watcher{pid: srv.pid(), start: start, period: o.every, limit: o.guardMB * 1e6,
		onLimit: func() { srv.kill(); cancel() }}
	ictx, indexed := context.WithTimeout(lctx, 15*time.Minute)
	go func() {
		defer indexed()
		waitIndexed(ictx, srv.url, token)
	}()
	r.indexing, r.guarded = w.watch(ictx, nil)
	r.indexedIn = time.Since(start)
	r.mapped = append(r.mapped, describeMapped("after indexing", srv.pid()))
	if lctx.Err() != nil || r.guarded {
		return r, ctx.Err()
	}
	fmt.Printf("indexed in %.1f s; watching for %s, then %d readers read, save and search for %s\n",
		r.indexedIn.Seconds(), o.settle, o.readers, o.duration)
	sctx, stop := context.WithTimeout(lctx, o.settle)
	r.settled, r.guarded = w.watch(sctx, nil)
	stop()
	if r.guarded {
		return r, ctx.Err()
	}
	dctx, stop := context.WithTimeout(lctx, o.duration)
	defer stop()
	var wg sync.WaitGroup
	for i := range o.readers {
		wg.Go(func() { loader(dctx, o, srv.url, token, words, i, r.tally) })
	}
	r.load, r.guarded = w.watch(dctx, nil)
	stop()
	wg.Wait()
	r.mapped = append(r.mapped, describeMapped("end of the load", srv.pid()))
	return r, ctx.Err()
}

// waitIndexed returns once a search no longer says it is partial.
func waitIndexed(ctx context.Context, base, token string) {
	client := &http.Client{Timeout: 10 * time.Second}
	for ctx.Err() == nil {
		req, _ := http.NewRequestWithContext(ctx, "GET", base+"/api/search?q=ent&limit=1", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		if resp, err := client.Do(req); err == nil {
			var ans struct {
				Partial bool `json:"partial"`
			}
			err = json.NewDecoder(resp.Body).Decode(&ans)
			resp.Body.Close()
			if err == nil && resp.StatusCode == http.StatusOK && !ans.Partial {
				return
			}
		}
		waitCtx(ctx, 250*time.Millisecond)
	}
}

// loader is one client of the load: the member's round (read JSON, read
// HTML, save on the revision read) over pages spread through the whole
// wiki, so that the caches see every page, then a search of two words.
// Loader n of o.readers takes only the pages numbered n modulo o.readers:
// two loaders saving the same page at once make a genuine edit conflict
// (both add at its end), a 409 the verdict would count as a failure.
func loader(ctx context.Context, o options, base, token string, words []string, n int, t *tally) {
	m := newMember(base, token, nil, o.memberWait)
	m.tally = t
	if err := m.signIn(memberLogin, memberPassword); err != nil {
		t.add("sign in", "error", 0, true)
		return
	}
	rng := rand.New(rand.NewPCG(uint64(n), 7))
	for i := 0; ctx.Err() == nil; i++ {
		m.round(pagePath(ownPage(rng, o.pages, o.readers, n)), i)
		q := words[rng.IntN(len(words))] + " " + words[rng.IntN(len(words))]
		m.do(searchAPI, "GET", "/api/search?"+url.Values{"q": {q}, "limit": {"20"}}.Encode(), nil, true)
		waitCtx(ctx, m.pause)
	}
}

// ownPage picks a page number below pages that is n modulo readers (any
// page when there are fewer pages than readers).
func ownPage(rng *rand.Rand, pages, readers, n int) int {
	if readers <= 1 || pages < readers {
		return rng.IntN(pages)
	}
	return rng.IntN((pages-1-n)/readers+1)*readers + n
}

// print writes the report and returns the verdict.
func (r *memoryResult) print(o options) bool {
	var v verdict
	fmt.Printf("requests (%d readers, each: read JSON, read HTML, save, search, 50 ms pause):\n", o.readers)
	for _, kind := range []string{readAPI, readHTML, save, searchAPI} {
		s := r.tally.summary(kind)
		fmt.Printf("  %-24s n=%-5d p50 %-9s p99 %-9s max %-9s %s\n", kind, s.n, ms(s.p50), ms(s.p99), ms(s.max), statuses(s.status))
		v.check(s.n > 0 && s.fails == 0, "%s: every answer 2xx (%d failed of %d)", kind, s.fails, s.n)
	}
	fmt.Println("server memory (VmRSS = anonymous + file-backed, sampled every", o.every.String()+"):")
	if len(r.indexing) > 0 {
		fmt.Printf("  peak while indexing     %s\n", mem(peakOf(r.indexing)))
		fmt.Printf("  right after indexing    %s at +%.1f s\n", mem(r.indexing[len(r.indexing)-1]), r.indexedIn.Seconds())
	}
	after := append(slices.Clone(r.settled), r.load...)
	if len(r.settled) > 0 {
		fmt.Printf("  peak in the %-4s after  %s\n", o.settle, mem(peakOf(r.settled)))
	}
	if len(r.load) > 0 {
		fmt.Printf("  peak under load         %s\n", mem(peakOf(r.load)))
		fmt.Printf("  steady under load       %s (median)\n", mem(medianOf(r.load)))
		fmt.Printf("  end of the load         %s\n", mem(r.load[len(r.load)-1]))
	}
	fmt.Println("resident memory by mapping (/proc/<pid>/smaps):")
	fmt.Print(strings.Join(r.mapped, ""))
	peak := peakOf(after).rss
	v.check(!r.guarded && len(r.load) > 0, "the server stayed up through indexing and the load")
	v.check(peak < maxMemoryRSS, "peak RSS %s < 100 MB, from the end of indexing to the end of the load", mb(peak))
	fmt.Println("verdict (issue 8):")
	fmt.Print(v.lines.String())
	if v.failed {
		fmt.Println("FAIL")
	} else {
		fmt.Println("PASS")
	}
	return !v.failed
}

// medianOf returns the sample of median VmRSS.
func medianOf(ss []sample) sample {
	s := slices.SortedFunc(slices.Values(ss), func(a, b sample) int { return int(a.rss - b.rss) })
	return s[len(s)/2]
}

// mappedRSS sums the resident memory of pid by what is mapped: the store's
// file, the search index's segments, the rest of the files (the binary,
// libraries), and anonymous memory (the Go heap and stacks), from
// /proc/<pid>/smaps.
func mappedRSS(pid int) (map[string]int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/smaps", pid))
	if err != nil {
		return nil, err
	}
	out := map[string]int64{}
	what := "anonymous"
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		switch {
		case len(f) >= 5 && strings.Contains(f[0], "-") && !strings.HasSuffix(f[0], ":"):
			what = "anonymous"
			if len(f) >= 6 {
				what = mappingKind(f[5])
			}
		case len(f) == 3 && f[0] == "Rss:":
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			out[what] += kb << 10
		}
	}
	return out, nil
}

func mappingKind(name string) string {
	switch {
	case strings.HasSuffix(name, "/"+dbFileName):
		return "store"
	case strings.Contains(name, "/index/"):
		return "index"
	case strings.HasPrefix(name, "/"):
		return "other files"
	}
	return "anonymous"
}

const dbFileName = "clubwiki.db"

// describeMapped writes what mappedRSS found, on one line.
func describeMapped(label string, pid int) string {
	m, err := mappedRSS(pid)
	if err != nil {
		return fmt.Sprintf("  %-23s %v\n", label, err)
	}
	line := fmt.Sprintf("  %-23s", label)
	for _, k := range []string{"anonymous", "store", "index", "other files"} {
		line += fmt.Sprintf(" %s %s", k, mb(m[k]))
	}
	return line + "\n"
}
