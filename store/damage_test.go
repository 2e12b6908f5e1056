package store_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/kdecole-club/clubwiki/store"
	"github.com/kdecole-club/clubwiki/testdata/hostile"
	"github.com/kdecole-club/clubwiki/wiki"
)

// Generators of damaged store files: each builds a real store, closes it
// and damages the file the way a failed restore, a full disk or a bad
// sector would.

// shortHead is stored raw (below the compression threshold), so flipped
// bytes in it change the text without breaking any decoding.
const shortHead = "# Court\n\nUn paragraphe assez court pour rester brut dans le fichier, " +
	"avec une phrase unique : le connecteur Pronote se resynchronise chaque nuit.\n\n" +
	"Le référent numérique du collège vérifie le lendemain que les emplois du temps " +
	"sont à jour dans l'ENT, puis prévient la vie scolaire et les familles par la " +
	"messagerie lorsque la synchronisation a échoué, avant la première heure de cours.\n"

// buildDamageable makes a store with a short raw page, a long compressed
// page and enough other pages for bbolt to need branch pages, closes it and
// returns its path.
func buildDamageable(t testing.TB) string {
	t.Helper()
	// Built once, then copied: every test damages a file of its own.
	damageable.once.Do(func() {
		src := buildDamageableFile(t)
		damageable.bytes, damageable.err = os.ReadFile(src)
	})
	if damageable.err != nil || len(damageable.bytes) == 0 {
		t.Fatalf("building the damageable store failed: %v", damageable.err)
	}
	path := filepath.Join(t.TempDir(), "clubwiki.db")
	if err := os.WriteFile(path, damageable.bytes, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// damageable holds the bytes of the file buildDamageable copies.
var damageable struct {
	once  sync.Once
	bytes []byte
	err   error
}

func buildDamageableFile(t testing.TB) string {
	t.Helper()
	db, path := openTest(t)
	commit(t, db, "usages/court", 0, shortHead)
	commit(t, db, "usages/long", 0, prose(8<<10))
	commit(t, db, "usages/long", 1, prose(8<<10)+"\nAjout.\n")
	for i := range 60 {
		commit(t, db, fmt.Sprintf("assistance/fiche-%02d", i), 0, pageText("fiche", i)+strings.Repeat("Texte de remplissage. ", 20))
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// rewrite applies fn (one of testdata/hostile's damages, or a damage of
// this package's own) to the bytes of the file at path.
func rewrite(t testing.TB, path string, fn func([]byte) []byte) {
	t.Helper()
	if err := hostile.Damage(path, fn); err != nil {
		t.Fatal(err)
	}
}

// flipText flips 200 bytes inside every stored copy of text (bbolt leaves
// old copies in freed pages; the live one is among them).
func flipText(text string) func([]byte) []byte { return hostile.FlipText(text, 10, 200) }

func TestOpen_DamagedFile(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		damage func([]byte) []byte
		want   []string // in the message
	}{
		{"empty", hostile.Emptied, []string{"is empty", "not creating a new wiki"}},
		{"truncated to half", hostile.Halved, []string{"truncated", "expected at least"}},
		{"shorter than two pages", func(b []byte) []byte { return b[:100] }, []string{"truncated"}},
		{"first meta page", hostile.BoltMeta(0), []string{"meta page 0", "damaged"}},
		{"second meta page", hostile.BoltMeta(1), []string{"meta page 1", "damaged"}},
		{"both meta pages", func(b []byte) []byte { return hostile.BoltMeta(1)(hostile.BoltMeta(0)(b)) }, []string{"damaged"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := buildDamageable(t)
			rewrite(t, path, tt.damage)
			before, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			db, err := store.Open(path, store.Options{})
			if err == nil {
				_ = db.Close()
				t.Fatal("Open accepted a damaged file")
			}
			if !errors.Is(err, store.ErrDamaged) {
				t.Errorf("err = %v, want ErrDamaged", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("message %q lacks %q", err, w)
				}
			}
			// A refusal writes nothing: the damaged file stays as it was
			// for whoever tries to rescue it.
			if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
				t.Errorf("Open changed the damaged file (%d bytes, then %d)", len(before), len(after))
			}
		})
	}
	t.Run("missing file is a new store", func(t *testing.T) {
		_, path := openTest(t)
		if st, err := os.Stat(path); err != nil || st.Size() == 0 {
			t.Fatalf("new store: %v, %v", st, err)
		}
	})
}

// An operator without a backup may accept going back to the other header's
// state; the damaged header is rewritten at once, so the next plain Open
// works.
func TestOpen_AcceptRollback(t *testing.T) {
	t.Parallel()
	for _, i := range []int{0, 1} {
		t.Run(fmt.Sprintf("meta page %d", i), func(t *testing.T) {
			path := buildDamageable(t)
			rewrite(t, path, hostile.BoltMeta(i))
			db, err := store.Open(path, store.Options{AcceptRollback: true})
			if err != nil {
				t.Fatalf("Open with AcceptRollback: %v", err)
			}
			if err := db.Close(); err != nil {
				t.Fatal(err)
			}
			db = reopen(t, path)
			rep, err := db.Check(context.Background())
			if err != nil || !rep.OK() {
				t.Errorf("after the rollback: %+v, %v", rep, err)
			}
		})
	}
	t.Run("both meta pages", func(t *testing.T) {
		path := buildDamageable(t)
		rewrite(t, path, func(b []byte) []byte { return hostile.BoltMeta(1)(hostile.BoltMeta(0)(b)) })
		if db, err := store.Open(path, store.Options{AcceptRollback: true}); !errors.Is(err, store.ErrDamaged) {
			if err == nil {
				db.Close()
			}
			t.Fatalf("err = %v, want ErrDamaged", err)
		}
	})
}

func TestDB_Revision_DamagedText(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	t.Run("raw head", func(t *testing.T) {
		path := buildDamageable(t)
		rewrite(t, path, flipText(shortHead))
		db := reopen(t, path)
		_, text, err := db.Revision(ctx, wiki.MustPath("usages/court"), 1)
		if err == nil {
			t.Fatalf("Revision served damaged text %q", text)
		}
		wantCode(t, err, wiki.EInternal)
		if !strings.Contains(err.Error(), "damaged") || !strings.Contains(err.Error(), "usages/court") {
			t.Errorf("message %q should say which revision is damaged", err)
		}
		// The rest of the file is still served.
		if _, _, err := db.Revision(ctx, wiki.MustPath("usages/long"), 2); err != nil {
			t.Errorf("an intact page: %v", err)
		}
	})
	t.Run("compressed head", func(t *testing.T) {
		path := buildDamageable(t)
		rewrite(t, path, flipAfterKey(revKey("usages/long", 2), 400))
		db := reopen(t, path)
		_, text, err := db.Revision(ctx, wiki.MustPath("usages/long"), 2)
		if err == nil {
			t.Fatalf("Revision served damaged text %q", abbrev(text))
		}
		if !errors.Is(err, store.ErrDamaged) || !strings.Contains(err.Error(), "usages/long revision 2 is damaged") {
			t.Errorf("err = %v, want ErrDamaged naming the revision", err)
		}
	})
}

// flipAfterKey flips 200 bytes of every stored copy of the value under key,
// skip bytes after the key (past the revision's metadata).
func flipAfterKey(key []byte, skip int) func([]byte) []byte {
	return func(b []byte) []byte {
		for i := 0; ; {
			j := bytes.Index(b[i:], key)
			if j < 0 {
				return b
			}
			i += j + len(key)
			hostile.Flip(b, i+skip, 200)
		}
	}
}

func TestDB_Check_FlippedBytes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	t.Run("raw head", func(t *testing.T) {
		path := buildDamageable(t)
		rewrite(t, path, flipText(shortHead))
		wantProblem(t, checkProblems(t, path), "usages/court revision 1")
	})
	// Every page after the meta pages in turn: whatever bbolt finds there
	// (branch, leaf, overflow, freelist), Check reports instead of crashing.
	skipUnderRace(t)
	path := buildDamageable(t)
	orig, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	ps := hostile.BoltPageSize(orig)
	for pg := 2; pg*ps < len(orig); pg++ {
		t.Run(fmt.Sprintf("page %d", pg), func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "clubwiki.db")
			b := bytes.Clone(orig)
			hostile.Flip(b, pg*ps, 200)
			if err := os.WriteFile(p, b, 0o600); err != nil {
				t.Fatal(err)
			}
			checkDamaged(t, ctx, p)
		})
	}
}

// checkDamaged opens and checks a damaged file: a refusal to open or a
// report are both fine; a panic, or an error instead of a report, is not.
func checkDamaged(t *testing.T, ctx context.Context, path string) store.Report {
	t.Helper()
	db, err := store.Open(path, store.Options{NoSync: true})
	if err != nil {
		return store.Report{}
	}
	defer db.Close()
	rep, err := db.Check(ctx)
	if err != nil {
		t.Fatalf("Check: %v (want a report)", err)
	}
	return rep
}

// TestDB_Check_RandomDamage flips random bytes of a small store many times:
// Check never panics (the test binary would die) and never errs.
func TestDB_Check_RandomDamage(t *testing.T) {
	t.Parallel()
	skipUnderRace(t)
	ctx := context.Background()
	path := buildDamageable(t)
	orig, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(7, uint64(len(orig))))
	dir := t.TempDir()
	for i := range 150 {
		b := bytes.Clone(orig)
		for range 1 + rng.IntN(40) {
			b[2*hostile.BoltPageSize(orig)+rng.IntN(len(b)-2*hostile.BoltPageSize(orig))] ^= byte(1 + rng.IntN(255))
		}
		p := filepath.Join(dir, fmt.Sprintf("%d.db", i))
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		checkDamaged(t, ctx, p)
		_ = os.Remove(p)
	}
}

// TestDB_Reads_FlippedPages damages each page of a store in turn and reads
// every page through the methods a server calls: a damaged page fails the
// reads that reach it (bbolt's panics are recovered) and never serves a
// text that differs from what was saved.
func TestDB_Reads_FlippedPages(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := buildDamageable(t)
	orig, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"usages/court": shortHead, "usages/long": prose(8<<10) + "\nAjout.\n"}
	ps := hostile.BoltPageSize(orig)
	for pg := 2; pg*ps < len(orig); pg++ {
		p := filepath.Join(t.TempDir(), "clubwiki.db")
		b := bytes.Clone(orig)
		hostile.Flip(b, pg*ps+16, 200) // past the page header, into the elements and records
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		db, err := store.Open(p, store.Options{NoSync: true})
		if err != nil {
			continue // refused: fine
		}
		for path, text := range want {
			wp := wiki.MustPath(path)
			_, _ = db.Head(ctx, wp)
			_, _ = db.History(ctx, wp, 0, 0)
			h, err := db.Head(ctx, wp)
			if err != nil {
				continue
			}
			if _, got, err := db.Revision(ctx, wp, h.Rev); err == nil && got != text {
				t.Errorf("page %d damaged: %s served a wrong text", pg, path)
			}
		}
		_, _, _ = db.Pages(ctx, "", nil, 0, 0)
		_ = db.Close()
	}
}
