package web

import (
	"encoding/hex"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/kdecole-club/clubwiki/wiki"
)

// fileJSON is one attachment in the API's answers; Updated only in lists.
type fileJSON struct {
	Name    string     `json:"name"`
	Size    int64      `json:"size"`
	Rev     int        `json:"rev"`
	Type    string     `json:"type"`
	Updated *time.Time `json:"updated,omitempty"`
}

type filesJSON struct {
	Files []fileJSON `json:"files"`
}

// cspFile is the policy of a served attachment: it may load nothing and,
// should a browser render it anyway, runs in a sandbox of its own origin.
var cspFile = []string{"default-src 'none'; sandbox; frame-ancestors 'none'"}

// fileRoutes registers the attachments: the API and the raw files.
func (s *api) fileRoutes() {
	s.route("GET /api/files/{path...}", s.handle(s.listFiles))
	// An upload streams to the store: its body is never held, so it
	// takes nothing from the body budget.
	s.route("PUT /api/files/{path...}", s.handleStream(s.putFile))
	s.route("DELETE /api/files/{path...}", s.handle(s.deleteFile))
	s.route("GET /files/{path...}", s.handleStream(s.serveFile))
}

// handleStream is handle for requests whose body streams (or that have
// none): authentication and the write charge, no body budget.
func (s *api) handleStream(h apiFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd["Content-Security-Policy"] = cspStrict
		hd["Cache-Control"] = noStore
		u, err := s.authenticate(r)
		if err == nil {
			err = s.chargeWrite(r, u)
		}
		if err == nil {
			err = h(w, r, u)
		}
		if err != nil {
			s.writeError(w, r, err)
		}
	})
}

// filePath reads {path...} as a page path and an attachment's name, its
// last segment.
func (s *api) filePath(r *http.Request) (wiki.Path, string, error) {
	raw := r.PathValue("path")
	i := strings.LastIndexByte(raw, '/')
	if i < 0 {
		return wiki.Path{}, "", wiki.Errorf(wiki.ENotFound, "no such attachment")
	}
	p, err := s.svc.ResolvePath(r.Context(), raw[:i])
	return p, raw[i+1:], err
}

func toFileJSON(f wiki.File, withTime bool) fileJSON {
	out := fileJSON{Name: f.Name, Size: f.Size, Rev: f.Rev, Type: f.Type}
	if withTime {
		t := f.Updated
		out.Updated = &t
	}
	return out
}

// listFiles answers GET /api/files/{path}.
func (s *api) listFiles(w http.ResponseWriter, r *http.Request, u *wiki.User) error {
	p, err := s.pagePath(r)
	if err != nil {
		return err
	}
	fs, err := s.svc.Files(r.Context(), u, p)
	if err != nil {
		return err
	}
	out := filesJSON{Files: make([]fileJSON, 0, len(fs))}
	for _, f := range fs {
		out.Files = append(out.Files, toFileJSON(f, true))
	}
	s.writeJSON(w, r, http.StatusOK, out)
	return nil
}

// putFile answers PUT /api/files/{path}/{name}: the raw body is the file.
func (s *api) putFile(w http.ResponseWriter, r *http.Request, u *wiki.User) error {
	p, name, err := s.filePath(r)
	if err != nil {
		return err
	}
	if max := s.svc.MaxFileBytes(); r.ContentLength > max {
		return wiki.TooLargeFile(max)
	}
	f, err := s.svc.PutFile(r.Context(), u, p, name, r.Body)
	if err != nil {
		return err
	}
	s.writeJSON(w, r, http.StatusCreated, toFileJSON(f, false))
	return nil
}

// deleteFile answers DELETE /api/files/{path}/{name}.
func (s *api) deleteFile(w http.ResponseWriter, r *http.Request, u *wiki.User) error {
	p, name, err := s.filePath(r)
	if err != nil {
		return err
	}
	f, err := s.svc.DeleteFile(r.Context(), u, p, name)
	if err != nil {
		return err
	}
	s.writeJSON(w, r, http.StatusOK, toFileJSON(f, false))
	return nil
}

// serveFile answers GET /files/{path}/{name}[?rev=N]: the attachment
// itself. Only raster images are shown inline; everything else is a
// download, never rendered by the browser in the wiki's origin.
func (s *api) serveFile(w http.ResponseWriter, r *http.Request, u *wiki.User) error {
	p, name, err := s.filePath(r)
	if err != nil {
		return err
	}
	rev, _, err := revParam(r)
	if err != nil {
		return err
	}
	f, body, err := s.svc.OpenFile(r.Context(), u, p, name, rev)
	if err != nil {
		return err
	}
	defer body.Close()
	h := w.Header()
	h["Content-Security-Policy"] = cspFile
	h["X-Content-Type-Options"] = []string{"nosniff"}
	etag := `"` + hex.EncodeToString(f.SHA256[:12]) + `"`
	h["Etag"] = []string{etag}
	h["Cache-Control"] = []string{"private, no-cache"}
	disposition := "attachment"
	if wiki.InlineFileType(f.Type) {
		disposition = "inline"
	}
	h["Content-Disposition"] = []string{mime.FormatMediaType(disposition, map[string]string{"filename": f.Name})}
	h["Content-Type"] = []string{f.Type}
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	h["Content-Length"] = []string{strconv.FormatInt(f.Size, 10)}
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = io.Copy(w, body)
	}
	return nil
}
