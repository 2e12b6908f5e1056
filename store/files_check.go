package store

import (
	"bytes"
	"context"
	"crypto/sha256"
)

// files checks every revision of every attachment: its blob holds the
// recorded number of bytes in whole chunks, with the recorded SHA-256;
// each head is its attachment's last revision.
func (ck *checker) files(ctx context.Context) error {
	revs := ck.tx.Bucket(bucketFileRevs)
	if revs == nil {
		return nil
	}
	last := map[string]fileRecord{}
	c := revs.Cursor()
	n := 0
	for k, v := c.First(); k != nil; k, v = c.Next() {
		if n++; n%64 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		var r fileRecord
		if len(k) < 6 || decodeJSON(v, &r) != nil {
			ck.rep.addf("attachment revision %q: unreadable record", k)
			continue
		}
		name := string(k[:len(k)-5])
		last[name] = r
		if !r.Deleted {
			ck.blob(name, r)
		}
	}
	heads := ck.tx.Bucket(bucketFiles).Cursor()
	for k, v := heads.First(); k != nil; k, v = heads.Next() {
		want, ok := last[string(k)]
		if !ok || !bytes.Equal(v, encodeJSON(want)) {
			ck.rep.addf("attachment %s: its head is not its last revision", fileLabel(k))
		}
	}
	return nil
}

// blob checks the content of one attachment revision.
func (ck *checker) blob(key string, r fileRecord) {
	b := ck.tx.Bucket(bucketFileBlobs)
	h := sha256.New()
	var size int64
	for i := range blobChunks(r.Size) {
		v := b.Get(chunkKey(r.Blob, i))
		if v == nil {
			ck.rep.addf("attachment %s revision %d: chunk %d of its content is missing", fileLabel([]byte(key)), r.Rev, i)
			return
		}
		h.Write(v)
		size += int64(len(v))
	}
	if size != r.Size {
		ck.rep.addf("attachment %s revision %d: %d bytes stored, %d recorded", fileLabel([]byte(key)), r.Rev, size, r.Size)
	} else if !bytes.Equal(h.Sum(nil), r.SHA256) {
		ck.rep.addf("attachment %s revision %d: its content does not match its SHA-256 (damaged)", fileLabel([]byte(key)), r.Rev)
	}
}

// fileLabel shows page 0x00 name as page/name.
func fileLabel(k []byte) string {
	page, name, _ := bytes.Cut(k, []byte{0})
	return string(page) + "/" + string(name)
}
