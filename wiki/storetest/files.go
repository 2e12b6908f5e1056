package storetest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"io"
	"testing"

	"github.com/kdecole-club/clubwiki/wiki"
)

// testFiles covers FileStore: attachments stream in and out whole, keep
// their revisions, refuse what is past the limit or fails to read with
// nothing kept, log a change, and move and go with their page.
func testFiles(t *testing.T, open func(t *testing.T) wiki.Store) {
	ctx := context.Background()
	s := open(t)
	p := wiki.MustPath
	commit(t, s, "usages/a", 0, "un")
	big := bytes.Repeat([]byte("0123456789abcdef"), 70_000) // 1.1 MB: several chunks
	put := func(page, name string, body []byte) (wiki.File, error) {
		return s.PutFile(ctx, wiki.FileUpload{Page: p(page), Name: name, Type: "text/plain", Author: "bob", Max: 2 << 20}, bytes.NewReader(body))
	}
	read := func(page, name string, rev int) []byte {
		t.Helper()
		_, rc, err := s.OpenFile(ctx, p(page), name, rev)
		if err != nil {
			t.Fatalf("OpenFile(%s, %s, %d): %v", page, name, rev, err)
		}
		defer rc.Close()
		b, err := io.ReadAll(rc)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	t.Run("content streams in and out with revisions", func(t *testing.T) {
		seq := lastSeq(t, s)
		f, err := put("usages/a", "notes.txt", big)
		if err != nil || f.Rev != 1 || f.Size != int64(len(big)) || f.SHA256 != sha256.Sum256(big) {
			t.Fatalf("PutFile = %+v, %v", f, err)
		}
		if f2, err := put("usages/a", "notes.txt", []byte("court")); err != nil || f2.Rev != 2 {
			t.Fatalf("second revision = %+v, %v", f2, err)
		}
		if got := read("usages/a", "notes.txt", 1); !bytes.Equal(got, big) {
			t.Fatalf("revision 1 read back %d bytes, want %d", len(got), len(big))
		}
		if got := read("usages/a", "notes.txt", 0); string(got) != "court" {
			t.Fatalf("head = %q", got)
		}
		chs, err := s.ChangesAfter(ctx, seq, 10)
		if err != nil || len(chs) != 2 || chs[0].Kind != wiki.KindFile || chs[0].Path != p("usages/a") || chs[0].Subject != "notes.txt" {
			t.Fatalf("changes = %+v, %v", chs, err)
		}
	})
	t.Run("past the limit nothing is kept", func(t *testing.T) {
		_, err := s.PutFile(ctx, wiki.FileUpload{Page: p("usages/a"), Name: "gros.bin", Author: "bob", Max: 1 << 20}, bytes.NewReader(big))
		wantCode(t, err, wiki.ETooLarge)
		if _, err := s.FileHistory(ctx, p("usages/a"), "gros.bin"); wiki.ErrorCode(err) != wiki.ENotFound {
			t.Fatalf("a refused upload left a history: %v", err)
		}
	})
	t.Run("a failing body keeps nothing", func(t *testing.T) {
		body := io.MultiReader(bytes.NewReader(big), errReader{})
		if _, err := s.PutFile(ctx, wiki.FileUpload{Page: p("usages/a"), Name: "casse.bin", Author: "bob", Max: 4 << 20}, body); err == nil {
			t.Fatal("no error")
		}
		if fs, _ := s.Files(ctx, p("usages/a")); len(fs) != 1 {
			t.Fatalf("files = %+v", fs)
		}
	})
	t.Run("delete keeps the history", func(t *testing.T) {
		if _, err := put("usages/a", "photo.png", []byte("x")); err != nil {
			t.Fatal(err)
		}
		if f, err := s.DeleteFile(ctx, p("usages/a"), "photo.png", "bob"); err != nil || !f.Deleted || f.Rev != 2 {
			t.Fatalf("DeleteFile = %+v, %v", f, err)
		}
		if _, _, err := s.OpenFile(ctx, p("usages/a"), "photo.png", 0); wiki.ErrorCode(err) != wiki.ENotFound {
			t.Fatalf("a deleted head opens: %v", err)
		}
		if got := read("usages/a", "photo.png", 1); string(got) != "x" {
			t.Fatalf("revision 1 = %q", got)
		}
		_, err := s.DeleteFile(ctx, p("usages/a"), "photo.png", "bob")
		wantCode(t, err, wiki.ENotFound)
	})
	t.Run("attachments move with their page", func(t *testing.T) {
		_, err := s.Move(ctx, wiki.Move{Pages: []wiki.PageMove{{From: p("usages/a"), To: p("usages/b"), ExpectRev: 1, Markdown: "un"}}, Author: "bob"})
		if err != nil {
			t.Fatal(err)
		}
		if fs, _ := s.Files(ctx, p("usages/a")); len(fs) != 0 {
			t.Fatalf("files left behind: %+v", fs)
		}
		if got := read("usages/b", "notes.txt", 1); !bytes.Equal(got, big) {
			t.Fatal("revision 1 did not follow")
		}
	})
	t.Run("attachments go with their page", func(t *testing.T) {
		deletePage(t, s, "usages/b", 2)
		if fs, err := s.Files(ctx, p("usages/b")); err != nil || len(fs) != 0 {
			t.Fatalf("files of a deleted page = %+v, %v", fs, err)
		}
		if h, err := s.FileHistory(ctx, p("usages/b"), "notes.txt"); err != nil || len(h) != 3 || !h[0].Deleted {
			t.Fatalf("history = %+v, %v", h, err)
		}
	})
}

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, errors.New("connection reset") }

// testFilesOrphans: a move never mixes the moved page's attachments with
// those uploaded at its destination for a page never saved.
func testFilesOrphans(t *testing.T, open func(t *testing.T) wiki.Store) {
	ctx := context.Background()
	s := open(t)
	p := wiki.MustPath
	commit(t, s, "usages/a", 0, "un")
	if _, err := s.PutFile(ctx, wiki.FileUpload{Page: p("usages/jamais"), Name: "x.png", Author: "bob", Max: 1 << 20}, bytes.NewReader([]byte("x"))); err != nil {
		t.Fatal(err)
	}
	_, err := s.Move(ctx, wiki.Move{Pages: []wiki.PageMove{{From: p("usages/a"), To: p("usages/jamais"), ExpectRev: 1, Markdown: "un"}}, Author: "bob"})
	wantCode(t, err, wiki.EExists)
}
