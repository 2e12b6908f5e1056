package web

import (
	"context"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/kdecole-club/clubwiki/testdata/hostile"
	"github.com/kdecole-club/clubwiki/wiki"
)

// diffBenchEnv saves two 20 KB revisions of French prose, three words
// apart.
func diffBenchEnv(b *testing.B) (*testEnv, wiki.Path) {
	e, _ := newUIEnv(b)
	page := hostile.FrenchProse(20 << 10)
	edited := strings.Replace(page, "réunion d'information", "réunion de rentrée", 1)
	edited = strings.Replace(edited, "chaque soir", "chaque matin", 1)
	edited = edited[:len(edited)/2] + strings.Replace(edited[len(edited)/2:], "parents", "familles", 1)
	e.save("usages/prose", page, 0, http.StatusCreated)
	e.save("usages/prose", edited, 1, http.StatusOK)
	return e, wiki.MustPath("usages/prose")
}

// BenchmarkService_RenderDiff renders the rendered diff of two 20 KB
// revisions (the word diff given): every block through the renderer,
// then the marks turned into <ins> and <del>.
func BenchmarkService_RenderDiff(b *testing.B) {
	e, p := diffBenchEnv(b)
	ctx := context.Background()
	d, err := e.svc.DiffWords(ctx, wiki.System(), p, 1, 2, true)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	defer reportCPU(b)()
	for b.Loop() {
		blocks, err := e.svc.RenderDiff(ctx, wiki.System(), p, *d.Words)
		if err != nil {
			b.Fatal(err)
		}
		for _, bl := range blocks {
			_ = htmlOf(bl)
		}
	}
}

// BenchmarkUI_DiffPage asks for the diff page of two 20 KB revisions end
// to end (session, word diff, layout, template), in each view.
func BenchmarkUI_DiffPage(b *testing.B) {
	e, _ := diffBenchEnv(b)
	br := e.signIn("remi")
	for _, view := range diffViews {
		b.Run(view, func(b *testing.B) {
			b.ReportAllocs()
			defer reportCPU(b)()
			for b.Loop() {
				if rec := br.get("/diff/usages/prose?from=1&to=2&view=" + view); rec.Code != http.StatusOK {
					b.Fatalf("status %d", rec.Code)
				}
			}
		})
	}
}

// reportCPU reports the process's CPU time per operation ("cpu-ns/op")
// beside the wall time: on a shared, loaded machine the wall time
// mostly measures the wait for a core.
func reportCPU(b *testing.B) func() {
	cpu := func() time.Duration {
		var ru syscall.Rusage
		_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
		return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	start := cpu()
	return func() { b.ReportMetric(float64(cpu()-start)/float64(b.N), "cpu-ns/op") }
}
