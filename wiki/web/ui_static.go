package web

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html"
	"html/template"
	"io/fs"
	"maps"
	"mime"
	"net/http"
	"path"
	"slices"
	"strconv"
	"strings"
)

// staticFiles serves the stylesheet and script at URLs that carry a hash of
// their content, so that browsers may keep them forever: a new version has
// a new URL.
type staticFiles struct {
	files map[string]staticFile // by name
	// head is the layout's links to the stylesheet and every script, by
	// hashed URL, written once: each script but app.js enhances one view
	// (the editor's drafts, presence, toolbar) and does nothing elsewhere,
	// and every page loads them from the cache. As one piece of HTML it
	// costs a page view nothing; as template actions it cost two escapers
	// per script on every answer.
	head template.HTML
}

type staticFile struct {
	hash  string
	body  []byte
	ctype []string
}

var immutable = []string{"public, max-age=31536000, immutable"}

func newStaticFiles(fsys fs.FS) (*staticFiles, error) {
	st := &staticFiles{files: map[string]staticFile{}}
	err := fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		ct := mime.TypeByExtension(path.Ext(name))
		if ct == "" {
			ct = "application/octet-stream"
		}
		st.files[name] = staticFile{hash: hex.EncodeToString(sum[:6]), body: b, ctype: []string{ct}}
		return nil
	})
	st.head = st.headLinks()
	return st, err
}

// headLinks writes the stylesheet's and the scripts' tags, app.js first.
func (st *staticFiles) headLinks() template.HTML {
	var b strings.Builder
	tag := func(format, name string) {
		fmt.Fprintf(&b, format, html.EscapeString(st.url(name)))
	}
	tag("<link rel=\"stylesheet\" href=\"%s\">\n", "app.css")
	tag("<script src=\"%s\" defer></script>\n", "app.js")
	for _, name := range slices.Sorted(maps.Keys(st.files)) {
		if path.Ext(name) == ".js" && name != "app.js" {
			tag("<script src=\"%s\" defer></script>\n", name)
		}
	}
	return template.HTML(b.String())
}

// url returns the hashed URL of a static file.
func (st *staticFiles) url(name string) string {
	return "/static/" + st.files[name].hash + "/" + name
}

// serveStatic answers GET /static/{hash}/{name}. A stale hash is a 404 rather
// than today's file, which a cache would then keep under the wrong name.
func (s *ui) serveStatic(w http.ResponseWriter, r *http.Request) {
	f, ok := s.static.files[r.PathValue("name")]
	h := w.Header()
	h["Content-Security-Policy"] = cspStrict
	if !ok || f.hash != r.PathValue("hash") {
		h["Cache-Control"] = noStore
		http.Error(w, "not found", http.StatusNotFound)
		return
	}
	h["Cache-Control"] = immutable
	h["Content-Type"] = f.ctype
	h["Content-Length"] = []string{strconv.Itoa(len(f.body))}
	_, _ = w.Write(f.body)
}
