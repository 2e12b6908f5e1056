package store_test

import (
	"bytes"
	"compress/flate"
	"context"
	"crypto/sha256"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kdecole-club/clubwiki/store"
	"github.com/kdecole-club/clubwiki/wiki"
	bolt "go.etcd.io/bbolt"
)

// step is what one revision of a page should read back as.
type step struct {
	text    string
	deleted bool
}

// commitSteps commits steps to p in order, on top of revision from.
func commitSteps(t testing.TB, db *store.DB, p string, from int, steps []step) {
	t.Helper()
	for i, s := range steps {
		if s.deleted {
			deletePage(t, db, p, from+i)
		} else {
			commit(t, db, p, from+i, s.text)
		}
	}
}

// verifySteps reads every revision of p back and compares text, size, hash
// and deletion flag.
func verifySteps(t testing.TB, db *store.DB, p string, steps []step) {
	t.Helper()
	for i, s := range steps {
		r, text, err := db.Revision(context.Background(), wiki.MustPath(p), i+1)
		if err != nil {
			t.Fatalf("%s revision %d: %v", p, i+1, err)
		}
		if text != s.text || r.Deleted != s.deleted || r.Size != len(s.text) || r.SHA256 != sha256.Sum256([]byte(s.text)) {
			t.Fatalf("%s revision %d = %q (deleted %v, size %d), want %q (deleted %v)",
				p, i+1, abbrev(text), r.Deleted, r.Size, abbrev(s.text), s.deleted)
		}
	}
}

func abbrev(s string) string {
	if len(s) > 80 {
		return s[:40] + "…" + s[len(s)-40:]
	}
	return s
}

// rawRecords returns the stored revision records of p, by number, from the
// closed file at path.
func rawRecords(t testing.TB, path, p string) map[int][]byte {
	t.Helper()
	return rawValues(t, path, "revisions", p)
}

// rawValues returns the values stored under p's revision keys in bucket,
// by revision number, from the closed file at path.
func rawValues(t testing.TB, path, bucket, p string) map[int][]byte {
	t.Helper()
	raw, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second, ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	out := map[int][]byte{}
	err = raw.View(func(tx *bolt.Tx) error {
		prefix := append([]byte(p), 0)
		c := tx.Bucket([]byte(bucket)).Cursor()
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			if len(k) == len(prefix)+4 {
				out[int(revNum(k))] = bytes.Clone(v)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func revNum(k []byte) uint32 {
	n := len(k)
	return uint32(k[n-4])<<24 | uint32(k[n-3])<<16 | uint32(k[n-2])<<8 | uint32(k[n-1])
}

// checkFormats asserts the snapshot policy on stored records: the head is
// full, deletions are never deltas nor the base of one, and no run of deltas
// is longer than its page size allows (each delta m has at most
// Spacing(size of m)-1 deltas in a row at and below it). It returns how
// many records are deltas.
func checkFormats(t testing.TB, recs map[int][]byte, steps []step) int {
	t.Helper()
	deltas := 0
	for rev, v := range recs {
		if v[0] != 3 {
			continue
		}
		deltas++
		if rev == len(steps) || steps[rev-1].deleted || steps[rev].deleted {
			t.Errorf("revision %d is a delta", rev)
		}
		run := 0
		for m := rev; m > 0 && recs[m][0] == 3; m-- {
			run++
		}
		if limit := store.Spacing(len(steps[rev-1].text)) - 1; run > limit {
			t.Errorf("revision %d ends a run of %d deltas, want at most %d", rev, run, limit)
		}
	}
	return deltas
}

func line(i, v int) string {
	return fmt.Sprintf("Ligne %d (version %d) : les élèves consultent le cahier de textes de l'ENT.\n", i, v)
}

// variedSteps makes 100 revisions covering every kind of edit.
func variedSteps() []step {
	var lines []string
	for i := range 60 {
		lines = append(lines, line(i, 0))
	}
	var steps []step
	for rev := 1; rev <= 100; rev++ {
		switch {
		case rev == 17 || rev == 47 || rev == 48 || rev == 80:
			steps = append(steps, step{deleted: true})
			continue
		case rev%10 == 0: // append
			lines = append(lines, line(len(lines), rev), line(len(lines)+1, rev))
		case rev%10 == 1: // insert in the middle
			mid := len(lines) / 2
			lines = append(lines[:mid], append([]string{line(mid, rev)}, lines[mid:]...)...)
		case rev%10 == 2: // delete lines
			if len(lines) > 8 {
				lines = append(lines[:3], lines[6:]...)
			}
		case rev%10 == 3 && rev%30 == 3: // whole rewrite
			for i := range lines {
				lines[i] = strings.ToUpper(line(i, rev))
			}
		case rev == 55: // empty text
			steps = append(steps, step{text: ""})
			continue
		case rev%10 == 6: // no final newline
			steps = append(steps, step{text: strings.TrimSuffix(strings.Join(lines, ""), "\n")})
			continue
		case rev%10 == 7: // CRLF
			steps = append(steps, step{text: strings.ReplaceAll(strings.Join(lines, ""), "\n", "\r\n")})
			continue
		default: // change one line
			i := rev * 7 % len(lines)
			lines[i] = line(i, rev)
		}
		steps = append(steps, step{text: strings.Join(lines, "")})
	}
	return steps
}

func TestDB_RevisionDeltas(t *testing.T) {
	t.Parallel()
	db, path := openTest(t)
	steps := variedSteps()
	commitSteps(t, db, "usages/historique", 0, steps)
	verifySteps(t, db, "usages/historique", steps)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	// Rewrites, CRLF switches, deletions, the empty text and snapshots
	// leave about 40 full; the rest must be deltas.
	if n := checkFormats(t, rawRecords(t, path, "usages/historique"), steps); n < 50 {
		t.Errorf("only %d of 100 revisions are deltas", n)
	}
	db = reopen(t, path)
	verifySteps(t, db, "usages/historique", steps)
	rep, err := db.Check(context.Background())
	if err != nil || !rep.OK() || rep.Revisions != 100 {
		t.Fatalf("Check = %+v, %v", rep, err)
	}
}

// randomText edits prev at random, sometimes with bytes that are not UTF-8:
// the store must round-trip whatever it is given.
func randomText(r *rand.Rand, prev string) string {
	lines := strings.SplitAfter(prev, "\n")
	switch r.IntN(8) {
	case 0:
		return ""
	case 1: // rewrite
		lines = nil
		for range r.IntN(40) {
			lines = append(lines, line(r.IntN(100), r.IntN(100)))
		}
	case 2: // random bytes in a line
		b := make([]byte, r.IntN(30))
		for i := range b {
			b[i] = byte(r.UintN(256))
		}
		lines = append(lines, string(b))
	default: // a few line edits
		for range 1 + r.IntN(4) {
			i := r.IntN(len(lines) + 1)
			switch r.IntN(3) {
			case 0:
				lines = append(lines[:i], append([]string{line(i, r.IntN(1000))}, lines[i:]...)...)
			case 1:
				if i < len(lines) {
					lines = append(lines[:i], lines[i+1:]...)
				}
			default:
				if i < len(lines) {
					lines[i] = line(i, r.IntN(1000))
				}
			}
		}
	}
	return strings.Join(lines, "")
}

func TestDB_RevisionDeltasRandom(t *testing.T) {
	t.Parallel()
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	r := rand.New(rand.NewPCG(seed, 1))
	path := filepath.Join(t.TempDir(), "random.db")
	db, err := store.Open(path, store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	pages := map[string][]step{}
	for i := range 12 {
		p := fmt.Sprintf("aleatoire/page-%d", i)
		var steps []step
		text := ""
		for range 20 + r.IntN(40) {
			if r.IntN(10) == 0 {
				steps = append(steps, step{deleted: true})
				continue
			}
			text = randomText(r, text)
			steps = append(steps, step{text: text})
		}
		commitSteps(t, db, p, 0, steps)
		pages[p] = steps
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db = reopen(t, path)
	for p, steps := range pages {
		verifySteps(t, db, p, steps)
	}
	if rep, err := db.Check(context.Background()); err != nil || !rep.OK() {
		t.Fatalf("seed %d: Check = %+v, %v", seed, rep, err)
	}
}

// prose composes about n bytes of French paragraphs from a seeded choice of
// words, varied enough that DEFLATE shrinks it about as much as real pages
// (frenchPage's dozen sentences shrink twentyfold, which would flatter any
// storage figure).
func prose(n int) string {
	r := rand.New(rand.NewPCG(7, 7))
	pick := func(words ...string) string { return words[r.IntN(len(words))] }
	var b strings.Builder
	for b.Len() < n {
		fmt.Fprintf(&b, "%s %s %s %s %s, %s %d %s.",
			pick("Le professeur", "La principale adjointe", "Un parent d'élève", "L'équipe de direction", "Le référent numérique", "La documentaliste", "Chaque élève"),
			pick("consulte", "met à jour", "vérifie", "partage", "commente", "archive", "signale"),
			pick("le cahier de textes", "l'emploi du temps", "les notes du trimestre", "la messagerie", "le carnet de liaison", "les ressources du CDI"),
			pick("dans l'ENT", "depuis l'application mobile", "avant le conseil de classe", "pendant la séance", "en fin de semaine"),
			pick("du collège", "du lycée professionnel", "de la cité scolaire", "de l'école primaire"),
			pick("selon la procédure", "comme prévu", "malgré la panne", "après la formation"),
			1+r.IntN(2000), pick("de l'académie", "du département", "de la région", "du rectorat"))
		if r.IntN(4) == 0 {
			b.WriteString("\n")
		} else {
			b.WriteString(" ")
		}
	}
	return b.String()
}

// oneLineEdits makes n revisions of a 20 KB French page, each changing one
// line of the previous one.
func oneLineEdits(n int) []step {
	lines := strings.SplitAfter(prose(20<<10), "\n")
	steps := make([]step, n)
	for rev := range n {
		i := rev * 7 % len(lines)
		lines[i] = fmt.Sprintf("Mise à jour n°%d : la vie scolaire vérifie les absences saisies dans l'ENT.\n", rev)
		steps[rev] = step{text: strings.Join(lines, "")}
	}
	return steps
}

func flateSize(t *testing.T, s string) int {
	var b bytes.Buffer
	w, err := flate.NewWriter(&b, flate.BestSpeed)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = w.Write([]byte(s))
	_ = w.Close()
	return b.Len()
}

// The stored bytes of a page grow with its edits: 200 one-line edits of a
// 20 KB page take a fraction of 200 compressed copies. This is a property of
// the format, so it is asserted on the records themselves.
func TestDB_StorageGrowsWithEdits(t *testing.T) {
	t.Parallel()
	const p = "usages/cahier-de-textes"
	path := filepath.Join(t.TempDir(), "growth.db")
	db, err := store.Open(path, store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	steps := oneLineEdits(200)
	commitSteps(t, db, p, 0, steps)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	recs, texts := rawRecords(t, path, p), rawValues(t, path, "texts", p)
	stored, full := 0, 0
	for rev, v := range recs {
		stored += len(v) + len(texts[rev])
		full += flateSize(t, steps[rev-1].text)
	}
	checkFormats(t, recs, steps)
	t.Logf("200 revisions of a %d-byte page: %d bytes stored, %d as compressed copies (%.1f%%)",
		len(steps[0].text), stored, full, 100*float64(stored)/float64(full))
	if len(recs) != 200 || stored*4 >= full {
		t.Errorf("%d records take %d bytes, want under a quarter of %d", len(recs), stored, full)
	}
	db = reopen(t, path)
	verifySteps(t, db, p, steps)
}

// A commit of several pages goes through commitTx for each, so imports
// store deltas too, even of a revision written earlier in the same batch
// (whose delta could not be prepared before the transaction).
func TestDB_CommitBatchDeltas(t *testing.T) {
	t.Parallel()
	db, path := openTest(t)
	ctx := context.Background()
	steps := oneLineEdits(3)
	commit(t, db, "usages/import", 0, steps[0].text)
	var batch []wiki.Commit
	for rev := 1; rev < 3; rev++ {
		batch = append(batch, wiki.Commit{
			Path: wiki.MustPath("usages/import"), ExpectRev: rev, Kind: wiki.KindEdit, Author: "imp", Markdown: steps[rev].text,
		})
	}
	if _, err := db.Commit(ctx, batch...); err != nil {
		t.Fatal(err)
	}
	verifySteps(t, db, "usages/import", steps)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	recs := rawRecords(t, path, "usages/import")
	if recs[1][0] != 3 || recs[2][0] != 3 || recs[3][0] == 3 {
		t.Errorf("formats %d %d %d, want 3 3 full", recs[1][0], recs[2][0], recs[3][0])
	}
}
