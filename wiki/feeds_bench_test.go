package wiki_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/kdecole-club/clubwiki/testdata/hostile"
	"github.com/kdecole-club/clubwiki/wiki"
)

// BenchmarkFeed_Entries measures a feed of 200 entries: of ordinary edits
// of a 20 KB page, and of hostile ones, every revision a rewrite of 800 KB
// of one repeated line, which the feed's budget and time bound cut short.
func BenchmarkFeed_Entries(b *testing.B) {
	for _, c := range []struct {
		name string
		text func(rev int) string
	}{
		{"200 edits of 20KB", func(rev int) string {
			return strings.Replace(hostile.NumberedLines("Le cahier de textes de l'ENT, ligne", 450), "ligne 7\n", "ligne 7 v"+strconv.Itoa(rev)+"\n", 1)
		}},
		{"200 rewrites of 800KB", func(rev int) string { return hostile.SameLines(400000, string(rune('a'+rev%2))) }},
	} {
		b.Run(c.name, func(b *testing.B) {
			f := newFixture(b, wiki.Config{})
			for rev := range 200 {
				commitText(b, f, "club/bench", rev, c.text(rev))
			}
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				feed, err := f.svc.Feed(f.ctx, f.reader, wiki.FeedQuery{Limit: 200})
				if err != nil {
					b.Fatal(err)
				}
				if _, err := feed.Entries(f.ctx); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
