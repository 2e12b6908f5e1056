//go:build unix

package hostile

import (
	"os"
	"path/filepath"
	"syscall"
)

// Traps are the special files an import tree was attacked with, by path
// under the tree (with "/"), and the reason the import gives for skipping
// each: links to a file and to a folder outside the tree, a link to
// /dev/zero (a read never ends) and a FIFO (an open never returns).
var Traps = map[string]string{
	"club/passwd.md": "symbolic link",
	"club/zero.md":   "symbolic link",
	"usages/lien":    "symbolic link",
	"club/x.md":      "named pipe",
}

// MakeTraps builds Traps under dir: club/passwd.md links to outsideFile,
// club/zero.md to /dev/zero, usages/lien to outsideDir, and club/x.md is a
// FIFO. Missing folders are created.
func MakeTraps(dir, outsideFile, outsideDir string) error {
	for _, d := range []string{"club", "usages"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o750); err != nil {
			return err
		}
	}
	links := [][2]string{
		{outsideFile, "club/passwd.md"},
		{"/dev/zero", "club/zero.md"},
		{outsideDir, "usages/lien"},
	}
	for _, l := range links {
		if err := os.Symlink(l[0], filepath.Join(dir, filepath.FromSlash(l[1]))); err != nil {
			return err
		}
	}
	return MakeFIFO(filepath.Join(dir, "club", "x.md"))
}

// MakeFIFO makes a named pipe at path: opening it for reading blocks until
// a writer comes, which none does.
func MakeFIFO(path string) error { return syscall.Mkfifo(path, 0o600) }
