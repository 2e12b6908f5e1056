//go:build linux

package mapped

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
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

// touchSparse reads one byte every 256 KiB: a search's few reads spread
// over a segment.
func touchSparse(data []byte) (sum, n int) {
	for i := 0; i < len(data); i += 256 << 10 {
		sum += int(data[i])
		n++
	}
	return sum, n
}

// A file just written sits in the page cache in large folios where the
// kernel makes them, and a fault on a shared mapping maps its whole folio.
// After its first Release, the file comes back one page per fault, also
// when its pages were still dirty (a store copied from a backup and served
// at once): a dirty page cannot leave the page cache until written back.
func TestRelease_PageByPage(t *testing.T) {
	written := func(name string, sync bool) (string, []byte) {
		path, data := mapFile(t, name, syscall.PROT_READ, syscall.MAP_SHARED)
		if !sync {
			return path, data
		}
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if err := f.Sync(); err != nil {
			t.Fatal(err)
		}
		return path, data
	}
	for _, c := range []struct {
		name string
		sync bool
	}{{"written back", true}, {"still dirty", false}} {
		t.Run(c.name, func(t *testing.T) {
			control, cdata := written("control.zap", c.sync)
			csum, n := touchSparse(cdata)
			t.Logf("%d sparse reads of a file as written map %d KiB (sum %d)", n, rssOf(t, control)>>10, csum)

			path, data := written("segment.zap", c.sync)
			if err := Release(path); err != nil {
				t.Fatal(err)
			}
			sum, n := touchSparse(data)
			if rss := rssOf(t, path); rss > int64(n)*2*4096 {
				t.Errorf("%d sparse reads after Release map %d KiB, want at most two pages each", n, rss>>10)
			}
			if sum != n*int('c') {
				t.Errorf("the file reads differently: sum %d", sum)
			}
			// Later releases leave the page cache alone: a page read since
			// stays cached, so the next read does not go to the disk.
			if !firstSightDone(path) {
				t.Error("the file is not remembered as paged")
			}
		})
	}
}

// firstSightDone reports whether Release remembers the file as paged.
func firstSightDone(path string) bool {
	fi, err := os.Stat(path)
	if err != nil {
		return false
	}
	st := fi.Sys().(*syscall.Stat_t)
	paged.Lock()
	defer paged.Unlock()
	_, ok := paged.seen[fileID{st.Ino, filepath.Base(path)}]
	return ok
}

func TestFirstSight_Forgets(t *testing.T) {
	now := time.Now()
	a, b := fileID{1, "a.zap"}, fileID{2, "b.zap"}
	if !firstSight(a, now) || firstSight(a, now.Add(time.Second)) {
		t.Fatal("a file is new once")
	}
	// b seen long after a: a is forgotten, and new again when it returns.
	if !firstSight(b, now.Add(pagedForget+2*time.Second)) {
		t.Fatal("b is new")
	}
	paged.Lock()
	_, kept := paged.seen[a]
	paged.Unlock()
	if kept {
		t.Error("a file not seen for pagedForget is still remembered")
	}
}

func TestPageExecutable(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	ours := func(p string) bool { return p == exe }
	before, err := Resident(ours)
	if err != nil {
		t.Fatal(err)
	}
	if err := PageExecutable(); err != nil {
		t.Fatal(err)
	}
	after, err := Resident(ours)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("the test binary's own mappings: %d KiB resident before, %d KiB after", before>>10, after>>10)
	if after >= before {
		t.Errorf("PageExecutable left %d KiB resident of %d", after>>10, before>>10)
	}
	// The program runs on, its code faulted back a page at a time.
	if got := fmt.Sprint(sortedCopy([]int{3, 1, 2})); got != "[1 2 3]" {
		t.Errorf("after PageExecutable, code computes %s", got)
	}
}

func sortedCopy(in []int) []int {
	out := slices.Clone(in)
	slices.Sort(out)
	return out
}

// cachedPages counts the pages of path in the page cache (mincore over a
// fresh mapping, which maps nothing itself).
func cachedPages(t *testing.T, path string) int {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	data, err := syscall.Mmap(int(f.Fd()), 0, fileSize, syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = syscall.Munmap(data) }()
	vec := make([]byte, fileSize/4096)
	if _, _, errno := syscall.Syscall(syscall.SYS_MINCORE, uintptr(unsafe.Pointer(&data[0])), uintptr(len(data)), uintptr(unsafe.Pointer(&vec[0]))); errno != 0 {
		t.Fatal(errno)
	}
	n := 0
	for _, v := range vec {
		n += int(v & 1)
	}
	return n
}

// dropClean asks the kernel to drop path's clean pages from its cache.
func dropClean(t *testing.T, path string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := unix.Fadvise(int(f.Fd()), 0, 0, unix.FADV_DONTNEED); err != nil {
		t.Fatal(err)
	}
}

// WriteBack writes back a file Release has not seen, so that its pages
// can leave the page cache; a file seen already is left alone.
func TestWriteBack(t *testing.T) {
	dirty := func(name string) string {
		path := filepath.Join(t.TempDir(), name)
		if err := os.WriteFile(path, bytes.Repeat([]byte("clubwiki"), fileSize/8), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	control := dirty("control.db")
	dropClean(t, control)
	if n := cachedPages(t, control); n == 0 {
		t.Skip("the kernel wrote the file back at once: cannot test")
	}
	path := dirty("store.db")
	WriteBack(path)
	dropClean(t, path)
	if n := cachedPages(t, path); n != 0 {
		t.Errorf("%d pages still cached after WriteBack: they were not written back", n)
	}
	// Seen by a release, the file is not written back again. (Whether
	// its pages then stay dirty is up to the kernel's own writeback, which
	// other tests' writes may start at any time: the decision is tested.)
	// A name of its own: Release knows files by inode and name, and a
	// file of an earlier run (-count) may have left both.
	seen, data := mapFile(t, fmt.Sprintf("seen-%d.db", time.Now().UnixNano()), syscall.PROT_READ, syscall.MAP_SHARED)
	touch(data)
	if !unseen(seen) {
		t.Fatal("a file never released is not new to WriteBack")
	}
	if err := Release(seen); err != nil {
		t.Fatal(err)
	}
	if unseen(seen) {
		t.Error("a file a release had seen would be written back again")
	}
}
