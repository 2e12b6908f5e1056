package store_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kdecole-club/clubwiki/store"
	"github.com/kdecole-club/clubwiki/wiki"
	bolt "go.etcd.io/bbolt"
)

// clock is a deterministic clock: every reading is one second after the last.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2025, 3, 14, 9, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(time.Second)
	return c.t
}

// openTest opens a fresh store in a temporary directory and closes it at the
// end of the test. It returns the file path for reopening.
func openTest(t testing.TB) (*store.DB, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "clubwiki.db")
	db := reopen(t, path)
	return db, path
}

func reopen(t testing.TB, path string) *store.DB {
	t.Helper()
	// No fsync: no test of this package is about durability (e2e's crash
	// test is, with the binary), and a commit's fsync costs milliseconds.
	db, err := store.Open(path, store.Options{Now: newClock().Now, NoSync: true})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}

// commit saves text at p on top of expectRev and fails the test on error.
func commit(t testing.TB, db *store.DB, p string, expectRev int, text string, links ...string) wiki.Change {
	t.Helper()
	kind := wiki.KindEdit
	if expectRev == 0 {
		kind = wiki.KindCreate
	}
	c := wiki.Commit{
		Path: wiki.MustPath(p), ExpectRev: expectRev, Kind: kind, Author: "alice",
		Summary: "résumé " + p, Markdown: text, Title: "Titre " + p,
	}
	for _, l := range links {
		c.Links = append(c.Links, wiki.MustPath(l))
	}
	chs, err := db.Commit(context.Background(), c)
	if err != nil {
		t.Fatalf("Commit(%s, %d): %v", p, expectRev, err)
	}
	return chs[0]
}

func deletePage(t testing.TB, db *store.DB, p string, expectRev int) wiki.Change {
	t.Helper()
	chs, err := db.Commit(context.Background(), wiki.Commit{
		Path: wiki.MustPath(p), ExpectRev: expectRev, Kind: wiki.KindDelete, Author: "bob", Deleted: true,
	})
	if err != nil {
		t.Fatalf("delete %s: %v", p, err)
	}
	return chs[0]
}

func wantCode(t *testing.T, err error, code wiki.Code) {
	t.Helper()
	if got := wiki.ErrorCode(err); got != code {
		t.Fatalf("error %v: code %q, want %q", err, got, code)
	}
}

func TestOpen(t *testing.T) {
	// In parallel: the second opener waits out the default lock timeout
	// (a second, asleep), while TestDB_CompactHistory computes.
	t.Parallel()
	t.Run("second opener fails fast with ErrLocked", func(t *testing.T) {
		_, path := openTest(t)
		start := time.Now()
		db2, err := store.Open(path, store.Options{})
		elapsed := time.Since(start)
		if err == nil {
			_ = db2.Close()
			t.Fatal("second Open succeeded while the first holds the file")
		}
		if !errors.Is(err, store.ErrLocked) {
			t.Fatalf("err = %v, want ErrLocked", err)
		}
		if !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "in use") {
			t.Errorf("message %q should name the file and say it is in use", err)
		}
		if elapsed > 3*time.Second {
			t.Errorf("second Open took %v; it must not hang", elapsed)
		}
	})
	t.Run("reopen after close", func(t *testing.T) {
		db, path := openTest(t)
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
		reopen(t, path)
	})
	t.Run("newer schema is refused", func(t *testing.T) {
		db, path := openTest(t)
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
		setRawSchema(t, path, uint32(store.SchemaVersion()+1))
		db2, err := store.Open(path, store.Options{})
		if err == nil {
			_ = db2.Close()
			t.Fatal("Open accepted a file from a newer schema")
		}
		if !errors.Is(err, store.ErrNewerSchema) || !strings.Contains(err.Error(), "newer clubwiki") {
			t.Fatalf("err = %v, want ErrNewerSchema with advice", err)
		}
		// The refusal must release the lock so that an older-binary error
		// does not turn into a "file in use" one on the next try.
		setRawSchema(t, path, uint32(store.SchemaVersion()))
		reopen(t, path)
	})
	t.Run("missing directory", func(t *testing.T) {
		_, err := store.Open(filepath.Join(t.TempDir(), "no", "such.db"), store.Options{})
		wantCode(t, err, wiki.EInternal)
	})
}

// setRawSchema writes a schema version straight into the file, as a newer
// clubwiki would have.
func setRawSchema(t *testing.T, path string, v uint32) {
	t.Helper()
	raw, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	err = raw.Update(func(tx *bolt.Tx) error {
		return tx.Bucket([]byte("meta")).Put([]byte("schema"), binary.BigEndian.AppendUint32(nil, v))
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestDB_Backup(t *testing.T) {
	t.Parallel()
	t.Run("copy opens with the same pages", func(t *testing.T) {
		db, _ := openTest(t)
		commit(t, db, "club/accueil", 0, "# Bienvenue")
		copyPath := filepath.Join(t.TempDir(), "copy.db")
		f, err := os.Create(copyPath)
		if err != nil {
			t.Fatal(err)
		}
		n, err := db.Backup(context.Background(), f)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil || n == 0 {
			t.Fatalf("Backup: %d bytes, %v", n, err)
		}
		cp := reopen(t, copyPath)
		_, text, err := cp.Revision(context.Background(), wiki.MustPath("club/accueil"), 1)
		if err != nil || text != "# Bienvenue" {
			t.Fatalf("copy: %q, %v", text, err)
		}
	})
	t.Run("a cancelled request copies nothing", func(t *testing.T) {
		db, _ := openTest(t)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		var buf bytes.Buffer
		if n, err := db.Backup(ctx, &buf); !errors.Is(err, context.Canceled) || n != 0 || buf.Len() != 0 {
			t.Fatalf("Backup after cancel: %d bytes (buffer %d), %v", n, buf.Len(), err)
		}
	})
}
