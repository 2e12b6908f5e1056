package web

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kdecole-club/clubwiki/store"
	"github.com/kdecole-club/clubwiki/wiki"
)

func TestServer_Backup(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	admin := e.user(context.Background(), "alix", wiki.RoleAdmin)
	e.save("assistance/sauvegarde", "# Sauvegarde\n\nÀ garder précieusement.\n", 0, http.StatusCreated)

	t.Run("admin gets a data file the wiki can open", func(t *testing.T) {
		rec := e.do("GET", "/api/backup", admin, nil)
		wantStatusCode(t, rec, http.StatusOK)
		if cd := rec.Header().Get("Content-Disposition"); !strings.HasPrefix(cd, `attachment; filename="clubwiki-`) {
			t.Errorf("Content-Disposition = %q", cd)
		}
		file := filepath.Join(t.TempDir(), "clubwiki.db")
		if err := os.WriteFile(file, rec.Body.Bytes(), 0o600); err != nil {
			t.Fatal(err)
		}
		db, err := store.Open(file, store.Options{})
		if err != nil {
			t.Fatalf("the backup does not open: %v", err)
		}
		defer db.Close()
		_, text, err := db.Revision(context.Background(), wiki.MustPath("assistance/sauvegarde"), 1)
		if err != nil || !strings.Contains(text, "À garder précieusement.") {
			t.Errorf("page in the backup = %q, %v", text, err)
		}
		if rep, err := db.Check(context.Background()); err != nil || !rep.OK() {
			t.Errorf("the backup does not check: %+v %v", rep, err)
		}
	})
	t.Run("editors and readers may not", func(t *testing.T) {
		wantError(t, e.do("GET", "/api/backup", e.editor, nil), http.StatusForbidden, "forbidden")
		wantError(t, e.do("GET", "/api/backup", e.reader, nil), http.StatusForbidden, "forbidden")
	})
	t.Run("anonymous may not", func(t *testing.T) {
		wantError(t, e.do("GET", "/api/backup", "", nil), http.StatusUnauthorized, "unauthenticated")
	})
}
