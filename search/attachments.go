package search

import (
	"context"
	"errors"
	"io"
	"strings"
	"time"

	"github.com/kdecole-club/clubwiki/wiki"
	"github.com/kdecole-club/clubwiki/wiki/lru"
)

// FileSource is what the index reads of the pages' attachments; a Source
// that has it (wiki.Store does) gets the text of PDF, ODT and DOCX
// attachments indexed with their page.
type FileSource interface {
	Files(ctx context.Context, p wiki.Path) ([]wiki.File, error)
	OpenFile(ctx context.Context, p wiki.Path, name string, rev int) (wiki.File, io.ReadCloser, error)
}

// Bounds of the attachments' text of one page: the time spent extracting,
// the text kept, the files looked at.
const (
	extractTime      = 10 * time.Second
	maxPageFilesText = 1 << 20
	maxIndexedFiles  = 50
)

// extractSlots lets one extraction run at a time: each may hold an
// attachment of up to maxExtractInput bytes.
var extractSlots = make(chan struct{}, 1)

// indexedFile reports whether the text of an attachment is indexed.
func indexedFile(f wiki.File) bool {
	switch wiki.FileExt(f.Name) {
	case ".pdf", ".odt", ".docx":
		return f.Size <= maxExtractInput
	}
	return false
}

// attachmentsText returns the text of the indexed attachments of page p,
// each after its name; "" when src has no attachments. An attachment that
// cannot be read or is damaged gives what was found of it: it must not
// keep its page out of the index.
func attachmentsText(ctx context.Context, src Source, p wiki.Path, texts *textCache) (string, error) {
	fs, ok := src.(FileSource)
	if !ok {
		return "", nil
	}
	files, err := fs.Files(ctx, p)
	if err != nil || len(files) == 0 {
		return "", err
	}
	ctx, cancel := context.WithTimeout(ctx, extractTime)
	defer cancel()
	var b strings.Builder
	n := 0
	for _, f := range files {
		if !indexedFile(f) || n >= maxIndexedFiles || b.Len() >= maxPageFilesText {
			continue
		}
		n++
		text := fileText(ctx, fs, texts, f)
		if text == "" {
			continue
		}
		b.WriteString("\n\n" + f.Name + "\n")
		b.WriteString(text[:min(len(text), maxPageFilesText-min(b.Len(), maxPageFilesText))])
	}
	return strings.ToValidUTF8(b.String(), ""), nil
}

// textCache keeps the text of attachments already extracted, by content:
// every edit of a page indexes it again with its attachments, which have
// not changed. A text over an eighth of its budget is not kept.
type textCache = lru.Cache[extractKey, string]

// extractBudget is the budget of a textCache without one given.
const extractBudget = 4 << 20

// newTextCache returns a cache of extracted texts drawing on b, or on a
// budget of extractBudget bytes of its own when b is nil.
func newTextCache(b *lru.Budget) *textCache {
	if b == nil {
		b = lru.NewBudget(extractBudget)
	}
	return lru.NewIn[extractKey, string](b, func(s string) int { return 64 + len(s) })
}

// extractKey names an attachment's text by what it is made from.
type extractKey struct {
	sha      [32]byte
	ext, typ string
}

// fileText reads one attachment and extracts its text, or finds it
// extracted already.
func fileText(ctx context.Context, fs FileSource, extracted *textCache, f wiki.File) string {
	key := extractKey{f.SHA256, wiki.FileExt(f.Name), f.Type}
	known := f.SHA256 != [32]byte{} // a file recorded before hashes is read every time
	if text, ok := extracted.Get(key); ok && known {
		return text
	}
	select {
	case extractSlots <- struct{}{}:
		defer func() { <-extractSlots }()
	case <-ctx.Done():
		return ""
	}
	_, rc, err := fs.OpenFile(ctx, f.Page, f.Name, f.Rev)
	if err != nil {
		return ""
	}
	defer rc.Close()
	data, err := io.ReadAll(io.LimitReader(rc, maxExtractInput))
	if err != nil {
		return ""
	}
	text, err := extractText(ctx, f.Name, f.Type, data)
	if known && ctx.Err() == nil && !errors.Is(err, context.DeadlineExceeded) && !errors.Is(err, context.Canceled) {
		// A damaged file's text is what its bytes give, every time; a
		// text cut short by the deadline is not kept.
		extracted.Put(key, text)
	}
	return text
}
