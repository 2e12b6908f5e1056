package render

import (
	"net/url"

	"github.com/kdecole-club/clubwiki/wiki"
)

// FilePrefix is where the wiki serves the attachments of pages.
const FilePrefix = "/files/"

// attachmentURL returns where an image written by the bare name of one of
// the page's attachments (`![](capture.png)`) is served; ok is false for
// any other destination (a URL, a path, a name that is not an
// attachment's), which is left as written.
func attachmentURL(page wiki.Path, dest string) (string, bool) {
	name := dest
	if u, err := url.PathUnescape(dest); err == nil {
		name = u // "Compte%20rendu.png"
	}
	if page.IsZero() || wiki.ValidFileName(name) != nil {
		return "", false
	}
	return FilePrefix + page.String() + "/" + url.PathEscape(name), true
}
