// Command search measures clubwiki's search on a generated wiki: import and
// reindex throughput, index size per MB of text, search latency (with facets
// and snippets) and the lag between a save and the page being findable.
//
//	go run ./bench/search -corpus ../shared/corpus -pages 20000
//
// Pages are made at run time from sentences of the corpus's .md files; no
// corpus text is kept anywhere but in the temporary data folder.
package main

import (
	"context"
	"flag"
	"fmt"
	"github.com/kdecole-club/clubwiki/assets"
	"io/fs"
	"log"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"runtime/pprof"
	"slices"
	"strings"
	"time"

	"github.com/kdecole-club/clubwiki/bench/prose"
	"github.com/kdecole-club/clubwiki/render"
	"github.com/kdecole-club/clubwiki/search"
	"github.com/kdecole-club/clubwiki/store"
	"github.com/kdecole-club/clubwiki/wiki"
	"github.com/kdecole-club/clubwiki/wiki/textdiff"
)

func main() {
	corpus := flag.String("corpus", "../shared/corpus", "folder of .md files to take sentences from")
	pages := flag.Int("pages", 20000, "pages to generate")
	queries := flag.Int("queries", 400, "searches to time")
	saves := flag.Int("saves", 100, "saves to time the index lag of")
	keep := flag.String("data", "", "data folder to use (default: a temporary one, removed)")
	reuse := flag.Bool("reuse", false, "with -data: search the pages and index a former run left there, without importing again")
	slowest := flag.Int("slowest", 0, "list this many of the slowest queries")
	profile := flag.String("cpuprofile", "", "write a CPU profile of the searches to this file")
	flag.Parse()
	if *reuse && *keep == "" {
		fmt.Fprintln(os.Stderr, "-reuse needs -data")
		os.Exit(2)
	}
	opts := options{reuse: *reuse, slowest: *slowest, profile: *profile}
	if err := run(*corpus, *pages, *queries, *saves, *keep, opts); err != nil {
		log.Fatal(err)
	}
}

// options are the flags that change how a run goes, not what it measures.
type options struct {
	reuse   bool
	slowest int
	profile string
}

func run(corpus string, pages, queries, saves int, data string, o options) error {
	ctx := context.Background()
	sentences, err := prose.Sentences(corpus)
	if err != nil {
		return err
	}
	if data == "" {
		if data, err = os.MkdirTemp("", "clubwiki-bench-"); err != nil {
			return err
		}
		defer os.RemoveAll(data)
	}
	fmt.Printf("corpus: %d sentences from %s\n", len(sentences), corpus)
	db, err := store.Open(filepath.Join(data, "clubwiki.db"), store.Options{})
	if err != nil {
		return err
	}
	defer db.Close()
	r := render.New(render.Options{})
	svc := wiki.NewService(db, r, textdiff.New(), wiki.Config{})
	if err := svc.Init(ctx); err != nil {
		return err
	}
	dir := filepath.Join(data, "index")
	if !o.reuse {
		textBytes, err := benchImport(ctx, svc, newGenerator(sentences), pages)
		if err != nil {
			return err
		}
		start := time.Now()
		n, err := search.Reindex(ctx, dir, db, r)
		if err != nil {
			return err
		}
		took := time.Since(start)
		fmt.Printf("reindex: %d pages in %s = %.0f pages/s\n", n, took.Round(time.Millisecond), float64(n)/took.Seconds())
		size := dirSize(dir)
		fmt.Printf("index size: %.1f MB for %.1f MB of Markdown = %.2f MB per MB of text\n", mb(size), mb(textBytes), float64(size)/float64(textBytes))
	}
	idx, _, err := search.Open(dir)
	if err != nil {
		return err
	}
	defer idx.Close()
	svc.SetSearch(idx)
	// Searches expand words with the synonyms a new wiki is seeded with.
	synonyms, err := fs.ReadFile(assets.Seed(), "club/synonymes.md")
	if err != nil {
		return err
	}
	idx.SetSynonyms(string(synonyms))
	if o.profile != "" {
		f, err := os.Create(o.profile)
		if err != nil {
			return err
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
	}
	err = benchSearch(ctx, svc, sentences, queries, o.slowest)
	if o.profile != "" {
		pprof.StopCPUProfile()
	}
	if err != nil {
		return err
	}
	return benchLag(ctx, svc, db, r, idx, saves)
}

// benchImport imports pages generated pages in chunks of 500, as
// "clubwiki import" does, and returns the Markdown bytes imported.
func benchImport(ctx context.Context, svc *wiki.Service, g *generator, pages int) (int64, error) {
	var total int64
	start := time.Now()
	for done := 0; done < pages; {
		files := make([]wiki.ImportFile, 0, 500)
		for ; len(files) < 500 && done < pages; done++ {
			md := g.page()
			total += int64(len(md))
			files = append(files, wiki.ImportFile{Name: fmt.Sprint(done), Path: g.path(done), Markdown: []byte(md)})
		}
		if _, err := svc.Import(ctx, wiki.System(), files); err != nil {
			return 0, err
		}
	}
	took := time.Since(start)
	fmt.Printf("import: %d pages (%.1f MB) in %s = %.0f pages/s\n", pages, mb(total), took.Round(time.Millisecond), float64(pages)/took.Seconds())
	return total, nil
}

// benchSearch times searches of one to three corpus words, some with a
// filter, phrase or prefix, some with a typo (a letter dropped, so the
// word is corrected) or as a question; every search computes facets and
// snippets.
func benchSearch(ctx context.Context, svc *wiki.Service, sentences []string, n, slowest int) error {
	rng := rand.New(rand.NewPCG(7, 7))
	words := vocabulary(sentences)
	type timed struct {
		q    string
		took time.Duration
	}
	var lat []time.Duration
	var all []timed
	byKind := map[string][]time.Duration{}
	hits := 0
	for i := range n {
		q := strings.Join(pick(rng, words, 1+i%3), " ")
		kind := "words"
		switch i % 8 {
		case 3:
			q, kind = "comment "+q, "question"
		case 4:
			q, kind = typo(q), "typo"
		case 5:
			q, kind = q+" type:resolution", "filter"
		case 6:
			q, kind = `"`+q+`"`, "phrase"
		case 7:
			w := pick(rng, words, 1)[0]
			q, kind = string([]rune(w)[:min(4, len([]rune(w)))])+"*", "prefix"
		}
		start := time.Now()
		res, err := svc.Search(ctx, wiki.System(), wiki.SearchParams{Q: q, Limit: 20})
		if err != nil {
			return err
		}
		took := time.Since(start)
		lat = append(lat, took)
		byKind[kind] = append(byKind[kind], took)
		all = append(all, timed{q, took})
		hits += res.Total
	}
	p50, p95 := percentiles(lat)
	fmt.Printf("search: %d queries (limit 20, facets, snippets): p50 %s, p95 %s; %.0f hits per query on average\n",
		n, p50, p95, float64(hits)/float64(n))
	for _, kind := range []string{"words", "question", "typo", "filter", "phrase", "prefix"} {
		p50, p95 := percentiles(byKind[kind])
		fmt.Printf("  %-8s %3d queries: p50 %s, p95 %s\n", kind, len(byKind[kind]), p50, p95)
	}
	slices.SortFunc(all, func(a, b timed) int { return int(b.took - a.took) })
	for _, t := range all[:min(slowest, len(all))] {
		fmt.Printf("  %8s  %s\n", t.took.Round(10*time.Microsecond), t.q)
	}
	return nil
}

// typo drops a letter in the middle of the last word of q.
func typo(q string) string {
	r := []rune(q)
	i := len(r) - 3
	if i < 1 || r[i] == ' ' {
		return q
	}
	return string(append(r[:i:i], r[i+1:]...))
}

// benchLag saves pages through the service while the follower runs and
// times how long each takes to become findable.
func benchLag(ctx context.Context, svc *wiki.Service, db *store.DB, r wiki.Renderer, idx *search.Index, n int) error {
	fctx, cancel := context.WithCancel(ctx)
	f := &search.Follower{Index: idx, Source: db, Renderer: r, Watch: db.Watch}
	done := make(chan error, 1)
	go func() { done <- f.Run(fctx) }()
	defer func() { cancel(); <-done }()
	for idx.Partial() {
		time.Sleep(10 * time.Millisecond)
	}
	var lag []time.Duration
	for i := range n {
		word := fmt.Sprintf("motlag%dx", i)
		p := wiki.MustPath(fmt.Sprintf("assistance/lag-%d", i))
		start := time.Now()
		if _, err := svc.Save(ctx, wiki.System(), wiki.SaveRequest{Path: p, Markdown: "# Lag\n\nLe mot " + word + ".\n"}); err != nil {
			return err
		}
		for {
			res, err := svc.Search(ctx, wiki.System(), wiki.SearchParams{Q: word, Limit: 1})
			if err != nil {
				return err
			}
			if res.Total == 1 {
				break
			}
			if time.Since(start) > 10*time.Second {
				return fmt.Errorf("%s not found after 10 s", p)
			}
			time.Sleep(time.Millisecond)
		}
		lag = append(lag, time.Since(start))
	}
	p50, p95 := percentiles(lag)
	fmt.Printf("index lag after a save (save + fsync + index + search): %d saves: p50 %s, p95 %s\n", n, p50, p95)
	return nil
}

func percentiles(d []time.Duration) (p50, p95 time.Duration) {
	slices.Sort(d)
	at := func(q float64) time.Duration {
		return d[min(len(d)-1, int(q*float64(len(d))))].Round(10 * time.Microsecond)
	}
	return at(0.50), at(0.95)
}

func dirSize(dir string) int64 {
	var n int64
	_ = filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if info, err := d.Info(); err == nil {
				n += info.Size()
			}
		}
		return nil
	})
	return n
}

func mb(n int64) float64 { return float64(n) / (1 << 20) }

var wordRE = regexp.MustCompile(`^[\p{L}]{5,}$`)

// vocabulary is the distinct words of five letters or more.
func vocabulary(sentences []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range sentences {
		for _, w := range strings.Fields(s) {
			w = strings.ToLower(strings.Trim(w, ".,;:!?«»()\"'"))
			if wordRE.MatchString(w) && !seen[w] {
				seen[w] = true
				out = append(out, w)
			}
		}
	}
	return out
}

func pick[T any](rng *rand.Rand, from []T, n int) []T {
	out := make([]T, n)
	for i := range out {
		out[i] = from[rng.IntN(len(from))]
	}
	return out
}
