package wiki_test

import (
	"fmt"
	"syscall"
	"testing"
	"time"

	"github.com/kdecole-club/clubwiki/wiki"
)

// BenchmarkService_Move200Backlinks measures a move of a page that 200
// other pages (2 KB of French each) link to: reading and rendering the 200
// texts, rewriting their links, and one store transaction with fsync that
// moves the history and writes the 201 revisions. The aim is
// under 2 s.
func BenchmarkService_Move200Backlinks(b *testing.B) {
	f := newFixture(b, wiki.Config{})
	from := wiki.MustPath("usages/cahier-de-textes")
	f.save(b, from.String(), frenchPage(20<<10), 0)
	for i := range 200 {
		md := fmt.Sprintf("# Retour %d\n\n%s\n\nVoir [[%s|le cahier de textes]] et [[usages/autre-%d]].\n", i, frenchPage(2<<10), from, i)
		f.save(b, fmt.Sprintf("assistance/retour-%d", i), md, 0)
	}
	b.ResetTimer()
	defer cpuPerOp(b)()
	for i := 0; b.Loop(); i++ {
		to := wiki.MustPath(fmt.Sprintf("portails/cahier-%d", i))
		res, err := f.svc.Move(f.ctx, f.editor, wiki.MoveRequest{From: from, To: to})
		if err != nil {
			b.Fatal(err)
		}
		if len(res.Rewritten) != 200 {
			b.Fatalf("%d pages rewritten, want 200", len(res.Rewritten))
		}
		from = to
	}
}

// cpuPerOp reports the process's CPU time per operation ("cpu-ns/op")
// beside the wall time: on a shared, loaded machine the wall time mostly
// measures the wait for a core.
func cpuPerOp(b *testing.B) func() {
	cpu := func() time.Duration {
		var ru syscall.Rusage
		_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
		return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	start := cpu()
	return func() { b.ReportMetric(float64(cpu()-start)/float64(b.N), "cpu-ns/op") }
}
