package store_test

import (
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// testdata/schema3.db.gz was written by the clubwiki of schema 3 (before
// full texts had a bucket of their own), with the texts below: usages/ancien
// has 40 revisions (snapshots 16 and 32 and the head inline and
// compressed, deltas raw and, at 29, compressed), usages/court two short
// raw ones, usages/efface a deletion between two texts.

// oldFixtureTexts are the revisions of usages/ancien in
// testdata/schema3.db.gz.
func oldFixtureTexts() []string {
	lines := make([]string, 60)
	for i := range lines {
		lines[i] = fmt.Sprintf("Ligne %d : dossier %d, élève %d, note %d sur 20, établissement %d.\n", i, i*7919%10007, i*104729%9973, i%21, i*31337%8191)
	}
	var out []string
	for rev := 1; rev <= 40; rev++ {
		lines[rev*7%60] = fmt.Sprintf("Révision %d : le référent numérique met à jour la fiche de l'établissement.\n", rev)
		if rev == 30 { // a wider edit, whose delta is compressed
			for i := 10; i < 22; i++ {
				lines[i] = fmt.Sprintf("Ligne %d revue : les parents consultent le cahier de textes depuis l'application.\n", i)
			}
		}
		out = append(out, strings.Join(lines, ""))
	}
	return out
}

// schema3File unpacks the fixture into a temporary folder and returns its
// path.
func schema3File(t *testing.T) string {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "schema3.db.gz"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "clubwiki.db")
	out, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, io.LimitReader(zr, 16<<20)); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// A data file of schema 3 opens (and migrates), every revision reads back
// exactly, clubwiki check finds it sound, and edits on top of its inline
// texts store the new way and still read everything.
func TestOpen_Schema3File(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := schema3File(t)
	steps := historySteps(oldFixtureTexts())
	others := map[string][]step{
		"usages/court":  {{text: "Une page courte.\n"}, {text: "Une page courte, revue.\n"}},
		"usages/efface": {{text: "Une page bientôt effacée.\n"}, {deleted: true}, {text: "Une page recréée.\n"}},
	}
	verifyAll := func(t *testing.T, wantRevisions int) {
		t.Helper()
		db := reopen(t, path)
		verifySteps(t, db, "usages/ancien", steps)
		for p, s := range others {
			verifySteps(t, db, p, s)
		}
		rep, err := db.Check(ctx)
		if err != nil || !rep.OK() || rep.Revisions != wantRevisions {
			t.Fatalf("Check = %+v, %v", rep, err)
		}
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
	}
	t.Run("reads as written", func(t *testing.T) { verifyAll(t, 45) })
	t.Run("edits on top", func(t *testing.T) {
		db := reopen(t, path)
		texts := oldFixtureTexts()
		for rev := 40; rev < 60; rev++ {
			text := strings.Replace(texts[len(texts)-1], "Ligne 3 ", fmt.Sprintf("Ligne 3 (édition %d) ", rev), 1)
			commit(t, db, "usages/ancien", rev, text)
			steps = append(steps, step{text: text})
		}
		commit(t, db, "usages/court", 2, "Une page courte, revue deux fois.\n")
		others["usages/court"] = append(others["usages/court"], step{text: "Une page courte, revue deux fois.\n"})
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
		recs := rawRecords(t, path, "usages/ancien")
		if recs[40][0] != 3 || recs[60][0] != 4 {
			t.Errorf("the old head has format %d, the new %d; want a delta and a stored text", recs[40][0], recs[60][0])
		}
		verifyAll(t, 66)
	})
}
