package store_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/kdecole-club/clubwiki/wiki"
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

// flipStoredText flips a bit near the end of the stored text of revision
// rev of page, past the metadata: in its record, or in the texts bucket
// where the record (format 4) says its text is.
func flipStoredText(page string, rev uint32) func(tx *bolt.Tx) error {
	return func(tx *bolt.Tx) error {
		b := tx.Bucket([]byte("revisions"))
		if v := b.Get(revKey(page, rev)); len(v) > 0 && v[0] == 4 {
			b = tx.Bucket([]byte("texts"))
		}
		v := bytes.Clone(b.Get(revKey(page, rev)))
		v[len(v)-3] ^= 0x20
		return b.Put(revKey(page, rev), v)
	}
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
	t.Parallel()
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
			tamper(t, path, flipStoredText(tc.page, tc.rev))
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
	t.Run("lost last change", func(t *testing.T) {
		path := buildChecked(t)
		tamper(t, path, func(tx *bolt.Tx) error {
			return tx.Bucket([]byte("changes")).Delete(binary.BigEndian.AppendUint64(nil, 7))
		})
		wantProblem(t, checkProblems(t, path), "change log: ends at 6 but its sequence is 7")
	})
	t.Run("head disagrees with its revision", func(t *testing.T) {
		path := buildChecked(t)
		tamper(t, path, func(tx *bolt.Tx) error {
			b := tx.Bucket([]byte("pages"))
			v := b.Get([]byte("club/accueil"))
			var head map[string]any
			if err := json.Unmarshal(v[2:], &head); err != nil {
				return err
			}
			head["z"] = 1 // the recorded size of the head's text
			js, err := json.Marshal(head)
			if err != nil {
				return err
			}
			return b.Put([]byte("club/accueil"), append([]byte{v[0], v[1]}, js...))
		})
		wantProblem(t, checkProblems(t, path), "club/accueil: head does not match revision 3")
	})
	t.Run("missing text", func(t *testing.T) {
		path := buildChecked(t)
		tamper(t, path, func(tx *bolt.Tx) error {
			return tx.Bucket([]byte("texts")).Delete(revKey("club/accueil", 3))
		})
		wantProblem(t, checkProblems(t, path), "club/accueil revision 3: unreadable text: its text is missing")
	})
	t.Run("stray texts", func(t *testing.T) {
		path := buildChecked(t)
		tamper(t, path, func(tx *bolt.Tx) error {
			b := tx.Bucket([]byte("texts"))
			if err := b.Put(revKey("club/accueil", 9), []byte("\x01texte")); err != nil {
				return err
			}
			return b.Put(revKey("club/accueil", 1), []byte("\x01texte")) // a delta now
		})
		problems := checkProblems(t, path)
		wantProblem(t, problems, "club/accueil revision 9 has a stored text but no record")
		wantProblem(t, problems, "club/accueil revision 1 has a stored text its record does not use")
	})
	t.Run("dangling backlink", func(t *testing.T) {
		path := buildChecked(t)
		tamper(t, path, func(tx *bolt.Tx) error {
			return tx.Bucket([]byte("backlinks")).Put([]byte("club/x\x00usages/a"), nil)
		})
		wantProblem(t, checkProblems(t, path), "has no matching link")
	})
}

// buildDeltas makes a page of 10 one-line edits (revisions 1–9 become
// deltas, 10 is the full head), closes the file and returns its path.
func buildDeltas(t *testing.T) (string, []step) {
	db, path := openTest(t)
	steps := oneLineEdits(10)
	commitSteps(t, db, "usages/long", 0, steps)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if recs := rawRecords(t, path, "usages/long"); recs[5][0] != 3 || recs[10][0] == 3 {
		t.Fatalf("revision 5 has format %d, the head %d", recs[5][0], recs[10][0])
	}
	return path, steps
}

func TestDB_CheckDeltas(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	p := wiki.MustPath("usages/long")
	t.Run("corrupted delta", func(t *testing.T) {
		path, steps := buildDeltas(t)
		tamper(t, path, func(tx *bolt.Tx) error {
			b := tx.Bucket([]byte("revisions"))
			v := bytes.Clone(b.Get(revKey("usages/long", 5)))
			v[len(v)-2] ^= 0x20 // in the delta, past the metadata
			return b.Put(revKey("usages/long", 5), v)
		})
		problems := checkProblems(t, path)
		wantProblem(t, problems, "usages/long revision 5: ")
		wantProblem(t, problems, "usages/long revision 4: unreadable text: its delta base, revision 5, is damaged")
		if len(problems) != 5 {
			t.Errorf("problems %q, want revisions 1 to 5", problems)
		}
		// Reading never serves a wrong text: damaged revisions are errors,
		// the others still read.
		db := reopen(t, path)
		for rev := 1; rev <= 10; rev++ {
			_, text, err := db.Revision(ctx, p, rev)
			if rev <= 5 {
				wantCode(t, err, wiki.EInternal)
			} else if err != nil || text != steps[rev-1].text {
				t.Errorf("revision %d: %v", rev, err)
			}
		}
	})
	t.Run("broken chain", func(t *testing.T) {
		path, _ := buildDeltas(t)
		tamper(t, path, func(tx *bolt.Tx) error {
			return tx.Bucket([]byte("revisions")).Delete(revKey("usages/long", 7))
		})
		problems := checkProblems(t, path)
		wantProblem(t, problems, "usages/long: revision 8 follows revision 6")
		wantProblem(t, problems, "usages/long revision 6: unreadable text: delta base revision 7 is missing")
		wantProblem(t, problems, "usages/long revision 1: ")
	})
	t.Run("damaged snapshot", func(t *testing.T) {
		path, _ := buildDeltas(t)
		tamper(t, path, flipStoredText("usages/long", 10))
		problems := checkProblems(t, path)
		if len(problems) < 10 {
			t.Errorf("problems %q, want every revision of usages/long", problems)
		}
	})
}
