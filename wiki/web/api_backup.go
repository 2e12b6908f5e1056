package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/kdecole-club/clubwiki/wiki"
)

// backup answers GET /api/backup (admins only) with a hot copy of the data
// file, to keep as clubwiki.db: the server can start on it as it is.
func (s *api) backup(w http.ResponseWriter, r *http.Request, u *wiki.User) error {
	// Asked before any byte is sent, so that a refusal is a proper JSON
	// error; the use case asks again.
	if err := s.svc.Authorize(r.Context(), u, wiki.ActBackup, wiki.Path{}); err != nil {
		return err
	}
	name := "clubwiki-" + time.Now().UTC().Format("20060102-150405") + ".db"
	h := w.Header()
	h.Set("Content-Type", "application/octet-stream")
	h.Set("Content-Disposition", `attachment; filename="`+name+`"`)
	h.Set("Cache-Control", "no-store")
	n, err := s.svc.Backup(r.Context(), u, w)
	if err != nil && n == 0 {
		h.Del("Content-Disposition")
		return err
	}
	if err != nil {
		// Half a file is already sent: the client sees a cut answer
		// (no chunked terminator); the log says why.
		s.log.Error("backup cut short", "bytes", strconv.FormatInt(n, 10), "err", err)
	}
	return nil
}
