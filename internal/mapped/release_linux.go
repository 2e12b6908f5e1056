//go:build linux

package mapped

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

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
	for sc.Scan() {
		start, end, ok := matching(sc.Text(), want)
		if !ok {
			continue
		}
		if _, _, errno := syscall.Syscall(syscall.SYS_MADVISE, start, end-start, syscall.MADV_DONTNEED); errno != 0 {
			return fmt.Errorf("releasing mapped pages: %w", errno)
		}
	}
	return sc.Err()
}

// matching parses a line of /proc/self/maps ("start-end perms offset dev
// inode path") and returns its range when it maps one of the files
// wanted, read-only and shared.
func matching(line string, want map[fileID]bool) (start, end uintptr, ok bool) {
	f := strings.Fields(line)
	if len(f) < 6 || f[1] != "r--s" {
		return 0, 0, false
	}
	ino, err := strconv.ParseUint(f[4], 10, 64)
	if err != nil {
		return 0, 0, false
	}
	// A path may hold spaces; the kernel appends " (deleted)" to a file
	// removed since, which matches nothing here.
	path := strings.Join(f[5:], " ")
	if !want[fileID{ino, filepath.Base(path)}] {
		return 0, 0, false
	}
	lo, hi, _ := strings.Cut(f[0], "-")
	s, err1 := strconv.ParseUint(lo, 16, 64)
	e, err2 := strconv.ParseUint(hi, 16, 64)
	if err1 != nil || err2 != nil || e <= s {
		return 0, 0, false
	}
	return uintptr(s), uintptr(e), true
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
