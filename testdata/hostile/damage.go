package hostile

import (
	"bytes"
	"encoding/binary"
	"os"
)

// Damaged files: each function below damages a store or index file the
// way a failed restore, a full disk, a careless copy or a bad sector does.
// The byte-level ones (func([]byte) []byte) change and return their
// argument; Damage applies one to a file in place.

// Damage rewrites the file at path with fn applied to its bytes, keeping
// nothing else of it.
func Damage(path string, fn func([]byte) []byte) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	return os.WriteFile(path, fn(b), 0o600)
}

// Emptied empties a file, as a restore that failed before writing does.
func Emptied([]byte) []byte { return nil }

// Halved truncates a file to half its size, as a full disk does.
func Halved(b []byte) []byte { return b[:len(b)/2] }

// Flip inverts the n bytes of b from off, clamped to b.
func Flip(b []byte, off, n int) {
	for i := max(off, 0); i < off+n && i < len(b); i++ {
		b[i] ^= 0xFF
	}
}

// Flipped inverts n bytes at each of the given offsets.
func Flipped(n int, offsets ...int) func([]byte) []byte {
	return func(b []byte) []byte {
		for _, off := range offsets {
			Flip(b, off, n)
		}
		return b
	}
}

// FlipText inverts, in every copy of text found in b (bbolt leaves old
// copies in freed pages; the live one is among them), n bytes from skip
// bytes into the copy, never past its end. A text short enough to be
// stored raw then changes without breaking any decoding.
func FlipText(text string, skip, n int) func([]byte) []byte {
	return func(b []byte) []byte {
		needle := []byte(text)
		for i := 0; ; {
			j := bytes.Index(b[i:], needle)
			if j < 0 {
				return b
			}
			i += j
			Flip(b, i+skip, min(n, len(needle)-skip))
			i += len(needle)
		}
	}
}

// BoltPageSize reads the page size of a bbolt file from its first meta
// page.
func BoltPageSize(b []byte) int { return int(binary.LittleEndian.Uint32(b[24:28])) }

// BoltMeta breaks the checksum of bbolt's meta page i (0 or 1) by changing
// its transaction id.
func BoltMeta(i int) func([]byte) []byte {
	return func(b []byte) []byte {
		Flip(b, i*BoltPageSize(b)+16+48, 2)
		return b
	}
}
