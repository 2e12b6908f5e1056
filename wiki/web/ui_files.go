package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/kdecole-club/clubwiki/wiki"
)

// maxListedFiles bounds the attachments a page view lists.
const maxListedFiles = 200

// olderFileRevs is how many older revisions of an attachment the page
// links to.
const olderFileRevs = 9

// fileView is one attachment in the page's list.
type fileView struct {
	wiki.File
	URL   string // of its head
	Size  string // for people: "12 Ko"
	Older []int  // revisions before the head, newest first
}

// filesView is the attachments section of a page.
type filesView struct {
	Files  []fileView
	More   int    // attachments not listed
	Upload string // the API URL uploads go to, "" when the reader may not upload
	// Texts of attachments.js, already in the reader's language.
	TooLarge, BadName string
}

// key names what the section shows, for the cached article that holds
// it (ui.article): an upload, a deletion or a new revision of an
// attachment changes it.
func (v *filesView) key() string {
	if v == nil {
		return ""
	}
	var b strings.Builder
	b.WriteString(v.Upload)
	b.WriteByte('|')
	b.WriteString(strconv.Itoa(v.More))
	for _, f := range v.Files {
		b.WriteByte('|')
		b.WriteString(f.Name)
		b.WriteByte('/')
		b.WriteString(strconv.Itoa(f.Rev))
		b.WriteByte('/')
		b.WriteString(f.Size)
		b.WriteByte('/')
		b.WriteString(strconv.FormatInt(f.Updated.UnixNano(), 10))
		b.WriteByte('/')
		b.WriteString(f.Author)
	}
	return b.String()
}

// pageFiles lists the attachments of the page for its view.
func (s *ui) pageFiles(r *http.Request, c *uiCtx, p wiki.Path, canEdit bool) (*filesView, error) {
	fs, err := s.svc.Files(r.Context(), c.User, p)
	if err != nil {
		return nil, err
	}
	v := &filesView{
		TooLarge: c.L.T("reason.file_too_large", s.svc.MaxFileBytes()),
		BadName:  c.L.T("reason.file_name_invalid", wiki.MaxFileNameBytes),
	}
	if canEdit {
		v.Upload = "/api/files/" + p.String()
	}
	if len(fs) > maxListedFiles {
		v.More, fs = len(fs)-maxListedFiles, fs[:maxListedFiles]
	}
	for _, f := range fs {
		fv := fileView{File: f, URL: "/files/" + p.String() + "/" + pathURL(f.Name), Size: fileSize(c.L, f.Size)}
		for rev := f.Rev - 1; rev >= 1 && len(fv.Older) < olderFileRevs; rev-- {
			fv.Older = append(fv.Older, rev)
		}
		v.Files = append(v.Files, fv)
	}
	return v, nil
}

// fileSize writes n bytes for people, in the reader's units.
func fileSize(l *catalog, n int64) string {
	switch {
	case n < 1<<10:
		return l.T("files.bytes", n)
	case n < 1<<20:
		return l.T("files.kib", strconv.FormatInt((n+1<<9)>>10, 10))
	}
	mib := strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64)
	if l.lang == "fr" {
		mib = strings.Replace(mib, ".", ",", 1)
	}
	return l.T("files.mib", mib)
}
