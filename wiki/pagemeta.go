package wiki

import (
	"context"
	"sync"
)

// FrontMatterReader is what a Renderer may also do: decode a text's front
// matter alone, much cheaper than rendering it. Without it the Service
// renders.
type FrontMatterReader interface {
	FrontMatter(src []byte) (map[string]any, error)
}

// maxMetaCache bounds the front matters kept by revision (a few hundred
// bytes each); past it the cache starts again empty.
const maxMetaCache = 20000

// metaCache keeps the front matter of revisions: a revision never changes,
// so an entry is never stale.
type metaCache struct {
	mu sync.Mutex
	m  map[string]map[string]any // "path@rev"
}

func (c *metaCache) get(k string) (map[string]any, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.m[k]
	return v, ok
}

func (c *metaCache) put(k string, v map[string]any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= maxMetaCache {
		c.m = map[string]map[string]any{}
	}
	c.m[k] = v
}

// PageMetas returns the front matter of the live pages among paths that
// actor may read, by path: what lists show as badges. Callers pass a
// bounded list (a page of hits, a namespace's index); each revision's front
// matter is read once and kept.
func (s *Service) PageMetas(ctx context.Context, actor *User, paths []Path) map[Path]map[string]any {
	heads := make([]Head, 0, len(paths))
	for _, p := range paths {
		if h, err := s.store.Head(ctx, p); err == nil {
			heads = append(heads, h)
		}
	}
	return s.HeadMetas(ctx, actor, heads)
}

// HeadMetas is PageMetas for heads already read (a namespace's index).
func (s *Service) HeadMetas(ctx context.Context, actor *User, heads []Head) map[Path]map[string]any {
	out := make(map[Path]map[string]any, len(heads))
	for _, h := range heads {
		if h.Deleted || !s.Can(actor, ActRead, h.Path) || ctx.Err() != nil {
			continue
		}
		key := h.Path.String() + "@" + itoa(h.Rev)
		if m, ok := s.metas.get(key); ok {
			out[h.Path] = m
			continue
		}
		_, text, err := s.store.Revision(ctx, h.Path, h.Rev)
		if err != nil {
			continue // a list shows the page without its badges
		}
		m := s.frontMatter(ctx, h.Path, text)
		s.metas.put(key, m)
		out[h.Path] = m
	}
	return out
}

// frontMatter decodes text's front matter, {} when it has none or a bad one.
func (s *Service) frontMatter(ctx context.Context, p Path, text string) map[string]any {
	if fr, ok := s.render.(FrontMatterReader); ok {
		if m, err := fr.FrontMatter([]byte(text)); err == nil && m != nil {
			return m
		}
		return map[string]any{}
	}
	return s.FrontMatter(ctx, p, text)
}
