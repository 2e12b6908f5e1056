package store_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kdecole-club/clubwiki/store"
	"github.com/kdecole-club/clubwiki/wiki"
	bolt "go.etcd.io/bbolt"
)

// historySteps turns texts into the steps verifySteps and checkFormats
// take.
func historySteps(texts []string) []step {
	steps := make([]step, len(texts))
	for i, text := range texts {
		steps[i] = step{text: text}
	}
	return steps
}

// 1,000 one-paragraph edits of a 20 KB French page add at most 1.5 MB to
// the data file (4.1 MB before full texts had a bucket of their own), and
// every revision reads back exactly, hash included. The size is a property
// of the format, asserted on the file; BenchmarkStore_CompactHistory
// reports it.
func TestDB_CompactHistory(t *testing.T) {
	t.Parallel() // alongside TestOpen's wait for the file lock
	texts := historyTexts(1000)
	path := filepath.Join(t.TempDir(), "history.db")
	g := writeHistory(t, path, texts)
	t.Logf("1,000 edits of a %d-byte page: the file grew by %d bytes, %d in bbolt pages", len(texts[0]), g.file, g.used)
	if g.file > 1_500_000 || g.used > 1_500_000 {
		t.Errorf("the file grew by %d bytes (%d in pages), want at most 1,500,000", g.file, g.used)
	}
	steps := historySteps(texts)
	checkFormats(t, rawRecords(t, path, historyPage), steps)
	db := reopen(t, path)
	verifySteps(t, db, historyPage, steps)
	rep, err := db.Check(context.Background())
	if err != nil || !rep.OK() || rep.Revisions != len(texts) {
		t.Fatalf("Check = %+v, %v", rep, err)
	}
}

// recordBody returns the body of a revision record, past its metadata.
func recordBody(v []byte) []byte {
	n, w := binary.Uvarint(v[1:])
	return v[1+w+int(n):]
}

// snapshotRun returns a full revision of recs below the head and the
// revisions whose text is rebuilt through it (the deltas right below it).
func snapshotRun(t *testing.T, recs map[int][]byte) (int, []int) {
	t.Helper()
	for rev := len(recs) - 1; rev > 1; rev-- {
		if recs[rev][0] == 3 || recs[rev-1][0] != 3 {
			continue
		}
		var below []int
		for r := rev - 1; r > 0 && recs[r][0] == 3; r-- {
			below = append(below, r)
		}
		return rev, below
	}
	t.Fatal("no snapshot with deltas below it")
	return 0, nil
}

// A flipped byte in a compressed snapshot, or in a delta, is found by
// clubwiki check for that revision and every one rebuilt through it, and
// fails reading them; the revisions above still read.
func TestDB_CompactHistory_Damage(t *testing.T) {
	t.Parallel()
	texts := historyTexts(100)
	for _, tc := range []struct {
		name string
		flip func(t *testing.T, tx *bolt.Tx, snap int, below []int) ([]int, error) // the damaged revisions
	}{
		{"compressed snapshot", func(t *testing.T, tx *bolt.Tx, snap int, below []int) ([]int, error) {
			b := tx.Bucket([]byte("texts"))
			v := bytes.Clone(b.Get(revKey(historyPage, uint32(snap))))
			if v[0] != 2 {
				t.Fatalf("snapshot %d has format %d, want 2 (compressed)", snap, v[0])
			}
			v[len(v)/2] ^= 0x01
			return append([]int{snap}, below...), b.Put(revKey(historyPage, uint32(snap)), v)
		}},
		{"delta", func(t *testing.T, tx *bolt.Tx, snap int, below []int) ([]int, error) {
			b := tx.Bucket([]byte("revisions"))
			key := revKey(historyPage, uint32(below[0]))
			v := bytes.Clone(b.Get(key))
			body := recordBody(v)
			body[len(body)-2] ^= 0x01 // in the inserted sentence
			return below, b.Put(key, v)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "history.db")
			writeHistory(t, path, texts)
			snap, below := snapshotRun(t, rawRecords(t, path, historyPage))
			var damaged []int
			tamper(t, path, func(tx *bolt.Tx) (err error) {
				damaged, err = tc.flip(t, tx, snap, below)
				return err
			})
			problems := strings.Join(checkProblems(t, path), "\n")
			for _, rev := range damaged {
				if !strings.Contains(problems, fmt.Sprintf("%s revision %d:", historyPage, rev)) {
					t.Errorf("check does not report revision %d: %s", rev, problems)
				}
			}
			db := reopen(t, path)
			if _, _, err := db.Revision(context.Background(), wiki.MustPath(historyPage), damaged[len(damaged)-1]); !errors.Is(err, store.ErrDamaged) {
				t.Errorf("reading damaged revision %d: %v, want ErrDamaged", damaged[len(damaged)-1], err)
			}
			for rev := snap + 1; rev <= len(texts); rev++ {
				if _, text, err := db.Revision(context.Background(), wiki.MustPath(historyPage), rev); err != nil || text != texts[rev-1] {
					t.Fatalf("revision %d above the damage: %v", rev, err)
				}
			}
		})
	}
}
