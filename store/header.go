package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"io/fs"
	"os"
	"time"

	"github.com/kdecole-club/clubwiki/wiki"
)

// bbolt trusts its file: it maps it whole, reads pages past the end of a
// truncated file (SIGBUS, which no recover catches), initialises an empty
// file as a new database, and silently falls back to the previous
// transaction when the newest meta page is damaged. checkHeader reads the
// two meta pages itself before bbolt opens the file, so that each of these
// becomes a clear refusal instead.
//
// bbolt's meta page (version 2), in the machine's byte order: a 16-byte
// page header, then magic, version, page size and flags (uint32 each), the
// root bucket (root page id, sequence), the freelist page id, the high-water
// mark (pgid: the number of pages in use), the transaction id (uint64 each)
// and an FNV-64a checksum of everything in the meta before it.
const (
	boltMagic      = 0xED0CDAED
	boltVersion    = 2
	boltPageHeader = 16
	boltMetaSum    = 56 // bytes covered by the checksum
	boltMetaLen    = boltMetaSum + 8

	// bbolt page sizes are powers of two in this range; it probes the
	// same range for the second meta page when the first is unreadable.
	minPageSize = 1 << 10
	maxPageSize = 1 << 24
)

// boltMeta is what checkHeader needs from a meta page.
type boltMeta struct {
	pageSize int
	root     uint64 // the root bucket's page
	freelist uint64 // the freelist's page, or freelistNone
	pgid     uint64 // high-water mark: the file holds at least pgid pages
	txid     uint64
}

// freelistNone is the freelist page id of a file that does not store it.
const freelistNone = 1<<64 - 1

// parseMeta decodes and validates the meta page at the start of page.
func parseMeta(page []byte) (boltMeta, error) {
	if len(page) < boltPageHeader+boltMetaLen {
		return boltMeta{}, errors.New("cut short")
	}
	m := page[boltPageHeader : boltPageHeader+boltMetaLen]
	u32 := func(off int) uint32 { return binary.NativeEndian.Uint32(m[off:]) }
	u64 := func(off int) uint64 { return binary.NativeEndian.Uint64(m[off:]) }
	if u32(0) != boltMagic {
		return boltMeta{}, errors.New("no bbolt signature")
	}
	if v := u32(4); v != boltVersion {
		return boltMeta{}, fmt.Errorf("bbolt format version %d, want %d", v, boltVersion)
	}
	h := fnv.New64a()
	_, _ = h.Write(m[:boltMetaSum])
	if h.Sum64() != u64(boltMetaSum) {
		return boltMeta{}, errors.New("checksum mismatch")
	}
	meta := boltMeta{pageSize: int(u32(8)), root: u64(16), freelist: u64(32), pgid: u64(40), txid: u64(48)}
	ps := meta.pageSize
	if ps < minPageSize || ps > maxPageSize || ps&(ps-1) != 0 {
		return boltMeta{}, fmt.Errorf("impossible page size %d", ps)
	}
	if meta.pgid < 2 || meta.pgid > 1<<62/uint64(ps) {
		return boltMeta{}, fmt.Errorf("impossible page count %d", meta.pgid)
	}
	return meta, nil
}

// readMeta reads and validates the meta page at off.
func readMeta(f io.ReaderAt, off int64) (boltMeta, error) {
	buf := make([]byte, boltPageHeader+boltMetaLen)
	if _, err := f.ReadAt(buf, off); err != nil {
		return boltMeta{}, fmt.Errorf("unreadable: %w", err)
	}
	return parseMeta(buf)
}

// checkHeader refuses an existing data file that bbolt must not open: empty,
// not a bbolt file, with a damaged meta page, or shorter than its newest
// meta page says. A missing file is fine (Open creates it). Errors other
// than damage (permissions…) are left for bbolt to report.
func checkHeader(path string, f *os.File, acceptRollback bool) error {
	st, err := f.Stat()
	if err != nil {
		return nil
	}
	size := st.Size()
	if size == 0 {
		return damagef("%s is empty: not creating a new wiki over it; restore a backup, or remove the file to start a new wiki", path)
	}
	m0, err0 := readMeta(f, 0)
	ps := m0.pageSize
	if err0 != nil {
		// The first meta page holds the page size; find the second one
		// by trying each possible size, as bbolt does.
		for ps = minPageSize; ps <= maxPageSize && int64(ps) < size; ps *= 2 {
			if _, err := readMeta(f, int64(ps)); err == nil {
				break
			}
		}
		if ps > maxPageSize || int64(ps) >= size {
			return damagef("%s is not a clubwiki data file, or both its headers (bbolt meta pages) are damaged (%v); restore a backup", path, err0)
		}
	}
	if size < 2*int64(ps) {
		return damagef("%s is truncated: %d bytes, expected at least %d; restore a backup", path, size, 2*ps)
	}
	m1, err1 := readMeta(f, int64(ps))
	for i, err := range []error{err0, err1} {
		if err != nil && !acceptRollback {
			return damagef("%s: its header (bbolt meta page %d) is damaged (%v); opening it would silently go back to "+
				"the previous save and lose the last one; restore a backup, or, without one, accept that loss with "+
				"clubwiki check --accept-rollback", path, i, err)
		}
	}
	newest := m0
	if err0 != nil || (err1 == nil && m1.txid > m0.txid) {
		newest = m1
	}
	if want := int64(newest.pgid) * int64(ps); size < want {
		return damagef("%s is truncated: %d bytes, expected at least %d; restore a backup", path, size, want)
	}
	return nil
}

// openChecked opens path for checkHeader. A missing file needs no check.
func openChecked(path string) (*os.File, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	return f, err
}

// damagef is a refusal to use a damaged file; errors.Is(err, ErrDamaged).
func damagef(format string, args ...any) error {
	return &wiki.Error{Code: wiki.EInternal, Message: fmt.Sprintf(format, args...), Err: ErrDamaged}
}

// precheck runs checkHeader under a shared lock, so that a file a running
// server is writing is reported as in use, never as damaged by a meta page
// read halfway through its write. The lock goes with the file, before bbolt
// takes its own.
func precheck(path string, timeout time.Duration, acceptRollback bool) error {
	f, err := openChecked(path)
	if f == nil || err != nil {
		return nil // missing, or unreadable: bbolt creates it or says why
	}
	defer f.Close()
	if err := lockShared(f, timeout); errors.Is(err, errBusy) {
		return lockedError(path)
	}
	return checkHeader(path, f, acceptRollback)
}
