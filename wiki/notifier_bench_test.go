package wiki_test

import (
	"fmt"
	"testing"

	"github.com/kdecole-club/clubwiki/wiki"
)

// BenchmarkNotifier_Follow times what the notifier does for 100 saves
// (one second of saves at 100 per second) with 10 members watching the
// namespace: read the log, queue the notices with the cursor, make and
// send the mails to a real SMTP server, drop what was sent. Below 1 s per
// op it keeps up; bench/notify.sh measures the lag against a server.
func BenchmarkNotifier_Follow(b *testing.B) {
	f := newFixture(b, wiki.Config{})
	sink := startSink(b)
	n := f.svc.NewNotifier(wiki.NotifyConfig{Mailer: sender(b, sink), BaseURL: base, Delay: -1})
	for i := range 10 {
		subscribe(b, f, f.user(b, fmt.Sprintf("membre%d", i), wiki.RoleEditor), wiki.NotifyImmediate, "usages")
	}
	follow(b, f, n)
	page := 0
	b.ResetTimer()
	for b.Loop() {
		b.StopTimer()
		for range 100 {
			page++
			f.save(b, fmt.Sprintf("usages/banc-%d", page), fmt.Sprintf("# Banc %d\n\nUne page de l'essai.\n", page), 0)
		}
		b.StartTimer()
		follow(b, f, n)
		for {
			sent, err := n.Flush(f.ctx)
			if err != nil {
				b.Fatal(err)
			}
			if sent == 0 {
				break
			}
		}
	}
	b.ReportMetric(float64(len(sink.Messages()))/float64(b.N), "mails/op")
}
