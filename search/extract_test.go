package search

import (
	"context"
	"strings"
	"testing"

	"github.com/kdecole-club/clubwiki/testdata/docs"
)

func TestExtractText(t *testing.T) {
	ctx := context.Background()
	for _, c := range []struct {
		name, file, typ string
		data            []byte
		want            string
	}{
		{"pdf", "a.pdf", "application/pdf", docs.PDF("Synchronisation Pronote (nuit)", "Deuxième ligne"), "Synchronisation Pronote (nuit) Deuxième ligne"},
		{"docx", "a.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", docs.DOCX("Annuaire académique", "Seconde"), "Annuaire académique\nSeconde"},
		{"docx sniffed as zip", "a.docx", "application/zip", docs.DOCX("Annuaire"), "Annuaire"},
		{"odt", "a.odt", "application/vnd.oasis.opendocument.text", docs.ODT("Compte rendu", "Décisions"), "Compte rendu\nDécisions"},
		{"other types are not read", "a.txt", "text/plain", []byte("texte"), ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := extractText(ctx, c.file, c.typ, c.data)
			if err != nil || strings.TrimSpace(got) != c.want {
				t.Fatalf("extractText = %q, %v; want %q", got, err, c.want)
			}
		})
	}
	t.Run("a zip bomb is read within bounds", func(t *testing.T) {
		// 20 MiB inflated from 20 KB: at most maxInflatedPart is read
		// (the extraction's time is bounded by its context, below).
		bomb := docs.ZipBomb(20 << 20)
		got, _ := extractText(ctx, "b.docx", "application/zip", bomb)
		if len(got) != maxExtractedText {
			t.Fatalf("%d bytes of text from a %d-byte bomb, want the bound %d", len(got), len(bomb), maxExtractedText)
		}
	})
	t.Run("a damaged file gives an error, no panic", func(t *testing.T) {
		pdf := docs.PDF("texte")
		for _, data := range [][]byte{pdf[:len(pdf)/2], docs.DOCX("x")[:40], {}} {
			_, _ = extractText(ctx, "a.pdf", "application/pdf", data)
			_, _ = extractText(ctx, "a.docx", "application/zip", data)
		}
	})
	t.Run("the context ends the work", func(t *testing.T) {
		done, cancel := context.WithCancel(ctx)
		cancel()
		if _, err := extractText(done, "a.pdf", "application/pdf", docs.PDF("x")); err == nil {
			t.Fatal("no error after the context ended")
		}
	})
}

func FuzzPDFText(f *testing.F) {
	f.Add(docs.PDF("Bonjour (tout) le monde"))
	f.Add([]byte("BT (a\\(b\\051) Tj <FEFF00e9> Tj [(x) -20 (y)] TJ ET stream\nendstream"))
	f.Add([]byte("1 0 obj << /Filter /FlateDecode >> stream\nxx"))
	f.Fuzz(func(t *testing.T, data []byte) {
		var sink textSink
		_ = pdfText(context.Background(), data, &sink)
		if sink.b.Len() > maxExtractedText {
			t.Fatalf("%d bytes of text", sink.b.Len())
		}
	})
}
