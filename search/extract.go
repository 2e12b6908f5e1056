package search

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"unicode/utf8"
)

// The bounds of extracting the text of one attachment: what is read of
// it, what is inflated of one part of it, what is inflated in all, and
// how much text is kept. A file past them gives the text found before.
const (
	maxExtractInput   = 24 << 20
	maxInflatedPart   = 8 << 20
	maxInflatedTotal  = 32 << 20
	maxExtractedText  = 256 << 10
	maxZipEntries     = 5000
	extractCheckEvery = 512 // tokens between two looks at the context
)

var errTextFull = errors.New("enough text")

// textSink collects extracted text up to maxExtractedText bytes.
type textSink struct {
	b strings.Builder
}

func (s *textSink) add(t string) error {
	if left := maxExtractedText - s.b.Len(); len(t) > left {
		t = t[:left]
		for len(t) > 0 && !utf8.ValidString(t) {
			t = t[:len(t)-1]
		}
		s.b.WriteString(t)
		return errTextFull
	}
	s.b.WriteString(t)
	return nil
}

// extractText returns the text of an attachment of MIME type typ, or ""
// for a type whose text is not indexed. Errors are the file's (damaged,
// hostile) or the context's; what was found before them is returned too.
func extractText(ctx context.Context, name, typ string, data []byte) (string, error) {
	var sink textSink
	var err error
	switch {
	case strings.HasPrefix(typ, "application/pdf"):
		err = pdfText(ctx, data, &sink)
	case strings.HasPrefix(typ, "application/vnd.openxmlformats-officedocument.wordprocessingml"),
		strings.HasSuffix(strings.ToLower(name), ".docx") && strings.HasPrefix(typ, "application/zip"):
		err = zipXMLText(ctx, data, "word/document.xml", &sink)
	case strings.HasPrefix(typ, "application/vnd.oasis.opendocument.text"),
		strings.HasSuffix(strings.ToLower(name), ".odt") && strings.HasPrefix(typ, "application/zip"):
		err = zipXMLText(ctx, data, "content.xml", &sink)
	default:
		return "", nil
	}
	if errors.Is(err, errTextFull) {
		err = nil
	}
	return sink.b.String(), err
}

// zipXMLText reads the text of one XML part of a zip (DOCX, ODT), bounded:
// the part is read through a limit whatever its header says, so that a
// zip bomb inflates no more than maxInflatedPart.
func zipXMLText(ctx context.Context, data []byte, part string, sink *textSink) error {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return err
	}
	if len(zr.File) > maxZipEntries {
		return errors.New("too many entries in the archive")
	}
	for _, f := range zr.File {
		if f.Name != part {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return err
		}
		defer rc.Close()
		return xmlText(ctx, io.LimitReader(rc, maxInflatedPart), sink)
	}
	return errors.New("no " + part + " in the archive")
}

// xmlText collects the character data of an XML document, a line per
// paragraph (w:p of Word, text:p and text:h of OpenDocument).
func xmlText(ctx context.Context, r io.Reader, sink *textSink) error {
	dec := xml.NewDecoder(r)
	dec.Strict = false
	for n := 0; ; n++ {
		if n%extractCheckEvery == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		tok, err := dec.RawToken()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.CharData:
			err = sink.add(string(t))
		case xml.EndElement:
			if t.Name.Local == "p" || t.Name.Local == "h" {
				err = sink.add("\n")
			}
		case xml.StartElement:
			if t.Name.Local == "tab" || t.Name.Local == "s" || t.Name.Local == "br" {
				err = sink.add(" ")
			}
		}
		if err != nil {
			return err
		}
	}
}
