//go:build unix

package store

import (
	"errors"
	"os"
	"syscall"
	"time"
)

// errBusy: another process holds the file's lock.
var errBusy = errors.New("locked by another process")

// lockShared takes a shared flock on f, waiting at most timeout for a
// writer (bbolt holds an exclusive one) to let go. Closing f releases it.
func lockShared(f *os.File, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_SH|syscall.LOCK_NB)
		if !errors.Is(err, syscall.EWOULDBLOCK) {
			return err
		}
		if time.Now().After(deadline) {
			return errBusy
		}
		time.Sleep(50 * time.Millisecond)
	}
}
