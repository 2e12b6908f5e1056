package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"

	bolt "go.etcd.io/bbolt"
)

// bbolt's own consistency check (Tx.Check) runs in a goroutine of its own
// and reads keys through pointers computed from the pages: on a damaged
// page they point outside the mapped file, and the fault kills the process
// (SetPanicOnFault only covers the goroutine that sets it). pageChecker
// first walks the same b-tree from the file with explicit bounds, and
// Check hands the transaction to bbolt only when every page, element, key
// and inline bucket lies where bbolt will look for it.
//
// bbolt's page layout (machine byte order): id uint64, flags uint16, count
// uint16, overflow uint32, then count elements of 16 bytes. A branch
// element is pos, ksize (uint32), child page id (uint64); a leaf element is
// flags, pos, ksize, vsize (uint32). pos is counted from the element
// itself. A leaf element with flag 1 is a bucket: its value starts with
// the bucket's root page id and sequence (uint64 each), and a root of 0
// means the bucket's leaf page is inline, right after them.
const (
	pageBranch   = 0x01
	pageLeaf     = 0x02
	leafIsBucket = 0x01
	pageElemSize = 16
	bucketHeader = 16

	// maxTreeDepth bounds the recursion on a damaged tree that loops.
	maxTreeDepth = 256
)

// pageChecker reads pages straight from the file.
type pageChecker struct {
	f    io.ReaderAt
	ps   int
	hwm  uint64          // pages in use, from the transaction's meta
	seen map[uint64]bool // pages already reached
	errs []string
}

func (pc *pageChecker) failf(format string, args ...any) {
	pc.errs = append(pc.errs, fmt.Sprintf(format, args...))
}

// page reads page id with its overflow pages, or reports why it cannot.
func (pc *pageChecker) page(id uint64) []byte {
	if id < 2 || id >= pc.hwm {
		pc.failf("page %d: out of bounds (%d pages in use)", id, pc.hwm)
		return nil
	}
	if pc.seen[id] {
		pc.failf("page %d: reached twice", id)
		return nil
	}
	pc.seen[id] = true
	head := make([]byte, boltPageHeader)
	if _, err := pc.f.ReadAt(head, int64(id)*int64(pc.ps)); err != nil {
		pc.failf("page %d: unreadable: %v", id, err)
		return nil
	}
	self, overflow := binary.NativeEndian.Uint64(head), uint64(binary.NativeEndian.Uint32(head[12:]))
	if self != id {
		pc.failf("page %d: says it is page %d", id, self)
		return nil
	}
	if overflow >= pc.hwm-id {
		pc.failf("page %d: %d overflow pages run past the %d pages in use", id, overflow, pc.hwm)
		return nil
	}
	buf := make([]byte, (overflow+1)*uint64(pc.ps))
	if _, err := pc.f.ReadAt(buf, int64(id)*int64(pc.ps)); err != nil {
		pc.failf("page %d: unreadable: %v", id, err)
		return nil
	}
	return buf
}

// tree checks the page tree rooted at id.
func (pc *pageChecker) tree(id uint64, depth int) {
	if depth > maxTreeDepth {
		pc.failf("page %d: tree deeper than %d", id, maxTreeDepth)
		return
	}
	if p := pc.page(id); p != nil {
		pc.nodes(fmt.Sprintf("page %d", id), p, depth)
	}
}

// nodes checks the elements of page p (a page read from the file, or an
// inline bucket's page inside a value) and follows children and buckets.
func (pc *pageChecker) nodes(name string, p []byte, depth int) {
	if len(p) < boltPageHeader {
		pc.failf("%s: cut short", name)
		return
	}
	flags, count := binary.NativeEndian.Uint16(p[8:]), int(binary.NativeEndian.Uint16(p[10:]))
	if flags != pageBranch && flags != pageLeaf {
		pc.failf("%s: not a branch or leaf page (flags %#x)", name, flags)
		return
	}
	if boltPageHeader+count*pageElemSize > len(p) {
		pc.failf("%s: %d elements do not fit", name, count)
		return
	}
	for i := range count {
		at := boltPageHeader + i*pageElemSize
		e := p[at : at+pageElemSize]
		u32 := func(off int) uint64 { return uint64(binary.NativeEndian.Uint32(e[off:])) }
		if flags == pageBranch {
			if end := uint64(at) + u32(0) + u32(4); end > uint64(len(p)) {
				pc.failf("%s: key %d runs past the page", name, i)
				return
			}
			pc.tree(binary.NativeEndian.Uint64(e[8:]), depth+1)
			continue
		}
		start := uint64(at) + u32(4)
		end := start + u32(8) + u32(12)
		if end > uint64(len(p)) {
			pc.failf("%s: record %d runs past the page", name, i)
			return
		}
		if u32(0)&leafIsBucket != 0 {
			pc.bucket(name, p[start+u32(8):end], depth)
		}
	}
}

// bucket checks a bucket whose header (and inline page) is v.
func (pc *pageChecker) bucket(name string, v []byte, depth int) {
	if len(v) < bucketHeader {
		pc.failf("%s: bucket record cut short", name)
		return
	}
	if root := binary.NativeEndian.Uint64(v); root != 0 {
		pc.tree(root, depth+1)
		return
	}
	if depth > maxTreeDepth {
		pc.failf("%s: buckets nested deeper than %d", name, maxTreeDepth)
		return
	}
	pc.nodes(name+" (inline bucket)", v[bucketHeader:], depth+1)
}

// checkPages verifies the b-tree of the meta with transaction id txid,
// read from f. It returns the problems found; none means bbolt can walk
// the tree without leaving the file.
func checkPages(f io.ReaderAt, size int64, txid uint64) []string {
	m0, err0 := readMeta(f, 0)
	if err0 != nil {
		return []string{fmt.Sprintf("meta page 0: %v", err0)}
	}
	meta, err := readMeta(f, int64(m0.pageSize))
	if err != nil {
		return []string{fmt.Sprintf("meta page 1: %v", err)}
	}
	if m0.txid == txid {
		meta = m0
	} else if meta.txid != txid {
		return []string{fmt.Sprintf("no meta page holds transaction %d (written meanwhile?)", txid)}
	}
	if want := int64(meta.pgid) * int64(m0.pageSize); size < want {
		return []string{fmt.Sprintf("the file is truncated: %d bytes, expected at least %d", size, want)}
	}
	pc := &pageChecker{f: f, ps: m0.pageSize, hwm: meta.pgid, seen: map[uint64]bool{}}
	if meta.freelist != freelistNone && (meta.freelist < 2 || meta.freelist >= meta.pgid) {
		pc.failf("freelist page %d: out of bounds (%d pages in use)", meta.freelist, meta.pgid)
	}
	pc.tree(meta.root, 0)
	return pc.errs
}

var errPanicked = errors.New("reading the file failed")

// guard runs fn, turning a panic of bbolt or of a decoder on a damaged page
// (or a fault reading the mapped file: view sets SetPanicOnFault) into a
// problem of the report. Its error is errPanicked after a panic.
func (ck *checker) guard(what string, fn func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			ck.rep.addf("bbolt structure: %s failed, the file is damaged: %v", what, r)
			err = errPanicked
		}
	}()
	return fn()
}

// pagesSound reports whether checkPages finds the b-tree within bounds,
// reporting what it finds otherwise.
func (ck *checker) pagesSound() bool {
	f, err := os.Open(ck.db.path)
	if err != nil {
		ck.rep.addf("bbolt structure: cannot read the file: %v", err)
		return false
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		ck.rep.addf("bbolt structure: cannot read the file: %v", err)
		return false
	}
	problems := checkPages(f, st.Size(), uint64(ck.tx.ID()))
	for _, p := range problems {
		ck.rep.addf("bbolt structure: %s", p)
	}
	return len(problems) == 0
}

// walk reads every key and value of every bucket, in this goroutine, so
// that a damaged page panics here (recovered by guard) and not in bbolt's
// checker. The checksum only makes sure every byte is read.
func (ck *checker) walk() error {
	var sum uint32
	var bucket func(b *bolt.Bucket)
	bucket = func(b *bolt.Bucket) {
		c := b.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			sum = crc32.Update(sum, crc32.IEEETable, k)
			if v != nil {
				sum = crc32.Update(sum, crc32.IEEETable, v)
			} else if child := b.Bucket(k); child != nil {
				bucket(child)
			}
		}
	}
	err := ck.tx.ForEach(func(_ []byte, b *bolt.Bucket) error {
		bucket(b)
		return nil
	})
	ck.walked = sum
	return err
}
