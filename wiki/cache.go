package wiki

import (
	"bytes"
	"compress/flate"
	"io"
	"runtime"
	"strings"

	"github.com/kdecole-club/clubwiki/wiki/lru"
)

// renderCache keeps rendered revisions so that reading a page does not
// render it again. Entries are keyed by path and revision (revisions never
// change) and tagged with the store's LogState.Links they were rendered at:
// links to missing pages look different once the set of pages changes.
//
// A view too large to keep as it is (over an eighth of the budget, which
// the budget refuses: one entry must not flush all the others) is kept
// with its Markdown and HTML compressed, when that fits: a long page,
// otherwise rendered again at every read, is then inflated instead: 2 ms
// rather than 57 ms for 600 KB of prose (BenchmarkService_PageLarge).
type renderCache struct {
	c     *lru.Cache[cacheKey, cached]
	limit int // the largest entry the budget keeps
	// inflating bounds the packed entries inflated at once: each read of
	// one holds its whole Markdown and HTML (up to about 10 MB), as a
	// rendering did under the render gate.
	inflating chan struct{}
}

type cacheKey struct {
	path string
	rev  int
	// hidden is hiddenFrom of the readers the rendering is for: links
	// into a namespace they may not read look missing in it.
	hidden string
}

type cached struct {
	gen  uint64
	view *PageView
	// packed holds the view's Markdown then its HTML, compressed, when
	// the view was too large to keep as it is: view then has neither, and
	// mdLen and htmlLen give their lengths.
	packed         []byte
	mdLen, htmlLen int
}

// entryOverhead is what an entry costs besides its texts and its shell
// (shellWeight).
const entryOverhead = 256

func newRenderCache(budget *lru.Budget) *renderCache {
	return &renderCache{
		c: lru.NewIn[cacheKey, cached](budget, func(c cached) int {
			return len(c.view.Markdown) + len(c.view.HTML) + len(c.packed) + shellWeight(c.view)
		}),
		limit:     budget.Limit() / 8,
		inflating: make(chan struct{}, runtime.GOMAXPROCS(0)),
	}
}

// shellWeight estimates the bytes a view holds besides its Markdown and
// HTML: its headings, front matter and view blocks (a page of thousands
// of headings holds as much in them as in its text), and entryOverhead.
func shellWeight(v *PageView) int {
	n := entryOverhead + len(v.Title) + len(v.ETag) + len(v.Summary) + len(v.Author)
	for _, h := range v.Headings {
		n += 48 + len(h.Text) + len(h.ID)
	}
	n += metaWeight(v.Meta)
	for _, b := range v.Views {
		n += 32 + len(b.Info) + len(b.Query)
	}
	return n
}

// metaWeight estimates the bytes of a decoded front matter.
func metaWeight(v any) int {
	switch t := v.(type) {
	case map[string]any:
		n := 48
		for k, x := range t {
			n += 32 + len(k) + metaWeight(x)
		}
		return n
	case []any:
		n := 24
		for _, x := range t {
			n += 16 + metaWeight(x)
		}
		return n
	case string:
		return len(t)
	}
	return 16
}

// get returns the view rendered in generation gen, or nil. Callers must not
// modify it, nor its Meta and Headings: it is shared (see PageView).
func (c *renderCache) get(p Path, rev int, gen uint64, hidden string) *PageView {
	e, ok := c.c.Get(cacheKey{p.String(), rev, hidden})
	if !ok || e.gen != gen {
		return nil
	}
	if e.packed == nil {
		return e.view
	}
	c.inflating <- struct{}{}
	texts, err := unpack(e.packed, e.mdLen+e.htmlLen)
	<-c.inflating
	if err != nil {
		return nil // cannot happen: it was packed here
	}
	v := *e.view
	v.Markdown, v.HTML = texts[:e.mdLen], texts[e.mdLen:]
	return &v
}

func (c *renderCache) put(p Path, rev int, gen uint64, hidden string, v *PageView) {
	e := cached{gen: gen, view: v}
	shell := shellWeight(v)
	if len(v.Markdown)+len(v.HTML)+shell > c.limit {
		if packed, ok := pack(v.Markdown, v.HTML, c.limit-shell); ok {
			rest := *v
			rest.Markdown, rest.HTML = "", ""
			e = cached{gen: gen, view: &rest, packed: packed, mdLen: len(v.Markdown), htmlLen: len(v.HTML)}
		}
		// Else too large even packed: Put refuses it, and drops what the
		// key held.
	}
	c.c.Put(cacheKey{p.String(), rev, hidden}, e)
}

// pack compresses md then html, fast, and reports whether the result
// holds in max bytes.
func pack(md, html string, max int) ([]byte, bool) {
	if max <= 0 {
		return nil, false
	}
	var b bytes.Buffer
	w, err := flate.NewWriter(&b, flate.BestSpeed)
	if err != nil {
		return nil, false
	}
	for _, s := range []string{md, html} {
		if _, err := io.WriteString(w, s); err != nil {
			return nil, false
		}
		if b.Len() > max {
			return nil, false // incompressible: stop early
		}
	}
	if err := w.Close(); err != nil || b.Len() > max {
		return nil, false
	}
	return bytes.Clone(b.Bytes()), true
}

// unpack inflates what pack made, n bytes in all, into one string.
func unpack(packed []byte, n int) (string, error) {
	var out strings.Builder
	out.Grow(n)
	r := flate.NewReader(bytes.NewReader(packed))
	defer r.Close()
	if _, err := io.CopyN(&out, r, int64(n)); err != nil {
		return "", err
	}
	return out.String(), nil
}
