//go:build linux

package mapped

import (
	"bufio"
	"debug/elf"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// paged holds the files whose cached pages were dropped once, so that
// they come back one page at a time, with when a release last saw each:
// a file not seen for pagedForget is forgotten (a merged segment,
// deleted), so the set holds only live files and a few recent ones.
var paged struct {
	sync.Mutex
	seen map[fileID]time.Time
}

const pagedForget = 10 * time.Minute

// firstSight records that a release saw id now and reports whether it is
// the first time. It forgets the files not seen for pagedForget.
func firstSight(id fileID, now time.Time) bool {
	paged.Lock()
	defer paged.Unlock()
	if paged.seen == nil {
		paged.seen = make(map[fileID]time.Time)
	}
	_, known := paged.seen[id]
	paged.seen[id] = now
	for other, at := range paged.seen {
		if now.Sub(at) > pagedForget {
			delete(paged.seen, other)
		}
	}
	return !known
}

// seenBefore reports whether a release saw id already.
func seenBefore(id fileID) bool {
	paged.Lock()
	defer paged.Unlock()
	_, ok := paged.seen[id]
	return ok
}

func writeBack(files []string) {
	for _, name := range files {
		if !unseen(name) {
			continue
		}
		if f, err := os.Open(name); err == nil {
			_ = f.Sync()
			_ = f.Close()
		}
	}
}

// unseen reports whether no release has seen the file yet.
func unseen(name string) bool {
	fi, err := os.Stat(name)
	if err != nil {
		return false
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	return ok && !seenBefore(fileID{st.Ino, filepath.Base(name)})
}

// fileID is how /proc/self/maps names a file: its inode, and its base name
// against a clash of inodes on two file systems.
type fileID struct {
	ino  uint64
	base string
}

func release(files []string) error {
	want := make(map[fileID]bool, len(files))
	for _, name := range files {
		fi, err := os.Stat(name)
		if err != nil {
			return err
		}
		if st, ok := fi.Sys().(*syscall.Stat_t); ok {
			want[fileID{st.Ino, filepath.Base(name)}] = true
		}
	}
	if len(want) == 0 {
		return nil
	}
	f, err := os.Open("/proc/self/maps")
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	var fresh []fileID
	now := time.Now()
	for sc.Scan() {
		start, end, id, ok := matching(sc.Text(), want)
		if !ok {
			continue
		}
		if err := releaseRange(start, end-start); err != nil {
			return err
		}
		if firstSight(id, now) {
			fresh = append(fresh, id)
		}
	}
	if err := sc.Err(); err != nil {
		return err
	}
	for _, id := range fresh {
		for _, name := range files {
			if filepath.Base(name) == id.base {
				dropCached(name)
			}
		}
	}
	return nil
}

func releaseRange(addr, n uintptr) error {
	if n == 0 {
		return nil
	}
	// MADV_RANDOM: a fault reads the one page it needs, no readahead.
	for _, advice := range []uintptr{syscall.MADV_RANDOM, syscall.MADV_DONTNEED} {
		if _, _, errno := syscall.Syscall(syscall.SYS_MADVISE, addr, n, advice); errno != 0 {
			return fmt.Errorf("releasing mapped pages: %w", errno)
		}
	}
	return nil
}

// dropCached asks the kernel to drop the file's pages from its page
// cache. A file just written sits there in large folios (tens or hundreds
// of kilobytes, or megabytes), and a fault on a shared mapping maps its
// whole folio: a search touching a few bytes of a segment counted 170 KB
// of it. Read again under MADV_RANDOM, the file comes back one page per
// fault. Only clean pages can be dropped, so the file is written back
// first: a store copied in (a backup restored) and served at once was
// still dirty at its first release, kept its folios, and under issue 8's
// load each release saw 20 MB of it mapped again within 20 ms. A caller
// holding a lock calls WriteBack before, so that this fsync finds
// nothing left to write.
func dropCached(name string) {
	f, err := os.Open(name)
	if err != nil {
		return
	}
	defer f.Close()
	_ = f.Sync()
	_ = unix.Fadvise(int(f.Fd()), 0, 0, unix.FADV_DONTNEED)
}

// matching parses a line of /proc/self/maps ("start-end perms offset dev
// inode path") and returns its range when it maps one of the files
// wanted, read-only and shared.
func matching(line string, want map[fileID]bool) (start, end uintptr, id fileID, ok bool) {
	f := strings.Fields(line)
	if len(f) < 6 || f[1] != "r--s" {
		return 0, 0, id, false
	}
	ino, err := strconv.ParseUint(f[4], 10, 64)
	if err != nil {
		return 0, 0, id, false
	}
	// A path may hold spaces; the kernel appends " (deleted)" to a file
	// removed since, which matches nothing here.
	path := strings.Join(f[5:], " ")
	id = fileID{ino, filepath.Base(path)}
	if !want[id] {
		return 0, 0, id, false
	}
	lo, hi, _ := strings.Cut(f[0], "-")
	s, err1 := strconv.ParseUint(lo, 16, 64)
	e, err2 := strconv.ParseUint(hi, 16, 64)
	if err1 != nil || err2 != nil || e <= s {
		return 0, 0, id, false
	}
	return uintptr(s), uintptr(e), id, true
}

// resident sums the Rss lines of /proc/self/smaps over the mappings whose
// file path match accepts.
func resident(match func(path string) bool) (int64, error) {
	b, err := os.ReadFile("/proc/self/smaps")
	if err != nil {
		return 0, err
	}
	var total int64
	in := false
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		switch {
		case len(f) >= 5 && strings.Contains(f[0], "-") && !strings.HasSuffix(f[0], ":"):
			in = len(f) >= 6 && match(strings.Join(f[5:], " "))
		case in && len(f) == 3 && f[0] == "Rss:":
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			total += kb << 10
		}
	}
	return total, nil
}

// pageExecutable drops the resident pages of the program's own code and
// constants (its read-only private mappings of its executable) and the
// executable's clean pages from the page cache, advising random access,
// so that they come back one page per fault: a binary just built or
// copied sits in the page cache in large folios, and a fault maps the
// whole folio, which counted about all of its 25 MB in the server's
// resident memory while a serve touches a fraction of it. A binary with
// a PT_GNU_RELRO segment (constants the dynamic linker writes before
// making them read-only) keeps its read-only data: dropping it would
// lose those writes.
func pageExecutable() error {
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	fi, err := os.Stat(exe)
	if err != nil {
		return err
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return nil
	}
	relro, err := hasRelro(exe)
	if err != nil {
		return err
	}
	perms := map[string]bool{"r-xp": true, "r--p": !relro}
	f, err := os.Open("/proc/self/maps")
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fl := strings.Fields(sc.Text())
		if len(fl) < 6 || !perms[fl[1]] {
			continue
		}
		if ino, err := strconv.ParseUint(fl[4], 10, 64); err != nil || ino != st.Ino || filepath.Base(strings.Join(fl[5:], " ")) != filepath.Base(exe) {
			continue
		}
		lo, hi, _ := strings.Cut(fl[0], "-")
		s, err1 := strconv.ParseUint(lo, 16, 64)
		e, err2 := strconv.ParseUint(hi, 16, 64)
		if err1 != nil || err2 != nil || e <= s {
			continue
		}
		for _, advice := range []uintptr{syscall.MADV_RANDOM, syscall.MADV_DONTNEED} {
			if _, _, errno := syscall.Syscall(syscall.SYS_MADVISE, uintptr(s), uintptr(e-s), advice); errno != 0 {
				return fmt.Errorf("paging the executable: %w", errno)
			}
		}
	}
	if err := sc.Err(); err != nil {
		return err
	}
	dropCached(exe)
	return nil
}

// hasRelro reports whether the ELF file has a PT_GNU_RELRO segment.
func hasRelro(name string) (bool, error) {
	f, err := elf.Open(name)
	if err != nil {
		return false, err
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_GNU_RELRO {
			return true, nil
		}
	}
	return false, nil
}
