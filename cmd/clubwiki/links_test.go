//go:build unix

package main

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kdecole-club/clubwiki/testdata/hostile"
	"github.com/kdecole-club/clubwiki/wiki"
)

// Hostile trees for import and export: symbolic links to files and
// folders outside the tree, a link to /dev/zero, a FIFO (the import traps
// come from testdata/hostile).

// secretFile writes a file outside any tree, whose text must never reach
// the wiki.
func secretFile(t *testing.T) (path, text string) {
	t.Helper()
	text = "root:x:0:0:secret-" + t.Name() + "\n"
	path = filepath.Join(t.TempDir(), "passwd")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path, text
}

func symlink(t *testing.T, target, name string) {
	t.Helper()
	if err := os.Symlink(target, name); err != nil {
		t.Fatal(err)
	}
}

func TestRun_ImportSpecialFiles(t *testing.T) {
	secret, secretText := secretFile(t)
	outside := writeTree(t, map[string]string{"dehors.md": "# Dehors\n\n" + secretText})
	tree := writeTree(t, map[string]string{"usages/vrai.md": "# Vrai\n\nUn vrai fichier.\n"})
	// club/passwd.md → secret, club/zero.md → /dev/zero, usages/lien →
	// outside, and club/x.md a FIFO.
	if err := hostile.MakeTraps(tree, secret, outside); err != nil {
		t.Fatal(err)
	}

	data := t.TempDir()
	done := make(chan result, 1)
	go func() { done <- runCLI(t, "", "import", tree, "--data", data) }()
	var r result
	select {
	case r = <-done:
	case <-time.After(60 * time.Second): // only a hang gets here
		t.Fatal("import did not finish with a FIFO in the tree")
	}
	if r.code != exitOK || !strings.Contains(r.stdout, "created usages/vrai rev 1") {
		t.Fatalf("exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	if len(hostile.Traps) != 4 {
		t.Fatalf("%d traps, want the link to a file, to /dev/zero, to a folder and the FIFO", len(hostile.Traps))
	}
	for path, why := range hostile.Traps {
		if want := "skipped " + path + ": " + why; !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	if strings.Contains(r.stdout, "club/") || strings.Contains(r.stdout, "dehors") {
		t.Errorf("a special file was imported:\n%s", r.stdout)
	}
	a := openData(t, data)
	for _, p := range []string{"club/passwd", "club/zero", "club/x", "usages/lien/dehors"} {
		if _, err := a.db.Head(t.Context(), wiki.MustPath(p)); wiki.ErrorCode(err) != wiki.ENotFound {
			t.Errorf("%s exists after the import (err %v)", p, err)
		}
	}
}

// readRegular is what stands between a file swapped after the walk saw it
// and the import: it must refuse links and FIFOs without hanging.
func TestReadRegular(t *testing.T) {
	dir := t.TempDir()
	secret, _ := secretFile(t)
	symlink(t, secret, filepath.Join(dir, "lien.md"))
	if err := hostile.MakeFIFO(filepath.Join(dir, "fifo.md")); err != nil {
		t.Fatal(err)
	}
	big := filepath.Join(dir, "gros.md")
	if err := os.WriteFile(big, []byte(strings.Repeat("x", 101)), 0o600); err != nil {
		t.Fatal(err)
	}
	ok := filepath.Join(dir, "ok.md")
	if err := os.WriteFile(ok, []byte("bonjour"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, file, why, text string
	}{
		{"symbolic link", "lien.md", "symbolic link", ""},
		{"fifo", "fifo.md", "named pipe", ""},
		{"too large", "gros.md", "too large", ""},
		{"regular", "ok.md", "", "bonjour"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, why := readRegular(filepath.Join(dir, tt.file), 100)
			if !strings.Contains(why, tt.why) || (tt.why == "") != (why == "") || string(b) != tt.text {
				t.Errorf("readRegular = %q, %q; want %q, reason with %q", b, why, tt.text, tt.why)
			}
		})
	}
}

func TestRun_ExportLinks(t *testing.T) {
	data := t.TempDir()
	mustRun(t, "", "user", "add", "bob", "--data", data) // the seed pages, club/accueil among them
	outside := t.TempDir()
	secret, secretText := secretFile(t)

	t.Run("symlinked folder", func(t *testing.T) {
		out := t.TempDir()
		symlink(t, outside, filepath.Join(out, "club"))
		r := runCLI(t, "", "export", out, "--data", data)
		if r.code != exitFail || !strings.Contains(r.stderr, "club") {
			t.Errorf("exit %d, stderr %q; want a failure naming the folder", r.code, r.stderr)
		}
		if entries, _ := os.ReadDir(outside); len(entries) != 0 {
			t.Errorf("export wrote %d files outside its folder", len(entries))
		}
	})
	t.Run("symlinked page", func(t *testing.T) {
		out := t.TempDir()
		if err := os.Mkdir(filepath.Join(out, "club"), 0o750); err != nil {
			t.Fatal(err)
		}
		page := filepath.Join(out, "club", "accueil.md")
		symlink(t, secret, page)
		mustRun(t, "", "export", out, "--data", data)
		if b, _ := os.ReadFile(secret); string(b) != secretText {
			t.Errorf("the file behind the link was overwritten: %q", b)
		}
		st, err := os.Lstat(page)
		if err != nil || !st.Mode().IsRegular() {
			t.Errorf("club/accueil.md is not a regular file after export: %v, %v", st, err)
		}
		leftovers, _ := filepath.Glob(filepath.Join(out, "club", ".*"))
		if len(leftovers) != 0 {
			t.Errorf("temporary files left behind: %q", leftovers)
		}
	})
}

// A signal cancels the context: the walk stops before reading another
// file, and what was imported before stays.
func TestImporter_Cancelled(t *testing.T) {
	tree := writeTree(t, map[string]string{"a.md": "# A\n", "b.md": "# B\n"})
	a, err := openApp(t.Context(), config{Data: t.TempDir(), MaxPageBytes: wiki.DefaultMaxPageBytes})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	var out, errs strings.Builder
	im := &importer{svc: a.svc, actor: wiki.System(), ns: "usages", max: wiki.DefaultMaxPageBytes,
		chunkFiles: importChunk, chunkBytes: importChunkBytes, seen: map[string]string{}, stdout: &out, stderr: &errs}
	if err := im.walk(ctx, tree); !errors.Is(err, context.Canceled) {
		t.Fatalf("walk = %v, want context.Canceled", err)
	}
	if len(im.seen) != 0 || im.flushes != 0 {
		t.Errorf("the cancelled walk read %d files and imported %d chunks", len(im.seen), im.flushes)
	}
}
