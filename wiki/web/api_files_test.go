package web

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kdecole-club/clubwiki/store"
	"github.com/kdecole-club/clubwiki/testdata/docs"
	"github.com/kdecole-club/clubwiki/wiki"
)

type fileT struct {
	Name, Type, Updated string
	Size                int64
	Rev                 int
}

func TestServer_Files(t *testing.T) {
	t.Parallel()
	e := newTestEnvWith(t, envOptions{maxFileBytes: 1 << 20})
	e.save("usages/photos", "# Photos\n\n![](capture.png)\n", 0, http.StatusCreated)
	shot := docs.PNG(8, 8)
	t.Run("upload answers its shape", func(t *testing.T) {
		rec := e.do("PUT", "/api/files/usages/photos/capture.png", e.editor, shot)
		wantStatusCode(t, rec, http.StatusCreated)
		f := decode[fileT](t, rec)
		if f.Name != "capture.png" || f.Size != int64(len(shot)) || f.Rev != 1 || f.Type != "image/png" {
			t.Fatalf("answer = %+v", f)
		}
	})
	t.Run("revisions", func(t *testing.T) {
		rec := e.do("PUT", "/api/files/usages/photos/capture.png", e.editor, docs.PNG(4, 4))
		wantStatusCode(t, rec, http.StatusCreated)
		if f := decode[fileT](t, rec); f.Rev != 2 {
			t.Fatalf("second upload = %+v", f)
		}
		old := e.do("GET", "/files/usages/photos/capture.png?rev=1", e.reader, nil)
		wantStatusCode(t, old, http.StatusOK)
		if !bytes.Equal(old.Body.Bytes(), shot) {
			t.Fatal("revision 1 is not what was uploaded")
		}
	})
	t.Run("list", func(t *testing.T) {
		rec := e.do("GET", "/api/files/usages/photos", e.reader, nil)
		wantStatusCode(t, rec, http.StatusOK)
		v := decode[struct{ Files []fileT }](t, rec)
		if len(v.Files) != 1 || v.Files[0].Name != "capture.png" || v.Files[0].Rev != 2 || v.Files[0].Updated == "" {
			t.Fatalf("list = %+v", v)
		}
	})
	t.Run("an image is shown inline", func(t *testing.T) {
		rec := e.do("GET", "/files/usages/photos/capture.png", e.reader, nil)
		wantStatusCode(t, rec, http.StatusOK)
		h := rec.Header()
		if h.Get("Content-Type") != "image/png" || !strings.HasPrefix(h.Get("Content-Disposition"), "inline") ||
			h.Get("X-Content-Type-Options") != "nosniff" || !strings.Contains(h.Get("Content-Security-Policy"), "sandbox") {
			t.Fatalf("headers = %v", h)
		}
	})
	t.Run("the page shows it inline", func(t *testing.T) {
		rec := e.do("GET", "/api/pages/usages/photos?format=html", e.reader, nil)
		if !strings.Contains(rec.Body.String(), `src=\"/files/usages/photos/capture.png\"`) {
			t.Fatalf("page = %s", rec.Body)
		}
	})
	t.Run("a reader may not upload", func(t *testing.T) {
		rec := e.do("PUT", "/api/files/usages/photos/autre.png", e.reader, shot)
		wantError(t, rec, http.StatusForbidden, "forbidden")
	})
	t.Run("delete keeps the history", func(t *testing.T) {
		wantStatusCode(t, e.do("DELETE", "/api/files/usages/photos/capture.png", e.editor, nil), http.StatusOK)
		wantStatusCode(t, e.do("GET", "/files/usages/photos/capture.png", e.reader, nil), http.StatusNotFound)
		wantStatusCode(t, e.do("GET", "/files/usages/photos/capture.png?rev=2", e.reader, nil), http.StatusOK)
		v := decode[struct{ Files []fileT }](t, e.do("GET", "/api/files/usages/photos", e.reader, nil))
		if len(v.Files) != 0 {
			t.Fatalf("list after delete = %+v", v)
		}
	})
}

func TestServer_FileRefusals(t *testing.T) {
	t.Parallel()
	e := newTestEnvWith(t, envOptions{maxFileBytes: 1 << 20})
	e.save("usages/photos", "# Photos\n", 0, http.StatusCreated)
	t.Run("over the limit nothing is stored", func(t *testing.T) {
		for _, sized := range []bool{true, false} {
			req := newRequest("PUT", "/api/files/usages/photos/gros.bin", bytes.NewReader(make([]byte, 1<<20+1)))
			if !sized {
				req.ContentLength = -1 // chunked: the limit is found while streaming
			}
			req.Header.Set("Authorization", "Bearer "+e.editor)
			rec := serve(e.srv, req)
			if ae := wantError(t, rec, http.StatusRequestEntityTooLarge, "too_large"); ae.Error.Reason != "file_too_large" {
				t.Errorf("reason %q", ae.Error.Reason)
			}
		}
		if _, err := e.store.FileHistory(context.Background(), wiki.MustPath("usages/photos"), "gros.bin"); wiki.ErrorCode(err) != wiki.ENotFound {
			t.Fatalf("something was stored: %v", err)
		}
	})
	for _, c := range []struct{ name, target string }{
		{"a name without extension", "/api/files/usages/photos/sans"},
		{"a hidden name", "/api/files/usages/photos/.htaccess"},
		{"a name with a quote", `/api/files/usages/photos/a"b.txt`},
	} {
		t.Run(c.name, func(t *testing.T) {
			rec := e.do("PUT", c.target, e.editor, "texte")
			if ae := wantError(t, rec, http.StatusBadRequest, "bad_request"); ae.Error.Reason != "file_name_invalid" {
				t.Errorf("reason %q", ae.Error.Reason)
			}
		})
	}
	for _, c := range []struct {
		name, file string
		body       []byte
	}{
		{"HTML named as an image", "photo.png", []byte("<html><script>alert(1)</script></html>")},
		{"an image named as a PDF", "rapport.pdf", docs.PNG(2, 2)},
		{"a PDF named as a document", "rapport.docx", docs.PDF("x")},
		{"an image with another extension", "photo.txt", docs.PNG(2, 2)},
	} {
		t.Run(c.name, func(t *testing.T) {
			rec := e.do("PUT", "/api/files/usages/photos/"+c.file, e.editor, c.body)
			if ae := wantError(t, rec, http.StatusBadRequest, "bad_request"); ae.Error.Reason != "file_type_mismatch" {
				t.Errorf("reason %q: %s", ae.Error.Reason, rec.Body)
			}
		})
	}
}

// TestServer_FileDownloads uploads every type but the raster images and
// checks each is served as a download, never inline.
func TestServer_FileDownloads(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	e.save("usages/docs", "# Docs\n", 0, http.StatusCreated)
	for name, body := range map[string][]byte{
		"page.html":   []byte("<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"),
		"dessin.svg":  []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`),
		"rapport.pdf": docs.PDF("bonjour"),
		"note.docx":   docs.DOCX("bonjour"),
		"note.odt":    docs.ODT("bonjour"),
		"notes.txt":   []byte("bonjour"),
		"notes.md":    []byte("# bonjour"),
		"script.js":   []byte("alert(1)"),
		"data.xml":    []byte(`<?xml version="1.0"?><a/>`),
		"archive.zip": docs.DOCX("x"),
		"inconnu.bin": {0, 1, 2, 3, 0xff},
	} {
		t.Run(name, func(t *testing.T) {
			wantStatusCode(t, e.do("PUT", "/api/files/usages/docs/"+name, e.editor, body), http.StatusCreated)
			rec := e.do("GET", "/files/usages/docs/"+name, e.reader, nil)
			wantStatusCode(t, rec, http.StatusOK)
			h := rec.Header()
			if !strings.HasPrefix(h.Get("Content-Disposition"), "attachment") || h.Get("X-Content-Type-Options") != "nosniff" ||
				!strings.Contains(h.Get("Content-Security-Policy"), "sandbox") {
				t.Fatalf("headers = %v", h)
			}
		})
	}
}

// TestServer_FilesPolicy: a member kept out of a namespace finds its
// pages' attachments exactly as those of a page that never existed, for
// every method, through the API and the raw files.
func TestServer_FilesPolicy(t *testing.T) {
	t.Parallel()
	e := walkEnv(t)
	rec := e.do("PUT", "/api/files/"+walkSecretPath+"/zorglub-facture.pdf", e.editor, docs.PDF("Quetzalcoatl facturation"))
	wantStatusCode(t, rec, http.StatusCreated)
	ext := e.user(context.Background(), "ext", wiki.RoleEditor)
	w := &walker{t: t, e: e, login: "ext", token: ext, b: e.signIn("ext")}
	for _, target := range []string{
		"/api/files/" + walkSecretPath, "/api/files/" + walkSecretPath + "/zorglub-facture.pdf",
		"/files/" + walkSecretPath + "/zorglub-facture.pdf", "/files/" + walkSecretPath + "/zorglub-facture.pdf?rev=1",
	} {
		for _, m := range []string{"GET", "PUT", "DELETE"} {
			w.check(m, target)
		}
	}
	if fs, err := e.svc.Files(context.Background(), wiki.System(), wiki.MustPath(walkSecretPath)); err != nil || len(fs) != 1 {
		t.Fatalf("the hidden attachment after the walk: %+v, %v", fs, err)
	}
}

// TestServer_FileSearch: the text of PDF, ODT and DOCX attachments finds
// their page, follows it when it moves and goes when it is deleted.
func TestServer_FileSearch(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	sync := withSearch(t, e)
	e.save("assistance/pronote", "# Pronote\n\nVoir les pièces jointes.\n", 0, http.StatusCreated)
	for name, body := range map[string][]byte{
		"rapport.pdf":      docs.PDF("Le connecteur Quinquagenaire resynchronise"),
		"procedure.docx":   docs.DOCX("Étape Zygomatique du tableur"),
		"compte-rendu.odt": docs.ODT("Décision Ornithorynque adoptée"),
	} {
		wantStatusCode(t, e.do("PUT", "/api/files/assistance/pronote/"+name, e.editor, body), http.StatusCreated)
	}
	sync()
	hits := func(q string) []string {
		t.Helper()
		res := decode[searchT](t, e.do("GET", "/api/search?q="+q, e.reader, nil))
		var out []string
		for _, h := range res.Hits {
			out = append(out, h.Path)
		}
		return out
	}
	for _, word := range []string{"quinquagenaire", "zygomatique", "ornithorynque"} {
		t.Run(word, func(t *testing.T) {
			if got := hits(word); len(got) != 1 || got[0] != "assistance/pronote" {
				t.Fatalf("hits = %v", got)
			}
		})
	}
	t.Run("the text follows a move", func(t *testing.T) {
		wantStatusCode(t, e.do("POST", "/api/move/assistance/pronote", e.editor, map[string]any{"to": "usages/pronote"}), http.StatusOK)
		sync()
		if got := hits("zygomatique"); len(got) != 1 || got[0] != "usages/pronote" {
			t.Fatalf("hits = %v", got)
		}
		wantStatusCode(t, e.do("GET", "/files/usages/pronote/rapport.pdf", e.reader, nil), http.StatusOK)
	})
	t.Run("a deleted attachment's text goes", func(t *testing.T) {
		wantStatusCode(t, e.do("DELETE", "/api/files/usages/pronote/procedure.docx", e.editor, nil), http.StatusOK)
		sync()
		if got := hits("zygomatique"); len(got) != 0 {
			t.Fatalf("hits = %v", got)
		}
	})
	t.Run("attachments go with their page", func(t *testing.T) {
		wantStatusCode(t, e.do("DELETE", "/api/pages/usages/pronote", e.editor, nil), http.StatusOK)
		sync()
		if got := hits("quinquagenaire"); len(got) != 0 {
			t.Fatalf("hits = %v", got)
		}
		wantStatusCode(t, e.do("GET", "/files/usages/pronote/rapport.pdf", e.reader, nil), http.StatusNotFound)
		v := decode[struct{ Files []fileT }](t, e.do("GET", "/api/files/usages/pronote", e.reader, nil))
		if len(v.Files) != 0 {
			t.Fatalf("files of a deleted page = %+v", v)
		}
	})
}

func TestServer_FileBackup(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	e.save("usages/photos", "# Photos\n", 0, http.StatusCreated)
	shot := docs.PNG(16, 16)
	wantStatusCode(t, e.do("PUT", "/api/files/usages/photos/capture.png", e.editor, shot), http.StatusCreated)
	admin := e.user(context.Background(), "ada", wiki.RoleAdmin)
	rec := e.do("GET", "/api/backup", admin, nil)
	wantStatusCode(t, rec, http.StatusOK)
	path := filepath.Join(t.TempDir(), "copie.db")
	if err := os.WriteFile(path, rec.Body.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	_, rc, err := db.OpenFile(context.Background(), wiki.MustPath("usages/photos"), "capture.png", 0)
	if err != nil {
		t.Fatalf("the backup has no attachment: %v", err)
	}
	defer rc.Close()
	if got, _ := io.ReadAll(rc); !bytes.Equal(got, shot) {
		t.Fatal("the backup's attachment differs")
	}
}
