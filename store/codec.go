package store

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/kdecole-club/clubwiki/wiki"
)

// Every record starts with a format byte so that a later clubwiki can add a
// format (as format 3, a delta against the next revision, was added) and
// still read the old ones. Metadata is JSON with one-letter names: about
// 1 µs to encode or decode, negligible next to an fsync, and readable with
// `bbolt get`.
const (
	headFormat1 = 1 // flags byte, then JSON headRecord
	jsonFormat1 = 1 // JSON record (changes, users, tokens, namespaces)

	revFormatRaw   = 1 // uvarint meta length, JSON revRecord, raw Markdown
	revFormatFlate = 2 // same, Markdown compressed with DEFLATE
	revFormatDelta = 3 // same metadata, then uvarint base distance and a delta (chain.go)
	revFormatText  = 4 // same metadata, no body: the text is in the texts bucket (texts.go)

	headDeleted = 1 << 0 // in the flags byte: the head is a deletion
)

var errBadRecord = errors.New("malformed record")

// headRecord is a page head without its path, which is the key.
type headRecord struct {
	Title  string `json:"t,omitempty"`
	Rev    int    `json:"r"`
	Time   int64  `json:"u"` // Unix nanoseconds, UTC
	Author string `json:"a"`
	Size   int    `json:"z"`
}

// encodeHead puts the deleted flag in a byte of its own so that counting and
// skipping deleted pages (Pages with an offset, Check) needs no JSON decoding.
func encodeHead(h wiki.Head) []byte {
	flags := byte(0)
	if h.Deleted {
		flags |= headDeleted
	}
	js, _ := json.Marshal(headRecord{Title: h.Title, Rev: h.Rev, Time: h.Updated.UnixNano(), Author: h.Author, Size: h.Size})
	return append([]byte{headFormat1, flags}, js...)
}

func headLive(v []byte) bool { return len(v) >= 2 && v[1]&headDeleted == 0 }

// decodeHead decodes the head stored under key.
func decodeHead(key, v []byte) (wiki.Head, error) {
	p, err := decodePath(key)
	if err != nil {
		return wiki.Head{}, err
	}
	return decodeHeadOf(p, v)
}

// decodeHeadOf decodes the head of a path the caller already holds, sparing
// the canonicalisation of the key (half the cost of Head).
func decodeHeadOf(p wiki.Path, v []byte) (wiki.Head, error) {
	if len(v) < 2 || v[0] != headFormat1 {
		return wiki.Head{}, fmt.Errorf("head of %s: %w", p, errBadRecord)
	}
	var r headRecord
	if err := json.Unmarshal(v[2:], &r); err != nil {
		return wiki.Head{}, fmt.Errorf("head of %s: %w", p, err)
	}
	return wiki.Head{
		Path: p, Title: r.Title, Rev: r.Rev, Updated: fromNanos(r.Time),
		Author: r.Author, Deleted: v[1]&headDeleted != 0, Size: r.Size,
	}, nil
}

// revRecord is a revision's metadata; the number is in the key.
type revRecord struct {
	Kind    wiki.ChangeKind `json:"k"`
	Author  string          `json:"a"`
	Time    int64           `json:"t"`
	Summary string          `json:"s,omitempty"`
	Minor   bool            `json:"m,omitempty"`
	Size    int             `json:"z"`
	SHA256  []byte          `json:"h"`
	Deleted bool            `json:"d,omitempty"`
	Title   string          `json:"ti,omitempty"`
}

func (r revRecord) revision(rev int) wiki.Revision {
	out := wiki.Revision{
		Rev: rev, Kind: r.Kind, Author: r.Author, Time: fromNanos(r.Time), Summary: r.Summary,
		Minor: r.Minor, Size: r.Size, Deleted: r.Deleted, Title: r.Title,
	}
	copy(out.SHA256[:], r.SHA256)
	return out
}

// encodeRevision lays out format, metadata, then text: History decodes the
// metadata without touching the text.
func encodeRevision(format byte, meta revRecord, body []byte) []byte {
	js, _ := json.Marshal(meta)
	out := make([]byte, 0, 1+binary.MaxVarintLen32+len(js)+len(body))
	out = append(out, format)
	out = binary.AppendUvarint(out, uint64(len(js)))
	out = append(out, js...)
	return append(out, body...)
}

// splitRevision returns the format, the decoded metadata and the (possibly
// compressed) body, which aliases v.
func splitRevision(v []byte) (byte, revRecord, []byte, error) {
	var meta revRecord
	if len(v) < 2 || v[0] < revFormatRaw || v[0] > revFormatText {
		return 0, meta, nil, errBadRecord
	}
	n, w := binary.Uvarint(v[1:])
	if w <= 0 || n > uint64(len(v)-1-w) {
		return 0, meta, nil, errBadRecord
	}
	js := v[1+w : 1+w+int(n)]
	if err := json.Unmarshal(js, &meta); err != nil {
		return 0, meta, nil, err
	}
	return v[0], meta, v[1+w+int(n):], nil
}

// rebody returns record v with a new format and body, keeping its metadata
// bytes as they are: turning a revision into a delta must not change what
// History shows. oldBody is the body splitRevision returned for v.
func rebody(v []byte, oldBody []byte, format byte, body []byte) []byte {
	meta := v[1 : len(v)-len(oldBody)]
	out := make([]byte, 0, 1+len(meta)+len(body))
	out = append(out, format)
	out = append(out, meta...)
	return append(out, body...)
}

// changeRecord is a change-log entry; Seq is the key.
type changeRecord struct {
	Path    string          `json:"p"`
	Rev     int             `json:"r"`
	Kind    wiki.ChangeKind `json:"k"`
	Author  string          `json:"a"`
	Time    int64           `json:"t"`
	Summary string          `json:"s,omitempty"`
	Title   string          `json:"ti,omitempty"` // absent in entries written before it was kept
	Minor   bool            `json:"m,omitempty"`
	// Subject is what a change to another noun than a page is about;
	// such entries have no path.
	Subject string `json:"su,omitempty"`
	// From is a moved page's former path (kind move).
	From string `json:"fr,omitempty"`
}

func decodeChange(k, v []byte) (wiki.Change, error) {
	var r changeRecord
	if len(k) != 8 || len(v) < 1 || v[0] != jsonFormat1 {
		return wiki.Change{}, errBadRecord
	}
	if err := json.Unmarshal(v[1:], &r); err != nil {
		return wiki.Change{}, err
	}
	var p wiki.Path
	if r.Kind.IsPage() || r.Path != "" {
		var err error
		if p, err = decodePath([]byte(r.Path)); err != nil {
			return wiki.Change{}, err
		}
	}
	var from wiki.Path
	if r.From != "" {
		var err error
		if from, err = decodePath([]byte(r.From)); err != nil {
			return wiki.Change{}, err
		}
	}
	return wiki.Change{
		Seq: binary.BigEndian.Uint64(k), Path: p, Rev: r.Rev, Kind: r.Kind,
		Author: r.Author, Time: fromNanos(r.Time), Summary: r.Summary,
		Title: r.Title, Minor: r.Minor, Subject: r.Subject, From: from,
	}, nil
}

func encodeChange(c wiki.Change) []byte {
	js, _ := json.Marshal(changeRecord{
		Path: c.Path.String(), Rev: c.Rev, Kind: c.Kind, Author: c.Author,
		Time: c.Time.UnixNano(), Summary: c.Summary, Title: c.Title, Minor: c.Minor,
		Subject: c.Subject, From: c.From.String(),
	})
	return append([]byte{jsonFormat1}, js...)
}

// encodeJSON and decodeJSON frame the small records (users, tokens,
// namespaces) with the same format byte.
func encodeJSON(v any) []byte {
	js, _ := json.Marshal(v)
	return append([]byte{jsonFormat1}, js...)
}

func decodeJSON(b []byte, v any) error {
	if len(b) < 1 || b[0] != jsonFormat1 {
		return errBadRecord
	}
	return json.Unmarshal(b[1:], v)
}

// decodePath rebuilds a Path from a stored key. Stored paths are canonical,
// so one that changes when parsed again means the file is damaged.
func decodePath(b []byte) (wiki.Path, error) {
	p, err := wiki.ParsePath(string(b))
	if err != nil {
		return wiki.Path{}, fmt.Errorf("stored path %q: %w", b, err)
	}
	if p.String() != string(b) {
		return wiki.Path{}, fmt.Errorf("stored path %q is not canonical: %w", b, errBadRecord)
	}
	return p, nil
}

// revKey is path 0x00 big-endian rev; big-endian so that a page's revisions
// sort by number.
func revKey(p wiki.Path, rev int) []byte {
	k := make([]byte, 0, len(p.String())+5)
	k = append(k, p.String()...)
	k = append(k, 0)
	return binary.BigEndian.AppendUint32(k, uint32(rev))
}

// pairKey joins two parts with 0x00, for backlinks and the token index.
func pairKey(a, b string) []byte {
	k := make([]byte, 0, len(a)+1+len(b))
	k = append(k, a...)
	k = append(k, 0)
	return append(k, b...)
}

func seqKey(seq uint64) []byte { return binary.BigEndian.AppendUint64(nil, seq) }

func fromNanos(n int64) time.Time { return time.Unix(0, n).UTC() }
