package wiki

import (
	"bufio"
	"context"
	"errors"
	"io"

	"github.com/gabriel-vasile/mimetype"
)

// sniffBytes is how much of an upload the type is sniffed from:
// mimetype's own read limit.
const sniffBytes = 3072

// strictExts are the extensions whose content must be of their type: the
// images shown in pages, the active types (a script inside an SVG or an
// HTML file named .png must not pass for an image) and the documents whose
// text is indexed.
var strictExts = map[string]bool{
	".png": true, ".jpg": true, ".jpeg": true, ".gif": true, ".webp": true,
	".svg": true, ".html": true, ".htm": true, ".pdf": true,
	".docx": true, ".odt": true, ".xlsx": true, ".ods": true, ".pptx": true, ".odp": true, ".zip": true,
}

// extAliases are the other spellings of the extensions mimetype knows.
var extAliases = map[string]string{".jpeg": ".jpg", ".htm": ".html"}

// FileType returns the MIME type sniffed from the start of an attachment,
// or a refusal when it does not match the name's extension: a name with a
// strict extension needs content of that type; another one needs content
// that is text or of no known type (a name must not hide what the content
// is, or the other way round).
func FileType(name string, head []byte) (string, error) {
	m := mimetype.Detect(head)
	ext := FileExt(name)
	if alias, ok := extAliases[ext]; ok {
		ext = alias
	}
	text := false
	for t := m; t != nil; t = t.Parent() {
		if t.Extension() == ext {
			return m.String(), nil
		}
		text = text || t.Is("text/plain")
	}
	if !strictExts[FileExt(name)] && (text || m.Is("application/octet-stream")) && !InlineFileType(mimeBase(m.String())) {
		return m.String(), nil
	}
	return "", Errorf(EInvalid, "the content of %s is of type %s, which does not match its name", name, mimeBase(m.String())).
		Because(ReasonFileTypeMismatch, FileExt(name), mimeBase(m.String()))
}

// mimeBase is a MIME type without its parameters.
func mimeBase(t string) string {
	for i := 0; i < len(t); i++ {
		if t[i] == ';' {
			return t[:i]
		}
	}
	return t
}

// PutFile uploads an attachment to page p as actor, streaming body into the
// store: the type is sniffed from the first bytes and checked against the
// name, and the whole content is bounded by the configured limit.
func (s *Service) PutFile(ctx context.Context, actor *User, p Path, name string, body io.Reader) (File, error) {
	if err := ValidFileName(name); err != nil {
		return File{}, err
	}
	if err := s.authorize(ctx, actor, ActEdit, p.nsOrEmpty()); err != nil {
		return File{}, err
	}
	br := bufio.NewReaderSize(body, sniffBytes)
	head, err := br.Peek(sniffBytes)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return File{}, err
	}
	typ, err := FileType(name, head)
	if err != nil {
		return File{}, err
	}
	return s.store.PutFile(ctx, FileUpload{Page: p, Name: name, Type: typ, Author: actor.Login, Max: s.cfg.MaxFileBytes}, br)
}

// TooLargeFile is the refusal of an attachment past limit bytes.
func TooLargeFile(limit int64) error {
	return Errorf(ETooLarge, "an attachment may hold at most %d bytes", limit).Because(ReasonFileTooLarge, limit)
}

// DeleteFile deletes an attachment of page p; its history stays.
func (s *Service) DeleteFile(ctx context.Context, actor *User, p Path, name string) (File, error) {
	if err := ValidFileName(name); err != nil {
		return File{}, err
	}
	if err := s.authorize(ctx, actor, ActEdit, p.nsOrEmpty()); err != nil {
		return File{}, err
	}
	return s.store.DeleteFile(ctx, p, name, actor.Login)
}

// Files returns the live attachments of page p.
func (s *Service) Files(ctx context.Context, actor *User, p Path) ([]File, error) {
	if err := s.authorize(ctx, actor, ActRead, p.nsOrEmpty()); err != nil {
		return nil, err
	}
	return s.store.Files(ctx, p)
}

// FileHistory returns the revisions of an attachment, newest first.
func (s *Service) FileHistory(ctx context.Context, actor *User, p Path, name string) ([]File, error) {
	if err := ValidFileName(name); err != nil {
		return nil, Errorf(ENotFound, "no such attachment")
	}
	if err := s.authorize(ctx, actor, ActRead, p.nsOrEmpty()); err != nil {
		return nil, err
	}
	return s.store.FileHistory(ctx, p, name)
}

// OpenFile returns revision rev of an attachment (0: the head) and its
// content, which the caller closes.
func (s *Service) OpenFile(ctx context.Context, actor *User, p Path, name string, rev int) (File, io.ReadCloser, error) {
	if err := ValidFileName(name); err != nil {
		return File{}, nil, Errorf(ENotFound, "no such attachment")
	}
	if err := s.authorize(ctx, actor, ActRead, p.nsOrEmpty()); err != nil {
		return File{}, nil, err
	}
	return s.store.OpenFile(ctx, p, name, rev)
}
