package search

import (
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
)

// verifySegments checks the checksum of every segment file the index
// reads. Bleve opens a segment without checking it, and a damaged one
// fails only the searches that reach the damage ("failed to read the
// chunk", EOF, "index read inconsistency"), for ever. Every zap segment
// ends with the CRC-32 (IEEE) of all its bytes before it.
func verifySegments(b bleve.Index) error {
	return withSegments(b, func(paths []string) error {
		for _, p := range paths {
			if err := verifySegmentFile(p); err != nil {
				return err
			}
		}
		return nil
	})
}

// withSegments calls f with the files of the segments of b's current
// snapshot, which it holds meanwhile: a merge cannot delete or unmap them
// while f runs. Segments still in memory have no file.
func withSegments(b bleve.Index, f func(paths []string) error) error {
	adv, err := b.Advanced()
	if err != nil {
		return err
	}
	s, ok := adv.(*scorch.Scorch)
	if !ok {
		return nil // not a scorch index: nothing to check this way
	}
	r, err := s.Reader()
	if err != nil {
		return err
	}
	defer r.Close()
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		return nil
	}
	var paths []string
	for _, ss := range snap.Segments() {
		if seg, ok := ss.Segment().(interface{ Path() string }); ok {
			paths = append(paths, seg.Path())
		}
	}
	return f(paths)
}

// verifySegmentFiles checks every segment file in the index folder dir,
// before bleve opens it. A folder without segments passes.
func verifySegmentFiles(dir string) error {
	files, err := filepath.Glob(filepath.Join(dir, "store", "*.zap"))
	if err != nil {
		return err
	}
	for _, f := range files {
		if err := verifySegmentFile(f); err != nil {
			return err
		}
	}
	return nil
}

// verifySegmentFile checks one segment file's trailing checksum, reading
// the file in a stream: a segment may be larger than the memory to spare.
func verifySegmentFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	if fi.Size() < 4 {
		return fmt.Errorf("search segment %s is truncated (%d bytes)", path, fi.Size())
	}
	h := crc32.NewIEEE()
	if _, err := io.Copy(h, io.LimitReader(f, fi.Size()-4)); err != nil {
		return fmt.Errorf("reading search segment %s: %w", path, err)
	}
	var sum [4]byte
	if _, err := io.ReadFull(f, sum[:]); err != nil {
		return fmt.Errorf("reading search segment %s: %w", path, err)
	}
	if got, want := h.Sum32(), binary.BigEndian.Uint32(sum[:]); got != want {
		return fmt.Errorf("search segment %s is damaged (checksum %08x, recorded %08x)", path, got, want)
	}
	return nil
}
