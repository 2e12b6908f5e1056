package store_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// tamper changes the closed file at path through a raw bbolt handle, as disk
// damage or a careless tool would.
func tamper(t *testing.T, path string, fn func(tx *bolt.Tx) error) {
	t.Helper()
	raw, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if err := raw.Update(fn); err != nil {
		t.Fatal(err)
	}
}

func revKey(p string, rev uint32) []byte {
	return binary.BigEndian.AppendUint32(append([]byte(p), 0), rev)
}

// buildChecked makes a small wiki with short (raw) and long (compressed)
// revisions, links and a deletion, closes it and returns its path.
func buildChecked(t *testing.T) string {
	db, path := openTest(t)
	for rev := 1; rev <= 3; rev++ {
		commit(t, db, "usages/a", rev-1, pageText("usages/a", rev), "club/accueil")
		commit(t, db, "club/accueil", rev-1, pageText("club/accueil", rev), "usages/a")
	}
	deletePage(t, db, "usages/a", 3)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// checkProblems runs Check on the file at path and returns the problems.
func checkProblems(t *testing.T, path string) []string {
	t.Helper()
	db := reopen(t, path)
	rep, err := db.Check(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	return rep.Problems
}

func wantProblem(t *testing.T, problems []string, substr string) {
	t.Helper()
	for _, p := range problems {
		if strings.Contains(p, substr) {
			return
		}
	}
	t.Fatalf("problems %q: none mentions %q", problems, substr)
}

func TestDB_Check(t *testing.T) {
	ctx := context.Background()
	t.Run("healthy file", func(t *testing.T) {
		path := buildChecked(t)
		db := reopen(t, path)
		rep, err := db.Check(ctx)
		if err != nil || !rep.OK() || rep.Pages != 2 || rep.Revisions != 7 || rep.Changes != 7 {
			t.Fatalf("Check = %+v, %v", rep, err)
		}
	})
	for _, tc := range []struct {
		name, page string
		rev        uint32
	}{
		{"corrupted raw revision", "usages/a", 1},
		{"corrupted compressed revision", "club/accueil", 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := buildChecked(t)
			tamper(t, path, func(tx *bolt.Tx) error {
				b := tx.Bucket([]byte("revisions"))
				v := bytes.Clone(b.Get(revKey(tc.page, tc.rev)))
				v[len(v)-3] ^= 0x20 // in the text, past the metadata
				return b.Put(revKey(tc.page, tc.rev), v)
			})
			wantProblem(t, checkProblems(t, path), tc.page+" revision")
		})
	}
	t.Run("hole in the change log", func(t *testing.T) {
		path := buildChecked(t)
		tamper(t, path, func(tx *bolt.Tx) error {
			return tx.Bucket([]byte("changes")).Delete(binary.BigEndian.AppendUint64(nil, 4))
		})
		wantProblem(t, checkProblems(t, path), "entries 4 to 4 are missing")
	})
	t.Run("head ahead of its revisions", func(t *testing.T) {
		path := buildChecked(t)
		tamper(t, path, func(tx *bolt.Tx) error {
			return tx.Bucket([]byte("revisions")).Delete(revKey("club/accueil", 3))
		})
		problems := checkProblems(t, path)
		wantProblem(t, problems, "club/accueil: head says revision 3, the last stored is 2")
		wantProblem(t, problems, "names club/accueil revision 3, which is not stored")
	})
	t.Run("dangling backlink", func(t *testing.T) {
		path := buildChecked(t)
		tamper(t, path, func(tx *bolt.Tx) error {
			return tx.Bucket([]byte("backlinks")).Put([]byte("club/x\x00usages/a"), nil)
		})
		wantProblem(t, checkProblems(t, path), "has no matching link")
	})
}
