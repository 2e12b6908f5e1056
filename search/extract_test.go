package search

import (
	"bytes"
	"context"
	"crypto/sha256"
	"io"
	"strings"
	"testing"

	"github.com/kdecole-club/clubwiki/testdata/docs"
	"github.com/kdecole-club/clubwiki/wiki"
	"github.com/kdecole-club/clubwiki/wiki/lru"
)

func TestExtractText(t *testing.T) {
	t.Parallel()
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

// countingFiles is a Source of one page's attachments, in memory, that
// counts the attachments opened.
type countingFiles struct {
	Source // not called
	files  []wiki.File
	data   map[string][]byte
	opened int
}

func (c *countingFiles) Files(context.Context, wiki.Path) ([]wiki.File, error) { return c.files, nil }

func (c *countingFiles) OpenFile(_ context.Context, _ wiki.Path, name string, _ int) (wiki.File, io.ReadCloser, error) {
	c.opened++
	for _, f := range c.files {
		if f.Name == name {
			return f, io.NopCloser(bytes.NewReader(c.data[name])), nil
		}
	}
	return wiki.File{}, nil, wiki.Errorf(wiki.ENotFound, "no %s", name)
}

// TestAttachmentsText_ExtractedOnce checks that an attachment's text is
// extracted once for its content: indexing its page again after an edit
// reads no attachment, and a new revision of one is read again.
func TestAttachmentsText_ExtractedOnce(t *testing.T) {
	t.Parallel()
	pdf, docx := docs.PDF("Procédure de réinitialisation (ENT)"), docs.DOCX("Compte rendu du comité de pilotage")
	src := &countingFiles{data: map[string][]byte{"proc.pdf": pdf, "cr.docx": docx}, files: []wiki.File{
		{Name: "proc.pdf", Rev: 1, Size: int64(len(pdf)), Type: "application/pdf", SHA256: sha256.Sum256(pdf)},
		{Name: "cr.docx", Rev: 1, Size: int64(len(docx)), Type: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", SHA256: sha256.Sum256(docx)},
	}}
	ctx, p := context.Background(), wiki.MustPath("assistance/extraits")
	texts := newTextCache(nil)
	first, err := attachmentsText(ctx, src, p, texts)
	if err != nil || !strings.Contains(first, "réinitialisation") || !strings.Contains(first, "comité de pilotage") {
		t.Fatalf("text %q, %v", first, err)
	}
	opened := src.opened
	again, err := attachmentsText(ctx, src, p, texts)
	if err != nil || again != first {
		t.Fatalf("again: %q, %v; want %q", again, err, first)
	}
	if src.opened != opened {
		t.Errorf("%d attachments read again for the same contents", src.opened-opened)
	}
	pdf2 := docs.PDF("Procédure révisée")
	src.data["proc.pdf"] = pdf2
	src.files[0] = wiki.File{Name: "proc.pdf", Rev: 2, Size: int64(len(pdf2)), Type: "application/pdf", SHA256: sha256.Sum256(pdf2)}
	if text, _ := attachmentsText(ctx, src, p, texts); !strings.Contains(text, "révisée") || strings.Contains(text, "réinitialisation") {
		t.Errorf("after a new revision: %q", text)
	}
	if src.opened != opened+1 {
		t.Errorf("%d attachments read for one new revision", src.opened-opened)
	}
}

// The extracted texts draw on the budget given (the server's one budget
// of cached pages): they count there, and leave first when they are the
// least recently used.
func TestAttachmentsText_SharedBudget(t *testing.T) {
	t.Parallel()
	pdf := docs.PDF("Procédure de réinitialisation du mot de passe (ENT)")
	src := &countingFiles{data: map[string][]byte{"proc.pdf": pdf}, files: []wiki.File{
		{Name: "proc.pdf", Rev: 1, Size: int64(len(pdf)), Type: "application/pdf", SHA256: sha256.Sum256(pdf)},
	}}
	b := lru.NewBudget(64 << 10)
	texts := newTextCache(b)
	ctx, p := context.Background(), wiki.MustPath("assistance/budget")
	text, err := attachmentsText(ctx, src, p, texts)
	if err != nil || !strings.Contains(text, "réinitialisation") {
		t.Fatalf("text %q, %v", text, err)
	}
	if n, used := b.Len(); n != 1 || used < len("Procédure de réinitialisation du mot de passe (ENT)") {
		t.Fatalf("the budget holds %d entries, %d bytes", n, used)
	}
	// Pages cached since push the text out.
	pages := lru.NewIn[int, string](b, func(s string) int { return len(s) })
	for i := range 16 {
		pages.Put(i, strings.Repeat("x", 7<<10))
	}
	opened := src.opened
	if _, err := attachmentsText(ctx, src, p, texts); err != nil {
		t.Fatal(err)
	}
	if src.opened != opened+1 {
		t.Errorf("the text evicted from the shared budget was not extracted again (%d reads)", src.opened-opened)
	}
}
