package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kdecole-club/clubwiki/testdata/docs"
	"github.com/kdecole-club/clubwiki/wiki"
)

// withAttachment makes a data folder whose page club/accueil has a PDF
// attachment, and returns the folder and the attachment's content.
func withAttachment(t *testing.T) (string, []byte) {
	data := t.TempDir()
	a := openData(t, data)
	pdf := docs.PDF(strings.Repeat("PIECE JOINTE INTACTE ", 200))
	if _, err := a.svc.PutFile(t.Context(), wiki.System(), wiki.MustPath("club/accueil"), "rapport.pdf", bytes.NewReader(pdf)); err != nil {
		t.Fatal(err)
	}
	a.Close()
	return data, pdf
}

func TestRun_ExportFiles(t *testing.T) {
	data, pdf := withAttachment(t)
	out := filepath.Join(t.TempDir(), "export")
	r := mustRun(t, "", "export", out, "--data", data)
	got, err := os.ReadFile(filepath.Join(out, "club", "accueil.files", "rapport.pdf"))
	if err != nil || !bytes.Equal(got, pdf) {
		t.Fatalf("exported attachment: %d bytes, %v", len(got), err)
	}
	if !strings.Contains(r.stdout, "club/accueil.files/rapport.pdf\n") {
		t.Errorf("stdout does not list the attachment:\n%s", r.stdout)
	}
}

func TestRun_CheckFiles(t *testing.T) {
	data, _ := withAttachment(t)
	t.Run("a sound attachment passes", func(t *testing.T) {
		mustRun(t, "", "check", "--data", data)
	})
	t.Run("a damaged attachment is found", func(t *testing.T) {
		path := filepath.Join(data, dbFile)
		raw, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		i := bytes.Index(raw, []byte("%PDF-1.4"))
		if i < 0 {
			t.Fatal("the attachment is not in the file")
		}
		raw[i+1] = 'X'
		if err := os.WriteFile(path, raw, 0o600); err != nil {
			t.Fatal(err)
		}
		r := runCLI(t, "", "check", "--data", data)
		if r.code != exitFail || !strings.Contains(r.stdout+r.stderr, "club/accueil/rapport.pdf revision 1") {
			t.Fatalf("exit %d; out:\n%s\n%s", r.code, r.stdout, r.stderr)
		}
	})
}
