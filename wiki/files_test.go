package wiki_test

import (
	"strings"
	"testing"

	"github.com/kdecole-club/clubwiki/testdata/docs"
	"github.com/kdecole-club/clubwiki/wiki"
)

func TestFileType(t *testing.T) {
	for _, c := range []struct {
		name, file string
		body       []byte
		want       string // "" for a refusal
	}{
		{"png", "capture.png", docs.PNG(2, 2), "image/png"},
		{"jpeg alias", "photo.jpeg", []byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00"), "image/jpeg"},
		{"pdf", "rapport.pdf", docs.PDF("x"), "application/pdf"},
		{"docx", "note.docx", docs.DOCX("x"), ""},
		{"markdown is text", "notes.md", []byte("# Titre"), "text/plain; charset=utf-8"},
		{"unknown binary", "donnees.bin", []byte{0, 1, 2, 0xff}, "application/octet-stream"},
		{"html as png", "photo.png", []byte("<html><script>x</script></html>"), ""},
		{"png as pdf", "rapport.pdf", docs.PNG(2, 2), ""},
		{"png as txt", "photo.txt", docs.PNG(2, 2), ""},
		{"html as svg", "dessin.svg", []byte("<html><body>x</body></html>"), ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := wiki.FileType(c.file, c.body)
			switch {
			case c.name == "docx":
				if err != nil || !strings.Contains(got, "zip") && !strings.Contains(got, "wordprocessingml") {
					t.Fatalf("FileType = %q, %v", got, err)
				}
			case c.want == "":
				if err == nil || wiki.ErrorCode(err) != wiki.EInvalid {
					t.Fatalf("FileType = %q, %v; want a refusal", got, err)
				}
			case err != nil || got != c.want:
				t.Fatalf("FileType = %q, %v; want %q", got, err, c.want)
			}
		})
	}
}

func FuzzValidFileName(f *testing.F) {
	for _, s := range []string{"capture-20261201-101500.png", "Compte rendu (v2).pdf", "a.b", ".x", "a/b.png", "é.txt", "a..png", "a.png ", "a\x00.png"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		if wiki.ValidFileName(name) != nil {
			return
		}
		if strings.ContainsAny(name, "/\\\"'<>\x00\r\n%;:") || strings.HasPrefix(name, ".") || len(name) > wiki.MaxFileNameBytes || wiki.FileExt(name) == "" {
			t.Fatalf("accepted %q", name)
		}
	})
}
