//go:build unix

package main

import (
	"errors"
	"syscall"
)

// openNoFollow makes open fail on a symbolic link instead of following it,
// and return at once on a FIFO instead of waiting for a writer (O_NONBLOCK
// changes nothing for regular files).
const openNoFollow = syscall.O_NOFOLLOW | syscall.O_NONBLOCK

// isLinkRefusal tells whether err is open refusing a link (O_NOFOLLOW).
func isLinkRefusal(err error) bool { return errors.Is(err, syscall.ELOOP) }
