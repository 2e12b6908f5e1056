package wiki

import (
	"context"
	"strings"
	"time"

	"github.com/kdecole-club/clubwiki/wiki/lru"
)

// viewRow is one page a view lists.
type viewRow struct {
	Path    Path
	Title   string
	Updated time.Time
	Meta    map[string]any // shared, read-only
}

// viewResult is what a view found, as of the index's change seq.
type viewResult struct {
	seq   uint64
	rows  []viewRow // at most the view's Max, in its order
	total int       // every page the query finds for the reader
	// sortedAmong is how many of the newest pages found were sorted when
	// they are not all (a sort by a column of the front matter); 0 when
	// the order covers every page found.
	sortedAmong int
}

// viewCaches holds views' results, keyed by the reader's readable
// namespaces and the view; an entry is good while the index has applied
// no other change (the change log, not a timer, makes it stale). Metas
// holds pages' front matter by revision, which never changes.
type viewCaches struct {
	results *lru.Cache[string, viewResult]
	metas   *lru.Cache[metaKey, map[string]any]
}

type metaKey struct {
	path Path
	rev  int
}

func newViewCaches(b *lru.Budget) *viewCaches {
	return &viewCaches{
		results: lru.NewIn[string, viewResult](b, func(r viewResult) int { return 64 + 160*len(r.rows) }),
		metas:   lru.NewIn[metaKey, map[string]any](b, func(m map[string]any) int { return 64 + 96*len(m) }),
	}
}

// MetaReader decodes a page's front matter alone; a Renderer that has it
// (render.Renderer) spares views a whole rendering per page listed.
type MetaReader interface {
	Meta(src []byte) (map[string]any, error)
}

// runView returns the rows of spec for a reader of allowed, from the
// cache when the index has not moved since.
func (s *Service) runView(ctx context.Context, allowed NamespaceSet, spec ViewSpec, seq uint64) (viewResult, error) {
	keys := allowed.Keys()
	key := strings.Join(keys, ",") + "\x00" + spec.Query + "\x00" + spec.Sort + "\x00" +
		itoa(spec.Max) + "\x00" + strings.Join(spec.Columns, ",")
	if spec.Desc {
		key += "-"
	}
	if r, ok := s.viewCache.results.Get(key); ok && r.seq == seq && seq != 0 {
		return r, nil
	}
	if s.search == nil || len(keys) == 0 {
		return viewResult{seq: seq}, nil
	}
	// The index sorts every match by date, either way, or by title: it
	// returns the rows shown. Another column is sorted here, among the
	// newest viewScan matches, each read for its front matter.
	window, order := viewScan, SortDate
	switch {
	case spec.Sort == ColUpdated && !spec.Desc:
		window = spec.Max
	case spec.Sort == ColUpdated:
		window, order = spec.Max, SortOldest
	case spec.Sort == ColTitle:
		window, order = spec.Max, SortTitle
		if spec.Desc {
			order = SortTitleDesc
		}
	}
	q := SearchQuery{Query: ParseQuery(spec.Query), Limit: window, Sort: order, Namespaces: keys, Bare: true}
	if err := s.resolveAuthors(ctx, &q); err != nil {
		return viewResult{}, err
	}
	res, err := s.search.Search(ctx, q)
	if err != nil {
		return viewResult{}, err
	}
	out := viewResult{seq: seq, total: res.Total, rows: make([]viewRow, 0, len(res.Hits))}
	for _, h := range res.Hits {
		meta, err := s.viewMeta(ctx, h.Path)
		if err != nil {
			return viewResult{}, err
		}
		if meta == nil {
			continue // gone since the index saw it
		}
		out.rows = append(out.rows, viewRow{Path: h.Path, Title: h.Title, Updated: h.Updated, Meta: meta})
	}
	sortRows(out.rows, spec.Sort, spec.Desc)
	out.rows = out.rows[:min(len(out.rows), spec.Max)]
	if window == viewScan && res.Total > len(res.Hits) {
		out.sortedAmong = len(res.Hits)
	}
	if !res.Partial && seq != 0 {
		s.viewCache.results.Put(key, out)
	}
	return out, nil
}

// viewMeta returns the front matter of p's head, nil when p is no live
// page.
func (s *Service) viewMeta(ctx context.Context, p Path) (map[string]any, error) {
	h, err := s.store.Head(ctx, p)
	if ErrorCode(err) == ENotFound || err == nil && h.Deleted {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	k := metaKey{p, h.Rev}
	if m, ok := s.viewCache.metas.Get(k); ok {
		return m, nil
	}
	_, text, err := s.store.Revision(ctx, p, h.Rev)
	if err != nil {
		return nil, err
	}
	var meta map[string]any
	if mr, ok := s.render.(MetaReader); ok {
		meta, err = mr.Meta([]byte(text))
	} else {
		var out *Rendered
		if out, err = s.renderPage(ctx, p, text); err == nil {
			meta = out.Meta
		}
	}
	if err != nil || meta == nil {
		meta = map[string]any{} // a saved page whose meta no longer reads: listed without
	}
	s.viewCache.metas.Put(k, meta)
	return meta, nil
}
