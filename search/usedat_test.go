package search

import (
	"testing"
	"time"
)

// TestIndex_UsedAt checks what counts as a use of the index for the
// releaser: a write and a search do, releasing its mapped pages does not.
func TestIndex_UsedAt(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.save("usages/cahier", "# Cahier de textes\n\nLe cahier de textes en ligne.\n")
	e.sync()
	written := e.idx.UsedAt()
	if written.IsZero() {
		t.Fatal("no use after indexing a page")
	}
	if err := e.idx.ReleaseMapped(); err != nil {
		t.Fatal(err)
	}
	if got := e.idx.UsedAt(); !got.Equal(written) {
		t.Errorf("releasing the mapped pages counts as a use: %v, then %v", written, got)
	}
	time.Sleep(time.Millisecond) // the clock moves on between the two uses
	if res := e.search("cahier"); res.Total != 1 {
		t.Fatalf("%d hits, want 1", res.Total)
	}
	if got := e.idx.UsedAt(); !got.After(written) {
		t.Errorf("a search is not a use: %v, then %v", written, got)
	}
}
