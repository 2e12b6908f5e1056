//go:build linux

package mapped

import (
	"bytes"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

const fileSize = 4 << 20

// mapFile writes a file of fileSize bytes and maps it with prot and flags.
func mapFile(t *testing.T, name string, prot, flags int) (path string, data []byte) {
	t.Helper()
	path = filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, bytes.Repeat([]byte("clubwiki"), fileSize/8), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if prot&syscall.PROT_WRITE != 0 {
		f, err = os.OpenFile(path, os.O_RDWR, 0)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	data, err = syscall.Mmap(int(f.Fd()), 0, fileSize, prot, flags)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = syscall.Munmap(data) })
	return path, data
}

// touch reads every page so that it is resident.
func touch(data []byte) (sum int) {
	for i := 0; i < len(data); i += 4096 {
		sum += int(data[i])
	}
	return sum
}

// rssOf returns the resident bytes of this process's mappings of path.
func rssOf(t *testing.T, path string) int64 {
	t.Helper()
	n, err := Resident(func(p string) bool { return p == path })
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestRelease(t *testing.T) {
	t.Run("a read-only shared mapping is released and reads the same", func(t *testing.T) {
		path, data := mapFile(t, "store.db", syscall.PROT_READ, syscall.MAP_SHARED)
		want := touch(data)
		if rss := rssOf(t, path); rss < fileSize/2 {
			t.Fatalf("only %d bytes resident after reading %d: cannot test", rss, fileSize)
		}
		if err := Release(path); err != nil {
			t.Fatal(err)
		}
		if rss := rssOf(t, path); rss > 64<<10 {
			t.Errorf("%d bytes still resident after Release", rss)
		}
		if got := touch(data); got != want || !bytes.Equal(data[:16], []byte("clubwikiclubwiki")) {
			t.Error("the mapping reads differently after Release")
		}
	})
	t.Run("a file not named keeps its pages", func(t *testing.T) {
		kept, data := mapFile(t, "kept.zap", syscall.PROT_READ, syscall.MAP_SHARED)
		other, odata := mapFile(t, "other.zap", syscall.PROT_READ, syscall.MAP_SHARED)
		touch(data)
		touch(odata)
		before := rssOf(t, kept)
		if err := Release(other); err != nil {
			t.Fatal(err)
		}
		if after := rssOf(t, kept); after < before {
			t.Errorf("the file not named went from %d to %d resident bytes", before, after)
		}
		if rss := rssOf(t, other); rss > 64<<10 {
			t.Errorf("the file named keeps %d resident bytes", rss)
		}
	})
	t.Run("a private mapping written to is never touched", func(t *testing.T) {
		path, data := mapFile(t, "private.db", syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_PRIVATE)
		copy(data, "only copy")
		if err := Release(path); err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(data, []byte("only copy")) {
			t.Errorf("a private page written to was dropped: %q", data[:9])
		}
	})
	t.Run("a missing file is an error", func(t *testing.T) {
		if err := Release(filepath.Join(t.TempDir(), "absent")); err == nil {
			t.Error("no error")
		}
	})
}
