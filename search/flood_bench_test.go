package search

import (
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kdecole-club/clubwiki/testdata/hostile"
	"github.com/kdecole-club/clubwiki/wiki"
)

// floodQuery is the query of issue 7: four short prefixes, the largest
// page of hits the API allows.
const floodQuery = hostile.PrefixFlood

// French word parts: prefixes, roots and endings give thousands of distinct
// words, many of them starting with pr, de, la and co, as a real wiki's
// vocabulary does (conjugations, plurals, derived words).
var (
	floodHeads = strings.Fields("pr pré pro de dé la con com co re ré in en par tra sur sou")
	floodRoots = strings.Fields("gramm ject vis pos duc cept fér mett struct form press port tend ven lat sign mand cord pli tabl")
	floodEnds  = strings.Fields("ation ement er ons ez ait aient eur euse ique iques é ée és ées ible able ance ences ir")
	floodGlue  = strings.Fields("le la les de des du et à pour dans avec sur une un est en au aux que qui")
)

// floodVocabulary returns every generated word (about 8,000).
func floodVocabulary() []string {
	var out []string
	for _, h := range floodHeads {
		for _, r := range floodRoots {
			for _, e := range floodEnds {
				out = append(out, h+r+e)
			}
		}
	}
	return out
}

// floodPages generates n pages of French-like prose, each about words words
// long, deterministic for a seed. Rare words are many, frequent ones few,
// as in real text.
func floodPages(n, words int, seed uint64) []wiki.ImportFile {
	vocab := floodVocabulary()
	rng := rand.New(rand.NewPCG(seed, seed^0x5eed))
	files := make([]wiki.ImportFile, n)
	for i := range files {
		var sb strings.Builder
		fmt.Fprintf(&sb, "# Compte rendu %d : %s\n\n", i, vocab[rng.IntN(len(vocab))])
		for j := range words {
			if j%3 == 1 {
				sb.WriteString(floodGlue[rng.IntN(len(floodGlue))])
			} else {
				r := rng.Float64()
				sb.WriteString(vocab[int(r*r*float64(len(vocab)))])
			}
			if j%15 == 14 {
				sb.WriteString(".\n\n")
			} else {
				sb.WriteByte(' ')
			}
		}
		files[i] = wiki.ImportFile{Path: fmt.Sprintf("usages/cr-%d", i), Markdown: []byte(sb.String())}
	}
	return files
}

// floodEnv is a wiki of n generated pages, indexed.
func floodEnv(tb testing.TB, n int) *env {
	tb.Helper()
	e := newEnv(tb)
	for from := 0; from < n; from += 500 {
		files := floodPages(min(500, n-from), 400, uint64(from+1))
		for i := range files {
			files[i].Path = fmt.Sprintf("usages/cr-%d", from+i)
		}
		if _, err := e.svc.Import(e.ctx, e.user, files); err != nil {
			tb.Fatal(err)
		}
	}
	e.sync()
	return e
}

// floodQueries are the query and one whose prefixes are long
// enough to be searched as prefixes, each standing for hundreds of words.
var floodQueries = []string{floodQuery, "pro* con* tra* sur*"}

func BenchmarkIndex_SearchFlood(b *testing.B) {
	e := floodEnv(b, 3000)
	for _, q := range floodQueries {
		b.Run(q, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := e.svc.Search(e.ctx, e.user, wiki.SearchParams{Q: q, Limit: 500}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkIndex_SearchFloodConcurrent sends $FLOOD_CLIENTS (default 16)
// flood queries at once per iteration and reports the process's peak
// resident memory (VmRSS, sampled every 5 ms) above what it was before, and
// how many were answered busy. Linux only.
func BenchmarkIndex_SearchFloodConcurrent(b *testing.B) {
	clients := 16
	if n, err := strconv.Atoi(os.Getenv("FLOOD_CLIENTS")); err == nil && n > 0 {
		clients = n
	}
	e := floodEnv(b, 3000)
	runtime.GC()
	base := vmRSS(b)
	var peak, busy atomic.Int64
	stop := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		for {
			if rss := vmRSS(b); rss > peak.Load() {
				peak.Store(rss)
			}
			select {
			case <-stop:
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	}()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		var wg sync.WaitGroup
		for c := range clients {
			wg.Go(func() {
				q := floodQueries[(i+c)%len(floodQueries)]
				_, err := e.svc.Search(e.ctx, e.user, wiki.SearchParams{Q: q, Limit: 500})
				if wiki.ErrorCode(err) == wiki.EUnavailable {
					busy.Add(1)
				} else if err != nil {
					b.Error(err)
				}
			})
		}
		wg.Wait()
	}
	close(stop)
	<-sampled
	b.ReportMetric(float64(base)/(1<<20), "base-MB")
	b.ReportMetric(float64(peak.Load()-base)/(1<<20), "peak-over-base-MB")
	b.ReportMetric(float64(busy.Load())/float64(b.N), "busy/op")
}

// vmRSS returns the process's resident memory in bytes.
func vmRSS(tb testing.TB) int64 {
	raw, err := os.ReadFile("/proc/self/status")
	if err != nil {
		tb.Skipf("no /proc/self/status: %v", err)
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}
