package store

import (
	"bytes"
	"compress/flate"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/kdecole-club/clubwiki/wiki"
	bolt "go.etcd.io/bbolt"
)

// bombs memoises bomb: compressing 64 MiB of zeros at the best
// compression costs a quarter of a CPU-second, and several tests use the
// same bomb. Callers must not modify the bytes returned.
var bombs sync.Map // int → []byte

// bomb returns n zero bytes compressed with DEFLATE: about a thousandth of
// n, the shape of a decompression bomb. Generated, never stored.
func bomb(tb testing.TB, n int) []byte {
	tb.Helper()
	if b, ok := bombs.Load(n); ok {
		return b.([]byte)
	}
	b := makeBomb(tb, n)
	bombs.Store(n, b)
	return b
}

func makeBomb(tb testing.TB, n int) []byte {
	tb.Helper()
	var b bytes.Buffer
	w, err := flate.NewWriter(&b, flate.BestCompression)
	if err != nil {
		tb.Fatal(err)
	}
	zeros := make([]byte, 1<<20)
	for range n >> 20 {
		_, _ = w.Write(zeros)
	}
	if err := w.Close(); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

// allocated returns the bytes the process allocates while fn runs: the
// tests that use it must not run in parallel with others.
func allocated(fn func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	fn()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// A compressed text or delta that inflates past what its record says is
// refused once it does, whatever it would reach: reading a damaged (or
// forged) record allocates about its recorded size, not the bomb's.
func TestDecode_Bombs(t *testing.T) {
	db := &DB{}
	const recorded = 20 << 10
	b := bomb(t, 64<<20)
	base := strings.Repeat("Le conseiller TICE publie le compte rendu.\n", 400)
	for _, tc := range []struct {
		name string
		fn   func() error
	}{
		{"text", func() error { _, err := db.unpackText(revFormatFlate, b, recorded); return err }},
		{"delta", func() error { _, err := db.applyDelta(base, append([]byte{deltaFlate}, b...), recorded); return err }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var err error
			n := allocated(func() { err = tc.fn() })
			if err == nil {
				t.Fatal("a 64 MiB bomb decoded without error")
			}
			if n > 4<<20 {
				t.Errorf("refusing a %d-byte bomb allocated %d bytes, want under 4 MiB", len(b), n)
			}
		})
	}
}

// FuzzDecodeRevision decodes arbitrary bytes as a revision record, with
// arbitrary bytes as its stored text: never a panic, and never more
// allocated than the recorded size allows (plus the decoders' own state).
func FuzzDecodeRevision(f *testing.F) {
	db := &DB{}
	base := strings.Repeat("Les familles consultent le cahier de textes.\n", 50)
	target := base[:300] + "Une ligne ajoutée.\n" + base[300:]
	d, err := db.makeDelta(base, target)
	if err != nil {
		f.Fatal(err)
	}
	meta := revRecord{Kind: "edit", Author: "a", Size: len(target), SHA256: make([]byte, 32)}
	_, packed, err := db.packText(target)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(encodeRevision(revFormatDelta, meta, append([]byte{1}, d...)), []byte(nil))
	f.Add(encodeRevision(revFormatText, meta, nil), append([]byte{revFormatFlate}, packed...))
	f.Add(encodeRevision(revFormatFlate, meta, packed), []byte(nil))
	f.Add(encodeRevision(revFormatRaw, meta, []byte(target)), []byte(nil))
	f.Add(encodeRevision(revFormatText, meta, nil), append([]byte{revFormatFlate}, bomb(f, 4<<20)...))
	f.Fuzz(func(t *testing.T, record, text []byte) {
		format, meta, body, err := splitRevision(record)
		if err != nil {
			return
		}
		var got string
		n := allocated(func() { got, err = decodeRevision(db, format, meta, body, text, base) })
		if err == nil && len(got) != meta.Size {
			t.Fatalf("decoded %d bytes, recorded %d", len(got), meta.Size)
		}
		if limit := uint64(1<<20 + 4*max(meta.Size, 0) + 4*len(record) + 4*len(text)); n > limit {
			t.Fatalf("decoding allocated %d bytes, want at most %d", n, limit)
		}
	})
}

// decodeRevision decodes a record as the store does, with text as the
// texts bucket's value and base as the text of the next revision.
func decodeRevision(db *DB, format byte, meta revRecord, body, text []byte, base string) (string, error) {
	if format == revFormatDelta {
		_, d, err := splitDelta(body)
		if err != nil {
			return "", err
		}
		return db.applyDelta(base, d, meta.Size)
	}
	if format == revFormatText {
		var err error
		if format, body, err = splitText(text); err != nil {
			return "", err
		}
	}
	return db.unpackText(format, body, meta.Size)
}

// A bomb in place of a page's stored text fails reading it, and the
// revisions rebuilt from it, as damage, and clubwiki check reports them,
// each read allocating about the recorded size.
func TestDB_Revision_Bomb(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "clubwiki.db")
	db, err := Open(path, Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	p := wiki.MustPath("usages/bombe")
	text := strings.Repeat("Le conseiller TICE publie le compte rendu de la réunion.\n", 300)
	for rev := range 3 {
		c := wiki.Commit{Path: p, ExpectRev: rev, Kind: wiki.KindEdit, Author: "a", Markdown: fmt.Sprintf("Révision %d\n%s", rev, text)}
		if _, err := db.Commit(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	err = db.bolt.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketTexts).Put(revKey(p, 3), append([]byte{revFormatFlate}, bomb(t, 64<<20)...))
	})
	if err != nil {
		t.Fatal(err)
	}
	for rev := 1; rev <= 3; rev++ {
		n := allocated(func() { _, _, err = db.Revision(ctx, p, rev) })
		if !errors.Is(err, ErrDamaged) {
			t.Errorf("revision %d: %v, want ErrDamaged", rev, err)
		}
		if n > 4<<20 {
			t.Errorf("revision %d: refusing the bomb allocated %d bytes, want under 4 MiB", rev, n)
		}
	}
	rep, err := db.Check(ctx)
	if err != nil || len(rep.Problems) != 3 {
		t.Errorf("Check = %q, %v; want the 3 revisions", rep.Problems, err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
}
