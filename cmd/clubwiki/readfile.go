package main

import (
	"fmt"
	"io"
	"io/fs"
	"os"
)

// readRegular reads the file name for import, at most max bytes, or says
// why it is skipped. The walk already left out what the folder listed as
// anything but a regular file; this holds against a file swapped for a
// link or a FIFO since: the open does not follow a link (so /etc/passwd or
// /dev/zero behind one is never read) and does not wait for a FIFO's
// writer, the checks apply to the file actually opened, and the read stops
// past max whatever the file claims.
func readRegular(name string, max int) ([]byte, string) {
	f, err := os.OpenFile(name, os.O_RDONLY|openNoFollow, 0)
	if err != nil {
		if isLinkRefusal(err) {
			return nil, notRegular(fs.ModeSymlink)
		}
		return nil, err.Error()
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err.Error()
	}
	if why := notRegular(st.Mode()); why != "" {
		return nil, why
	}
	if st.Size() > int64(max) {
		return nil, tooLarge(st.Size(), max)
	}
	b, err := io.ReadAll(io.LimitReader(f, int64(max)+1))
	if err != nil {
		return nil, err.Error()
	}
	if len(b) > max { // grew since the stat
		return nil, tooLarge(int64(len(b)), max)
	}
	return b, ""
}

func tooLarge(size int64, max int) string {
	return fmt.Sprintf("too large (%d bytes; the limit is %d)", size, max)
}

// notRegular says why a file of mode m is not imported, or "" when it is a
// regular file.
func notRegular(m fs.FileMode) string {
	switch {
	case m.IsRegular():
		return ""
	case m&fs.ModeSymlink != 0:
		return "symbolic link, not followed (only regular files inside the folder are imported)"
	case m&fs.ModeNamedPipe != 0:
		return "named pipe (FIFO), not a regular file"
	case m&fs.ModeSocket != 0:
		return "socket, not a regular file"
	case m&fs.ModeDevice != 0:
		return "device, not a regular file"
	case m.IsDir():
		return "folder, not a regular file"
	}
	return "not a regular file"
}
