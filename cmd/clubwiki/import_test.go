package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kdecole-club/clubwiki/search"
	"github.com/kdecole-club/clubwiki/wiki"
)

// writeTree writes files (slash paths → content) under a new folder.
func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o750); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestRun_Import(t *testing.T) {
	tree := writeTree(t, map[string]string{
		"Connexion ENT.md":       "# Connexion\n\nTexte.\n",
		"sous dossier/Élèves.md": "---\ntags: [x]\n---\nTexte\n",
		"notes.txt":              "not markdown",
		"bad.md":                 "\xff\xfe",
		"fm.md":                  "---\n: [\n---\n",
		".git/ignored.md":        "x",
	})
	data := t.TempDir()
	r := runCLI(t, "", "import", tree, "--ns", "Assistance", "--data", data)
	if r.code != exitOK {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	for _, want := range []string{"created assistance/connexion-ent rev 1", "created assistance/sous-dossier/eleves rev 1"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, r.stdout)
		}
	}
	for _, want := range []string{"skipped bad.md: the text is not valid UTF-8", "skipped fm.md:"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	if strings.Contains(r.stdout+r.stderr, "ignored") {
		t.Errorf("hidden folder imported")
	}
	t.Run("again adds nothing", func(t *testing.T) {
		r := runCLI(t, "", "import", tree, "--ns", "assistance", "--data", data)
		if r.code != exitOK || r.stdout != "" || !strings.Contains(r.stderr, "2 unchanged") {
			t.Errorf("exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
		}
	})
	t.Run("first folder as namespace", func(t *testing.T) {
		tree := writeTree(t, map[string]string{"usages/page.md": "x", "nowhere/page.md": "y"})
		r := runCLI(t, "", "import", tree, "--data", data)
		if r.code != exitOK || !strings.Contains(r.stdout, "usages/page") || !strings.Contains(r.stderr, `unknown namespace "nowhere"`) {
			t.Errorf("exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
		}
	})
	t.Run("failures", func(t *testing.T) {
		only := writeTree(t, map[string]string{"x.md": "\xff"})
		if r := runCLI(t, "", "import", only, "--ns", "usages", "--data", data); r.code != exitFail {
			t.Errorf("nothing importable: exit %d", r.code)
		}
		if r := runCLI(t, "", "import", tree, "--ns", "nulle-part", "--data", data); r.code != exitFail {
			t.Errorf("unknown --ns: exit %d", r.code)
		}
		if r := runCLI(t, "", "import", tree, "--as", "personne", "--data", data); r.code != exitFail {
			t.Errorf("unknown --as: exit %d", r.code)
		}
		if r := runCLI(t, "", "import", "--data", data); r.code != exitUsage {
			t.Errorf("no DIR: exit %d", r.code)
		}
	})
	t.Run("author", func(t *testing.T) {
		mustRun(t, "", "user", "add", "marie", "--data", data)
		tree := writeTree(t, map[string]string{"par-marie.md": "x"})
		mustRun(t, "", "import", tree, "--ns", "club", "--as", "marie", "--data", data)
		a := openData(t, data)
		h, err := a.db.Head(t.Context(), wiki.MustPath("club/par-marie"))
		a.Close()
		if err != nil || h.Author != "marie" {
			t.Errorf("head = %+v, %v", h, err)
		}
	})
}

func TestRun_Reindex(t *testing.T) {
	tree := writeTree(t, map[string]string{"a.md": "# Alpha\n\nZanzibar.\n", "b.md": "# Beta\n"})
	data := t.TempDir()
	mustRun(t, "", "import", tree, "--ns", "usages", "--data", data)
	r := mustRun(t, "", "reindex", "--data", data)
	if !strings.HasPrefix(r.stdout, "reindexed ") {
		t.Errorf("stdout = %q", r.stdout)
	}
	idx, reason, err := search.Open(filepath.Join(data, indexDir))
	if err != nil || reason != "" {
		t.Fatalf("Open: %v, %q", err, reason)
	}
	defer idx.Close()
	res, err := idx.Search(t.Context(), wiki.SearchQuery{Query: wiki.ParseQuery("zanzibar"), Namespaces: []string{"usages"}, Limit: 5})
	if err != nil || res.Total != 1 {
		t.Errorf("after reindex: %+v, %v", res, err)
	}
}

// A chunk is imported once it holds chunkBytes of text, not only once it
// holds chunkFiles files, so a tree of large pages never sits in memory.
func TestImporter_ChunkBoundedByBytes(t *testing.T) {
	tree := writeTree(t, map[string]string{
		"a.md": strings.Repeat("alpha ", 100), "b.md": strings.Repeat("beta ", 100), "c.md": strings.Repeat("gamma ", 100),
	})
	a, err := openApp(t.Context(), config{Data: t.TempDir(), MaxPageBytes: wiki.DefaultMaxPageBytes})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	var out, errs strings.Builder
	im := &importer{svc: a.svc, actor: wiki.System(), ns: "usages", max: wiki.DefaultMaxPageBytes,
		chunkFiles: importChunk, chunkBytes: 700, seen: map[string]string{}, stdout: &out, stderr: &errs}
	if err := im.walk(t.Context(), tree); err != nil {
		t.Fatal(err)
	}
	if im.tally.created != 3 || im.flushes != 2 {
		t.Errorf("created %d pages in %d chunks, want 3 in 2 (600 bytes each, 700 a chunk); stderr %q", im.tally.created, im.flushes, errs.String())
	}
}
