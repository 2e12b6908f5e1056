package store

import (
	"bytes"
	"context"
	"io"

	"github.com/kdecole-club/clubwiki/wiki"
	bolt "go.etcd.io/bbolt"
)

// DeleteFile implements wiki.FileStore.
func (db *DB) DeleteFile(ctx context.Context, page wiki.Path, name, author string) (wiki.File, error) {
	var f wiki.File
	err := db.update(ctx, func(tx *bolt.Tx) error {
		head, err := fileHead(tx, page, name)
		if err != nil {
			return err
		}
		if head.Deleted {
			return wiki.Errorf(wiki.ENotFound, "no such attachment")
		}
		f, err = db.putFileRev(tx, page, name, fileRecord{Author: author, Deleted: true}, true)
		return err
	})
	return f, err
}

// deleteFilesTx deletes every live attachment of a page being deleted, in
// the page's transaction; the page's own change says it.
func (db *DB) deleteFilesTx(tx *bolt.Tx, page wiki.Path, author string) error {
	var names []string
	err := eachFile(tx, page, func(name string, r fileRecord) error {
		if !r.Deleted {
			names = append(names, name)
		}
		return nil
	})
	for _, name := range names {
		if err == nil {
			_, err = db.putFileRev(tx, page, name, fileRecord{Author: author, Deleted: true}, false)
		}
	}
	return err
}

// eachFile calls fn with the head of every attachment of page, by name.
func eachFile(tx *bolt.Tx, page wiki.Path, fn func(name string, r fileRecord) error) error {
	prefix := pairKey(page.String(), "")
	c := tx.Bucket(bucketFiles).Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		var r fileRecord
		if err := decodeJSON(v, &r); err != nil {
			return damagef("the attachment record %q is damaged: %v", k, err)
		}
		if err := fn(string(k[len(prefix):]), r); err != nil {
			return err
		}
	}
	return nil
}

func fileHead(tx *bolt.Tx, page wiki.Path, name string) (fileRecord, error) {
	v := tx.Bucket(bucketFiles).Get(pairKey(page.String(), name))
	if v == nil {
		return fileRecord{}, wiki.Errorf(wiki.ENotFound, "no such attachment")
	}
	var r fileRecord
	if err := decodeJSON(v, &r); err != nil {
		return fileRecord{}, damagef("the attachment record %s/%s is damaged: %v", page, name, err)
	}
	return r, nil
}

// Files implements wiki.FileStore.
func (db *DB) Files(ctx context.Context, page wiki.Path) ([]wiki.File, error) {
	out := []wiki.File{}
	err := db.view(ctx, func(tx *bolt.Tx) error {
		return eachFile(tx, page, func(name string, r fileRecord) error {
			if !r.Deleted {
				out = append(out, r.file(page, name))
			}
			return nil
		})
	})
	return out, err
}

// FileHistory implements wiki.FileStore.
func (db *DB) FileHistory(ctx context.Context, page wiki.Path, name string) ([]wiki.File, error) {
	var out []wiki.File
	err := db.view(ctx, func(tx *bolt.Tx) error {
		prefix := append(pairKey(page.String(), name), 0)
		c := tx.Bucket(bucketFileRevs).Cursor()
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			var r fileRecord
			if len(k) != len(prefix)+4 || decodeJSON(v, &r) != nil {
				return damagef("the attachment revision %q is damaged", k)
			}
			out = append(out, r.file(page, name))
		}
		return nil
	})
	if err == nil && len(out) == 0 {
		return nil, wiki.Errorf(wiki.ENotFound, "no such attachment")
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out, err
}

// OpenFile implements wiki.FileStore.
func (db *DB) OpenFile(ctx context.Context, page wiki.Path, name string, rev int) (wiki.File, io.ReadCloser, error) {
	var r fileRecord
	err := db.view(ctx, func(tx *bolt.Tx) error {
		var err error
		if rev <= 0 {
			r, err = fileHead(tx, page, name)
			return err
		}
		v := tx.Bucket(bucketFileRevs).Get(fileRevKey(page, name, rev))
		if v == nil {
			return wiki.Errorf(wiki.ENotFound, "no such attachment")
		}
		if err := decodeJSON(v, &r); err != nil {
			return damagef("the attachment revision %s/%s %d is damaged: %v", page, name, rev, err)
		}
		return nil
	})
	if err == nil && r.Deleted {
		err = wiki.Errorf(wiki.ENotFound, "no such attachment")
	}
	if err != nil {
		return wiki.File{}, nil, err
	}
	return r.file(page, name), &blobReader{ctx: ctx, db: db, blob: r.Blob, left: r.Size}, nil
}

// blobReader reads a blob a chunk at a time, each in a read transaction of
// its own: a long download holds no transaction open (which would keep the
// file from reusing its free pages).
type blobReader struct {
	ctx   context.Context
	db    *DB
	blob  uint64
	next  uint32
	buf   []byte
	left  int64 // bytes of the blob not yet read into buf
	chunk []byte
}

func (br *blobReader) Read(p []byte) (int, error) {
	if len(br.buf) == 0 {
		if br.left <= 0 {
			return 0, io.EOF
		}
		if err := br.fill(); err != nil {
			return 0, err
		}
	}
	n := copy(p, br.buf)
	br.buf = br.buf[n:]
	return n, nil
}

func (br *blobReader) fill() error {
	if br.chunk == nil {
		br.chunk = make([]byte, 0, fileChunk)
	}
	err := br.db.view(br.ctx, func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketFileBlobs).Get(chunkKey(br.blob, br.next))
		if len(v) == 0 || int64(len(v)) > br.left {
			return damagef("chunk %d of attachment blob %d is missing or too long", br.next, br.blob)
		}
		br.chunk = append(br.chunk[:0], v...)
		return nil
	})
	if err != nil {
		return err
	}
	br.next++
	br.left -= int64(len(br.chunk))
	br.buf = br.chunk
	return nil
}

func (br *blobReader) Close() error { br.left, br.buf = 0, nil; return nil }

// blobChunks returns how many chunks a blob of size bytes has.
func blobChunks(size int64) uint32 { return uint32((size + fileChunk - 1) / fileChunk) }
