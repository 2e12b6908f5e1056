package store_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	benchprose "github.com/kdecole-club/clubwiki/bench/prose"
	"github.com/kdecole-club/clubwiki/store"
	"github.com/kdecole-club/clubwiki/wiki"
	bolt "go.etcd.io/bbolt"
)

// historyPage is the page of the history benchmarks and tests.
const historyPage = "usages/historique"

// historyTexts returns the texts of a 20 KB French page and of edits
// one-paragraph edits of it, in order.
func historyTexts(edits int) []string {
	h := benchprose.NewHistory(benchprose.Generated(4000, 11), 20<<10, 11)
	out := []string{h.Text()}
	for range edits {
		out = append(out, h.Edit())
	}
	return out
}

// growth is what a history costs the data file.
type growth struct {
	file int64 // size on disk (bbolt grows it in steps)
	used int64 // bbolt's high-water mark: every page below it, free or not
}

// fileGrowth returns the size and high-water mark of the closed file at
// path.
func fileGrowth(tb testing.TB, path string) growth {
	tb.Helper()
	st, err := os.Stat(path)
	if err != nil {
		tb.Fatal(err)
	}
	raw, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second, ReadOnly: true})
	if err != nil {
		tb.Fatal(err)
	}
	defer raw.Close()
	g := growth{file: st.Size()}
	err = raw.View(func(tx *bolt.Tx) error {
		g.used = tx.Size()
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return g
}

// writeHistory commits texts as successive revisions of historyPage into a
// new file at path and returns the growth between the first revision and
// the last. The file is closed on return.
func writeHistory(tb testing.TB, path string, texts []string) growth {
	tb.Helper()
	db, err := store.Open(path, store.Options{NoSync: true})
	if err != nil {
		tb.Fatal(err)
	}
	commit(tb, db, historyPage, 0, texts[0])
	if err := db.Close(); err != nil {
		tb.Fatal(err)
	}
	before := fileGrowth(tb, path)
	if db, err = store.Open(path, store.Options{NoSync: true}); err != nil {
		tb.Fatal(err)
	}
	for rev, text := range texts[1:] {
		commit(tb, db, historyPage, rev+1, text)
	}
	if err := db.Close(); err != nil {
		tb.Fatal(err)
	}
	after := fileGrowth(tb, path)
	return growth{file: after.file - before.file, used: after.used - before.used}
}

// BenchmarkStore_CompactHistory measures what 1,000 one-paragraph edits of
// a 20 KB French page add to the data file: file-B is the growth on disk,
// used-B the growth of bbolt's high-water mark (the disk figure moves in
// bbolt's allocation steps, this one page by page).
func BenchmarkStore_CompactHistory(b *testing.B) {
	texts := historyTexts(1000)
	var g growth
	for b.Loop() {
		g = writeHistory(b, filepath.Join(b.TempDir(), "history.db"), texts)
	}
	b.ReportMetric(float64(g.file), "file-B/1000edits")
	b.ReportMetric(float64(g.used), "used-B/1000edits")
}

// readEvery reads every revision of historyPage once, in a shuffled but
// fixed order, and returns each read's duration by revision number.
func readEvery(tb testing.TB, db *store.DB, revs int) []time.Duration {
	tb.Helper()
	ctx := context.Background()
	p := wiki.MustPath(historyPage)
	lat := make([]time.Duration, revs+1)
	for i := range revs {
		rev := 1 + (i*7919)%revs // 7919 is prime, so every revision once
		start := time.Now()
		if _, _, err := db.Revision(ctx, p, rev); err != nil {
			tb.Fatal(err)
		}
		lat[rev] = time.Since(start)
	}
	return lat[1:]
}

func percentile(lat []time.Duration, q float64) time.Duration {
	s := slices.Clone(lat)
	slices.Sort(s)
	return s[min(len(s)-1, int(q*float64(len(s))))]
}

func micros(d time.Duration) float64 { return float64(d.Nanoseconds()) / 1e3 }

// BenchmarkStore_ReadHistory reads every revision of the 1,001 of
// BenchmarkStore_CompactHistory; one op is a read of all of them. cold is
// the first pass after opening the file, warm every pass after it. On a
// shared machine a read's p99 is mostly the scheduler's; best is each
// revision's fastest read over the warm passes, the cost of the revision
// itself, and its max is the slowest revision to read.
func BenchmarkStore_ReadHistory(b *testing.B) {
	texts := historyTexts(1000)
	path := filepath.Join(b.TempDir(), "history.db")
	writeHistory(b, path, texts)
	db := reopen(b, path)
	cold := readEvery(b, db, len(texts))
	var warm []time.Duration
	best := slices.Clone(cold)
	for b.Loop() {
		lat := readEvery(b, db, len(texts))
		warm = append(warm, lat...)
		for i, d := range lat {
			best[i] = min(best[i], d)
		}
	}
	b.ReportMetric(micros(percentile(cold, 0.99)), "cold-p99-µs")
	b.ReportMetric(micros(percentile(warm, 0.50)), "warm-p50-µs")
	b.ReportMetric(micros(percentile(warm, 0.99)), "warm-p99-µs")
	b.ReportMetric(micros(percentile(best, 0.99)), "best-p99-µs")
	b.ReportMetric(micros(slices.Max(best)), "best-max-µs")
}
