package main

import (
	"strings"
	"testing"
)

// TestRun_LockWait checks that the wait for a data folder in use is an
// option: a command given a short one fails with the usual message. The
// default of 1 s is pinned by the store's own lock test.
func TestRun_LockWait(t *testing.T) {
	dir := t.TempDir()
	openData(t, dir) // holds the lock until the test ends
	t.Run("short wait", func(t *testing.T) {
		r := runCLI(t, "", "check", "--data", dir, "--lock-wait", "20ms")
		if r.code != 1 || !strings.Contains(r.stderr, "in use") {
			t.Errorf("exit %d, stderr %q; want 1 and a data folder in use", r.code, r.stderr)
		}
	})
	t.Run("negative wait", func(t *testing.T) {
		r := runCLI(t, "", "check", "--data", dir, "--lock-wait", "-1s")
		if r.code != 2 || !strings.Contains(r.stderr, "--lock-wait") {
			t.Errorf("exit %d, stderr %q; want 2 and the option named", r.code, r.stderr)
		}
	})
}
