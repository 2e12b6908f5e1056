package textdiff

import (
	"context"
	"strings"
	"testing"
	"time"
)

// TestDiffer_MergeWordsHostile checks that the merge by words stays
// bounded on the pages that cost it most: every paragraph just under the
// bound of one passage, changed by both sides, past the bound of the
// whole merge; and one paragraph of a megabyte changed by both.
func TestDiffer_MergeWordsHostile(t *testing.T) {
	para := strings.TrimSpace(strings.Repeat("mot ", MaxMergeRegionTokens/2-8)) + ".\n\n"
	var base strings.Builder
	for range 150 { // 150 × 4,080 tokens: more than MaxMergeTokens
		base.WriteString(para)
	}
	cases := []struct{ name, base, mine, theirs string }{
		{"many long paragraphs changed on both sides", base.String(),
			strings.ReplaceAll(base.String(), "mot mot.", "mot fin."),
			strings.ReplaceAll(base.String(), "\n\nmot", "\n\ndébut")},
		{"one paragraph of a megabyte", strings.Repeat("mot ", 1<<18) + "\n",
			"début " + strings.Repeat("mot ", 1<<18) + "\n", strings.Repeat("mot ", 1<<18) + "fin\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			start := time.Now()
			m, err := New().Merge(context.Background(), c.base, c.mine, c.theirs)
			if err != nil {
				t.Fatal(err)
			}
			if el := time.Since(start); el > hangLimit {
				t.Errorf("Merge took %v", el)
			}
			y, th := mergeSides(m)
			if len(y) < len(c.mine)/2 || len(th) < len(c.theirs)/2 {
				t.Errorf("the sides lost text: %d and %d bytes", len(y), len(th))
			}
			t.Logf("%d regions in %v", len(m.Conflicts()), time.Since(start))
		})
	}
}
