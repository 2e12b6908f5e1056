package store

import (
	"bytes"
	"compress/flate"
	"fmt"
	"io"
)

// minCompress is the smallest text worth compressing: below it DEFLATE's
// framing eats most of the gain and the reader setup costs more than it saves.
const minCompress = 512

// packText returns the format and body for a revision's text. French prose
// shrinks to about a third with DEFLATE at its fastest level; text that does
// not shrink by a tenth is stored raw so reading it costs nothing.
//
// This bounds growth per revision by a constant factor only; deltas against
// the previous revision (a new format byte) are the next step.
func (db *DB) packText(text string) (byte, []byte, error) {
	if len(text) < minCompress {
		return revFormatRaw, []byte(text), nil
	}
	var buf bytes.Buffer
	buf.Grow(len(text) / 2)
	w, _ := db.writers.Get().(*flate.Writer)
	if w == nil {
		var err error
		if w, err = flate.NewWriter(&buf, flate.BestSpeed); err != nil {
			return 0, nil, err
		}
	} else {
		w.Reset(&buf)
	}
	defer db.writers.Put(w)
	if _, err := io.WriteString(w, text); err != nil {
		return 0, nil, err
	}
	if err := w.Close(); err != nil {
		return 0, nil, err
	}
	if buf.Len() > len(text)*9/10 {
		return revFormatRaw, []byte(text), nil
	}
	return revFormatFlate, buf.Bytes(), nil
}

// unpackText decodes a revision body into a fresh string (so it outlives the
// transaction). size is the recorded length, used to allocate once.
func (db *DB) unpackText(format byte, body []byte, size int) (string, error) {
	switch format {
	case revFormatRaw:
		return string(body), nil
	case revFormatFlate:
	default:
		return "", fmt.Errorf("revision format %d: %w", format, errBadRecord)
	}
	src := bytes.NewReader(body)
	r, _ := db.readers.Get().(io.ReadCloser)
	if r == nil {
		r = flate.NewReader(src)
	} else if err := r.(flate.Resetter).Reset(src, nil); err != nil {
		return "", err
	}
	defer db.readers.Put(r)
	var out bytes.Buffer
	if size >= 0 && size <= 1<<30 {
		out.Grow(size + bytes.MinRead) // ReadFrom wants room to detect EOF
	}
	if _, err := out.ReadFrom(r); err != nil {
		return "", fmt.Errorf("decompressing revision: %w", err)
	}
	return out.String(), nil
}
