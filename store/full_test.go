package store

import (
	"io/fs"
	"strings"
	"syscall"
	"testing"

	"github.com/kdecole-club/clubwiki/wiki"
)

// TestAsWikiError_DiskFull feeds the error bbolt's commit returns when the
// disk is full (the write of a page fails): cmd/clubwiki's serve tests
// fill a real disk.
func TestAsWikiError_DiskFull(t *testing.T) {
	t.Parallel()
	for _, errno := range []syscall.Errno{syscall.ENOSPC, syscall.EDQUOT} {
		t.Run(errno.Error(), func(t *testing.T) {
			cause := &fs.PathError{Op: "write", Path: "/data/clubwiki.db", Err: errno}
			err := asWikiError(cause, "writing the data file")
			if wiki.ErrorCode(err) != wiki.EStorageFull {
				t.Fatalf("code %q, want %q (%v)", wiki.ErrorCode(err), wiki.EStorageFull, err)
			}
			if msg := wiki.ErrorMessage(err); !strings.Contains(msg, "disk") || !strings.Contains(msg, "full") {
				t.Errorf("message %q does not say the disk is full", msg)
			}
		})
	}
	t.Run("other errors stay internal", func(t *testing.T) {
		err := asWikiError(&fs.PathError{Op: "write", Path: "x", Err: syscall.EIO}, "writing the data file")
		if wiki.ErrorCode(err) != wiki.EInternal {
			t.Errorf("code %q, want internal", wiki.ErrorCode(err))
		}
	})
}
