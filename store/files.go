package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"hash"
	"io"
	"sync"

	"github.com/kdecole-club/clubwiki/wiki"
	bolt "go.etcd.io/bbolt"
)

// Attachments. A file's content is a blob: chunks of at most fileChunk
// bytes under a blob id, written fileChunksPerTx at a time in transactions
// of their own while the upload streams in, then named by a revision
// record in a last transaction. Memory holds one batch of chunks, never
// the file. A blob whose upload did not end (an error, a crash) is listed
// as pending until it is dropped.
var (
	bucketFiles       = []byte("files")       // page 0x00 name → fileRecord of the head revision
	bucketFileRevs    = []byte("filerevs")    // page 0x00 name 0x00 BE uint32 rev → fileRecord
	bucketFileBlobs   = []byte("fileblobs")   // BE uint64 blob id, BE uint32 chunk index → bytes
	bucketFilePending = []byte("filepending") // BE uint64 blob id → empty, while its upload runs
)

const (
	fileChunk       = 256 << 10
	fileChunksPerTx = 4
)

// fileRecord is what the store keeps of one revision of an attachment.
type fileRecord struct {
	Rev     int    `json:"r"`
	Size    int64  `json:"s"`
	Type    string `json:"t,omitempty"`
	SHA256  []byte `json:"h,omitempty"`
	Time    int64  `json:"u"`
	Author  string `json:"a,omitempty"`
	Deleted bool   `json:"d,omitempty"`
	Blob    uint64 `json:"b,omitempty"`
}

func createFiles(tx *bolt.Tx) error {
	for _, name := range [][]byte{bucketFiles, bucketFileRevs, bucketFileBlobs, bucketFilePending} {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return err
		}
	}
	return nil
}

func fileRevKey(page wiki.Path, name string, rev int) []byte {
	return binary.BigEndian.AppendUint32(append(pairKey(page.String(), name), 0), uint32(rev))
}

func chunkKey(blob uint64, i uint32) []byte {
	return binary.BigEndian.AppendUint32(binary.BigEndian.AppendUint64(nil, blob), i)
}

func (r fileRecord) file(page wiki.Path, name string) wiki.File {
	f := wiki.File{Page: page, Name: name, Rev: r.Rev, Size: r.Size, Type: r.Type, Updated: fromNanos(r.Time), Author: r.Author, Deleted: r.Deleted}
	copy(f.SHA256[:], r.SHA256)
	return f
}

// chunkBuffers keeps the buffers of one batch of chunks between uploads.
var chunkBuffers = sync.Pool{New: func() any {
	b := make([][]byte, fileChunksPerTx)
	for i := range b {
		b[i] = make([]byte, fileChunk)
	}
	return &b
}}

// PutFile implements wiki.FileStore.
func (db *DB) PutFile(ctx context.Context, up wiki.FileUpload, body io.Reader) (wiki.File, error) {
	if up.Page.IsZero() || up.Max <= 0 {
		return wiki.File{}, wiki.Errorf(wiki.EInvalid, "an attachment needs a page and a limit")
	}
	if err := wiki.ValidFileName(up.Name); err != nil {
		return wiki.File{}, err
	}
	var blob uint64
	err := db.update(ctx, func(tx *bolt.Tx) (err error) {
		blob, err = tx.Bucket(bucketFileBlobs).NextSequence()
		if err == nil {
			err = tx.Bucket(bucketFilePending).Put(binary.BigEndian.AppendUint64(nil, blob), []byte{})
		}
		return err
	})
	if err != nil {
		return wiki.File{}, err
	}
	size, sum, err := db.writeBlob(ctx, blob, body, up.Max)
	var f wiki.File
	if err == nil {
		f, err = db.commitFile(ctx, up, fileRecord{Size: size, Type: up.Type, SHA256: sum, Author: up.Author, Blob: blob})
	}
	if err != nil {
		// The request's context may be over: the blob goes anyway.
		_ = db.dropBlob(context.WithoutCancel(ctx), blob)
		return wiki.File{}, err
	}
	return f, nil
}

// writeBlob streams body into the chunks of blob, a batch per transaction,
// and returns its size and SHA-256; ETooLarge past max bytes.
func (db *DB) writeBlob(ctx context.Context, blob uint64, body io.Reader, max int64) (int64, []byte, error) {
	pooled := chunkBuffers.Get().(*[][]byte)
	defer chunkBuffers.Put(pooled)
	bufs := *pooled
	h := sha256.New()
	var size int64
	var index uint32
	for done := false; !done; {
		batch, n, end, err := fillBatch(bufs, body, h)
		if err != nil {
			return 0, nil, err
		}
		if size += n; size > max {
			return 0, nil, wiki.TooLargeFile(max)
		}
		done = end
		if len(batch) == 0 {
			break
		}
		err = db.update(ctx, func(tx *bolt.Tx) error {
			b := tx.Bucket(bucketFileBlobs)
			b.FillPercent = 1 // keys only grow
			for i, c := range batch {
				if err := b.Put(chunkKey(blob, index+uint32(i)), c); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return 0, nil, err
		}
		index += uint32(len(batch))
	}
	return size, h.Sum(nil), nil
}

// fillBatch reads up to one batch of chunks from body into bufs, hashing
// them; end says body is exhausted.
func fillBatch(bufs [][]byte, body io.Reader, h hash.Hash) (batch [][]byte, n int64, end bool, err error) {
	for _, buf := range bufs {
		m, err := io.ReadFull(body, buf)
		if m > 0 {
			batch = append(batch, buf[:m])
			h.Write(buf[:m])
			n += int64(m)
		}
		switch {
		case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
			return batch, n, true, nil
		case err != nil:
			return nil, 0, false, err
		}
	}
	return batch, n, false, nil
}

// commitFile names a written blob with a new revision of the attachment.
func (db *DB) commitFile(ctx context.Context, up wiki.FileUpload, r fileRecord) (wiki.File, error) {
	var f wiki.File
	err := db.update(ctx, func(tx *bolt.Tx) error {
		var err error
		f, err = db.putFileRev(tx, up.Page, up.Name, r, true)
		if err == nil {
			err = tx.Bucket(bucketFilePending).Delete(binary.BigEndian.AppendUint64(nil, r.Blob))
		}
		return err
	})
	return f, err
}

// putFileRev writes r as the next revision of an attachment and its head,
// with a change-log entry when logged.
func (db *DB) putFileRev(tx *bolt.Tx, page wiki.Path, name string, r fileRecord, logged bool) (wiki.File, error) {
	k := pairKey(page.String(), name)
	if v := tx.Bucket(bucketFiles).Get(k); v != nil {
		var head fileRecord
		if err := decodeJSON(v, &head); err != nil {
			return wiki.File{}, damagef("the attachment record %s/%s is damaged: %v", page, name, err)
		}
		r.Rev = head.Rev + 1
	} else {
		r.Rev = 1
	}
	r.Time = db.now().UnixNano()
	enc := encodeJSON(r)
	if err := tx.Bucket(bucketFileRevs).Put(fileRevKey(page, name, r.Rev), enc); err != nil {
		return wiki.File{}, err
	}
	if err := tx.Bucket(bucketFiles).Put(k, enc); err != nil {
		return wiki.File{}, err
	}
	if logged {
		ch := wiki.Change{Path: page, Kind: wiki.KindFile, Author: r.Author, Subject: name, Time: fromNanos(r.Time)}
		if _, err := db.appendChange(tx, ch); err != nil {
			return wiki.File{}, err
		}
	}
	return r.file(page, name), nil
}

// dropBlob removes the chunks of a blob whose upload failed.
func (db *DB) dropBlob(ctx context.Context, blob uint64) error {
	return db.update(ctx, func(tx *bolt.Tx) error { return dropBlobTx(tx, blob) })
}

func dropBlobTx(tx *bolt.Tx, blob uint64) error {
	id := binary.BigEndian.AppendUint64(nil, blob)
	b := tx.Bucket(bucketFileBlobs)
	c := b.Cursor()
	for k, _ := c.Seek(id); k != nil && bytes.HasPrefix(k, id); k, _ = c.Seek(id) {
		if err := b.Delete(k); err != nil {
			return err
		}
	}
	return tx.Bucket(bucketFilePending).Delete(id)
}

// dropPendingBlobs removes the blobs of uploads a crash interrupted; Open
// runs it, when no upload can be running.
func dropPendingBlobs(tx *bolt.Tx) error {
	p := tx.Bucket(bucketFilePending)
	var ids []uint64
	_ = p.ForEach(func(k, _ []byte) error {
		if len(k) == 8 {
			ids = append(ids, binary.BigEndian.Uint64(k))
		}
		return nil
	})
	for _, id := range ids {
		if err := dropBlobTx(tx, id); err != nil {
			return err
		}
	}
	return nil
}
