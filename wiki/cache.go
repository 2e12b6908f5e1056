package wiki

import (
	"bytes"
	"compress/flate"
	"io"
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

// entryOverhead is what an entry costs besides its texts.
const entryOverhead = 256

func newRenderCache(budget *lru.Budget) *renderCache {
	return &renderCache{
		c: lru.NewIn[cacheKey, cached](budget, func(c cached) int {
			return len(c.view.Markdown) + len(c.view.HTML) + len(c.packed) + entryOverhead
		}),
		limit: budget.Limit() / 8,
	}
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
	texts, err := unpack(e.packed, e.mdLen+e.htmlLen)
	if err != nil {
		return nil // cannot happen: it was packed here
	}
	v := *e.view
	v.Markdown, v.HTML = texts[:e.mdLen], texts[e.mdLen:]
	return &v
}

func (c *renderCache) put(p Path, rev int, gen uint64, hidden string, v *PageView) {
	e := cached{gen: gen, view: v}
	if len(v.Markdown)+len(v.HTML)+entryOverhead > c.limit {
		if packed, ok := pack(v.Markdown, v.HTML, c.limit-entryOverhead); ok {
			shell := *v
			shell.Markdown, shell.HTML = "", ""
			e = cached{gen: gen, view: &shell, packed: packed, mdLen: len(v.Markdown), htmlLen: len(v.HTML)}
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
