package store

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/kdecole-club/clubwiki/wiki"
)

// smallStoreFile returns the bytes of a closed store holding one page.
func smallStoreFile(tb testing.TB) []byte {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "clubwiki.db")
	db, err := Open(path, Options{NoSync: true})
	if err != nil {
		tb.Fatal(err)
	}
	_, err = db.Commit(context.Background(), wiki.Commit{Path: wiki.MustPath("usages/a"), Kind: wiki.KindCreate, Author: "bob", Markdown: "# A\n"})
	if err != nil {
		tb.Fatal(err)
	}
	if err := db.Close(); err != nil {
		tb.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// FuzzParseMeta: any bytes give a meta that passes the checks bbolt relies
// on, or an error; never a panic.
func FuzzParseMeta(f *testing.F) {
	b := smallStoreFile(f)
	f.Add(b[:boltPageHeader+boltMetaLen])
	f.Add(b[filePageSizeOf(f, b) : filePageSizeOf(f, b)+boltPageHeader+boltMetaLen])
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, page []byte) {
		m, err := parseMeta(page)
		if err != nil {
			return
		}
		if m.pageSize < minPageSize || m.pageSize > maxPageSize || m.pageSize&(m.pageSize-1) != 0 || m.pgid < 2 {
			t.Fatalf("parseMeta accepted %+v", m)
		}
	})
}

func filePageSizeOf(tb testing.TB, b []byte) int {
	m, err := parseMeta(b)
	if err != nil {
		tb.Fatal(err)
	}
	return m.pageSize
}

// FuzzCheckPages: whatever a file holds, the bounded walk ends without a
// panic, and finds nothing wrong in an intact file.
func FuzzCheckPages(f *testing.F) {
	orig := smallStoreFile(f)
	m0, _ := parseMeta(orig)
	m1, _ := readMeta(bytes.NewReader(orig), int64(m0.pageSize))
	txid := max(m0.txid, m1.txid)
	if problems := checkPages(bytes.NewReader(orig), int64(len(orig)), txid); len(problems) != 0 {
		f.Fatalf("intact file: %q", problems)
	}
	f.Add(uint32(2*m0.pageSize), []byte{0xFF})
	f.Add(uint32(3*m0.pageSize+20), []byte{1, 2, 3, 4, 5, 6, 7, 8})
	f.Fuzz(func(t *testing.T, off uint32, patch []byte) {
		b := bytes.Clone(orig)
		copy(b[min(int(off), len(b)):], patch)
		checkPages(bytes.NewReader(b), int64(len(b)), txid)
	})
}
