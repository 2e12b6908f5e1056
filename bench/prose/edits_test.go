package prose

import (
	"strings"
	"testing"
)

// Each edit of a History changes exactly one paragraph, and a seed gives
// the same history every time.
func TestHistory_Edit(t *testing.T) {
	sentences := Generated(500, 3)
	h, again := NewHistory(sentences, 20<<10, 5), NewHistory(sentences, 20<<10, 5)
	prev := h.Text()
	if len(prev) < 20<<10 {
		t.Fatalf("the page has %d bytes, want at least %d", len(prev), 20<<10)
	}
	if again.Text() != prev {
		t.Fatal("the same seed gave another page")
	}
	changed := 0
	for range 200 {
		next := h.Edit()
		if again.Edit() != next {
			t.Fatal("the same seed gave another edit")
		}
		a, b := strings.Split(prev, "\n\n"), strings.Split(next, "\n\n")
		if len(a) != len(b) {
			t.Fatalf("an edit changed the number of paragraphs: %d → %d", len(a), len(b))
		}
		diff := 0
		for i := range a {
			if a[i] != b[i] {
				diff++
			}
		}
		if diff > 1 {
			t.Fatalf("an edit changed %d paragraphs", diff)
		}
		changed += diff
		prev = next
	}
	if changed < 150 { // an edit may draw the sentence it replaces
		t.Errorf("only %d of 200 edits changed the page", changed)
	}
}
