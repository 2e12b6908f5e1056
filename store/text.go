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
// This bounds the size of one full copy; growth with the size of the edits
// comes from turning the previous revision into a delta (delta.go, chain.go).
func (db *DB) packText(text string) (byte, []byte, error) {
	if len(text) < minCompress {
		return revFormatRaw, []byte(text), nil
	}
	packed, err := db.deflate(nil, []byte(text))
	if err != nil {
		return 0, nil, err
	}
	if len(packed) > len(text)*9/10 {
		return revFormatRaw, []byte(text), nil
	}
	return revFormatFlate, packed, nil
}

// deflate appends src compressed at DEFLATE's fastest level to dst, with a
// pooled compressor.
func (db *DB) deflate(dst, src []byte) ([]byte, error) {
	buf := bytes.NewBuffer(dst)
	buf.Grow(len(src) / 2)
	w, _ := db.writers.Get().(*flate.Writer)
	if w == nil {
		var err error
		if w, err = flate.NewWriter(buf, flate.BestSpeed); err != nil {
			return nil, err
		}
	} else {
		w.Reset(buf)
	}
	defer db.writers.Put(w)
	if _, err := w.Write(src); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// unpackText decodes a full revision body into a fresh string (so it
// outlives the transaction) of size bytes, the recorded length. Deltas are
// decoded by revText, which can reach their base.
func (db *DB) unpackText(format byte, body []byte, size int) (string, error) {
	if size < 0 || size > maxDeltaTarget {
		return "", fmt.Errorf("recorded length %d: %w", size, errBadRecord)
	}
	var text string
	switch format {
	case revFormatRaw:
		text = string(body)
	case revFormatFlate:
		out, err := db.inflate(body, size)
		if err != nil {
			return "", fmt.Errorf("decompressing revision: %w", err)
		}
		text = out.String()
	default:
		return "", fmt.Errorf("revision format %d is not a full text: %w", format, errBadRecord)
	}
	if len(text) != size {
		return "", fmt.Errorf("text is %d bytes, recorded %d: %w", len(text), size, errBadRecord)
	}
	return text, nil
}

// inflate decompresses body with a pooled decompressor into at most limit
// bytes: a damaged or forged body that would inflate further (a
// decompression bomb: DEFLATE expands up to about 1032 times) is refused
// as soon as it passes limit, having allocated about limit.
func (db *DB) inflate(body []byte, limit int) (*bytes.Buffer, error) {
	src := bytes.NewReader(body)
	r, _ := db.readers.Get().(io.ReadCloser)
	if r == nil {
		r = flate.NewReader(src)
	} else if err := r.(flate.Resetter).Reset(src, nil); err != nil {
		return nil, err
	}
	defer db.readers.Put(r)
	var out bytes.Buffer
	out.Grow(min(limit, 1032*len(body)+64) + bytes.MinRead) // ReadFrom wants room to detect EOF
	if _, err := out.ReadFrom(io.LimitReader(r, int64(limit)+1)); err != nil {
		return nil, err
	}
	if out.Len() > limit {
		return nil, fmt.Errorf("inflates past its recorded %d bytes: %w", limit, errBadRecord)
	}
	return &out, nil
}
