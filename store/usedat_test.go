package store

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/kdecole-club/clubwiki/wiki"
)

// TestDB_UsedAt checks what counts as a use of the store for the
// releaser: a read and a commit do, releasing its mapped pages does not.
func TestDB_UsedAt(t *testing.T) {
	t.Parallel()
	db, err := Open(filepath.Join(t.TempDir(), "clubwiki.db"), Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	ctx := context.Background()
	opened := db.UsedAt() // Open's own transactions
	time.Sleep(time.Millisecond)
	if _, err := db.Head(ctx, wiki.MustPath("usages/absente")); wiki.ErrorCode(err) != wiki.ENotFound {
		t.Fatalf("head of a missing page: %v", err)
	}
	read := db.UsedAt()
	if !read.After(opened) {
		t.Fatalf("a read is not a use: %v after opening, %v after the read", opened, read)
	}
	if err := db.ReleaseMapped(); err != nil {
		t.Fatal(err)
	}
	if got := db.UsedAt(); !got.Equal(read) {
		t.Errorf("releasing the mapped pages counts as a use: %v, then %v", read, got)
	}
	time.Sleep(time.Millisecond)
	if _, err := db.LastSeq(ctx); err != nil {
		t.Fatal(err)
	}
	if got := db.UsedAt(); !got.After(read) {
		t.Errorf("a second read is not a use: %v, then %v", read, got)
	}
}
