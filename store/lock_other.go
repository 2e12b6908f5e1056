//go:build !unix

package store

import (
	"errors"
	"os"
	"time"
)

var errBusy = errors.New("locked by another process")

// lockShared does nothing where flock does not exist: the header is then
// read unlocked, and bbolt's own lock still keeps a second writer out.
func lockShared(*os.File, time.Duration) error { return nil }
