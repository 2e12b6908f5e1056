package wiki

import (
	"context"
	"io"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// DefaultMaxFileBytes is the default limit on one attachment: 20 MiB.
const DefaultMaxFileBytes = 20 << 20

// MaxFileNameBytes bounds an attachment's name.
const MaxFileNameBytes = 120

// KindFile is the change-log entry of an attachment written or deleted:
// Path is its page, Subject its name, Rev 0 (the attachment's own
// revision is in its history). It is not a page change (IsPage is false):
// recent changes do not list it, but the search index follows it to index
// the page again with the attachment's text.
const KindFile ChangeKind = "file"

// File is one revision of an attachment of a page.
type File struct {
	Page    Path
	Name    string
	Rev     int
	Size    int64
	Type    string // the MIME type sniffed from the content
	SHA256  [32]byte
	Updated time.Time
	Author  string
	Deleted bool // a deletion revision: the attachment is gone from here on
}

// FileUpload is what a use case hands the store to write an attachment.
type FileUpload struct {
	Page   Path
	Name   string // ValidFileName
	Type   string
	Author string
	// Max bounds the content: past it the store answers ETooLarge and
	// keeps nothing of it.
	Max int64
}

// FileStore holds the attachments of pages, with their revisions. The
// content streams through the store in chunks: no attachment is ever held
// whole in memory.
type FileStore interface {
	// PutFile writes the content read from body as a new revision of the
	// attachment (the first when there is none, or after a deletion) and
	// appends a KindFile change. Past up.Max bytes it answers ETooLarge
	// and keeps nothing; an error reading body keeps nothing either.
	PutFile(ctx context.Context, up FileUpload, body io.Reader) (File, error)
	// DeleteFile writes a deletion revision of a live attachment (its
	// history stays) and appends a KindFile change; ENotFound when there
	// is no live attachment of that name.
	DeleteFile(ctx context.Context, page Path, name, author string) (File, error)
	// Files returns the live attachments of a page by name.
	Files(ctx context.Context, page Path) ([]File, error)
	// FileHistory returns the revisions of one attachment, newest first;
	// ENotFound when it never existed.
	FileHistory(ctx context.Context, page Path, name string) ([]File, error)
	// OpenFile returns revision rev of an attachment (0: the head, which
	// must be live) and a reader of its content, which the caller closes.
	// ENotFound when there is no such revision, or it is a deletion.
	OpenFile(ctx context.Context, page Path, name string, rev int) (File, io.ReadCloser, error)
}

// ValidFileName checks an attachment's name: one segment of letters,
// digits, spaces and -_.,()+, at most MaxFileNameBytes, not starting with
// a dot or a space, with an extension of letters and digits. The name is
// then safe in a URL segment, an HTTP header and Markdown.
func ValidFileName(name string) error {
	bad := func() error {
		return Errorf(EInvalid, "an attachment's name is letters, digits, spaces and -_.,()+ with an extension, at most %d bytes", MaxFileNameBytes).
			Because(ReasonFileNameInvalid, MaxFileNameBytes)
	}
	if name == "" || len(name) > MaxFileNameBytes || !utf8.ValidString(name) {
		return bad()
	}
	if name[0] == '.' || name[0] == ' ' || strings.HasSuffix(name, " ") || strings.Contains(name, "..") {
		return bad()
	}
	for _, r := range name {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !strings.ContainsRune(" -_.,()+", r) {
			return bad()
		}
	}
	ext := FileExt(name)
	if ext == "" || len(ext) > 11 {
		return bad()
	}
	for _, r := range ext[1:] {
		if r > unicode.MaxASCII || !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			return bad()
		}
	}
	return nil
}

// FileExt returns the extension of an attachment's name, lower-cased,
// with its dot; "" when it has none.
func FileExt(name string) string {
	i := strings.LastIndexByte(name, '.')
	if i < 0 || i == len(name)-1 {
		return ""
	}
	return strings.ToLower(name[i:])
}

// InlineFileType reports whether an attachment of MIME type t is shown in
// the page (a raster image, which cannot carry a script); every other
// type is only ever served as a download.
func InlineFileType(t string) bool {
	switch t {
	case "image/png", "image/jpeg", "image/gif", "image/webp":
		return true
	}
	return false
}
