package wiki

import (
	"context"
	"slices"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// MaxTitleMatches bounds how many pages one title lookup returns: titles
// are not unique, but a link by title needs only the first few to choose
// from (the current namespace's first).
const MaxTitleMatches = 16

// TitleKey is the form titles are matched in by a link by title: Unicode
// NFC, blanks around dropped and blanks inside collapsed to one space,
// and letter case folded. Accents and punctuation count: "Résolu" is not
// "Resolu". "" means the title cannot be linked to.
func TitleKey(title string) string {
	s := norm.NFC.String(title)
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// TitleIndex finds pages by their titles, for links by title.
type TitleIndex interface {
	// LinkTargets reads, in one transaction, the heads of those of paths
	// that are live pages and, for each of titles (TitleKey forms), the
	// live pages with that title, by path, at most MaxTitleMatches each.
	LinkTargets(ctx context.Context, paths []Path, titles []string) (LinkTargets, error)
	// PagesTitled returns the live pages whose title has TitleKey key,
	// by path, at most limit.
	PagesTitled(ctx context.Context, key string, limit int) ([]Head, error)
}

// LinkTargets is what a rendering needs to know about its links' targets.
type LinkTargets struct {
	Live    map[Path]Head     // the live pages among the paths asked
	ByTitle map[string][]Head // title key → live pages with that title, by path
}

// linkResolver is RenderOptions.Resolve for a rendering of page p for
// reader (nil: everyone): one store read for all the links of the page.
// Pages the reader may not read are left out, so a link to one stays
// missing and never shows its title. A title names the page of p's
// namespace that has it first, else the first of another namespace by
// path. The store's error is kept in *errp.
func (s *Service) linkResolver(ctx context.Context, p Path, reader *User, errp *error) func([]Path, []string) LinkResolution {
	return func(paths []Path, titles []string) LinkResolution {
		res := LinkResolution{Titles: map[Path]string{}, ByTitle: map[string]Path{}}
		t, err := s.store.LinkTargets(ctx, paths, titles)
		if err != nil {
			*errp = err
			return res
		}
		visible := func(q Path) bool { return reader == nil || s.readsNamespace(reader, q.Namespace()) }
		for q, h := range t.Live {
			if visible(q) {
				res.Titles[q] = h.Title
			}
		}
		for key, heads := range t.ByTitle {
			if h, ok := pickTitled(heads, p.Namespace(), visible); ok {
				res.ByTitle[key] = h.Path
				res.Titles[h.Path] = h.Title
			}
		}
		return res
	}
}

// pickTitled chooses among the pages of one title (by path) the one a link
// from namespace ns goes to: ns's first, then the first visible.
func pickTitled(heads []Head, ns string, visible func(Path) bool) (Head, bool) {
	var first *Head
	for i, h := range heads {
		if !visible(h.Path) {
			continue
		}
		if h.Path.Namespace() == ns {
			return h, true
		}
		if first == nil {
			first = &heads[i]
		}
	}
	if first == nil {
		return Head{}, false
	}
	return *first, true
}

// titleBacklinks returns the pages that link to p by its title while the
// link table does not know it: saved before p had that title, their link
// went to the path the title spells in their own namespace, where no page
// is. Only the pages for which the title names p (their namespace's page of
// that title first) count. It costs one read per namespace, at most.
func (s *Service) titleBacklinks(ctx context.Context, p Path, readable NamespaceSet) ([]Head, error) {
	h, err := s.store.Head(ctx, p)
	if ErrorCode(err) == ENotFound || (err == nil && h.Deleted) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	key, slug := TitleKey(h.Title), Canonical(h.Title)
	if first, _, multi := strings.Cut(slug, "/"); key == "" || slug == "" || (multi && s.IsNamespace(first)) {
		return nil, nil
	}
	heads, err := s.store.PagesTitled(ctx, key, MaxTitleMatches)
	if err != nil {
		return nil, err
	}
	visible := func(q Path) bool { return readable.Has(q.Namespace()) }
	var spelt []Path
	for _, ns := range s.namespaceKeys() {
		q, err := ParsePath(ns + "/" + slug)
		if err != nil || q == p || !readable.Has(ns) {
			continue
		}
		if pick, ok := pickTitled(heads, ns, visible); ok && pick.Path == p {
			spelt = append(spelt, q)
		}
	}
	live, err := s.store.Existing(ctx, spelt)
	if err != nil {
		return nil, err
	}
	var out []Head
	for _, q := range spelt {
		if live[q] {
			continue // the link goes to the page there
		}
		bl, err := s.store.Backlinks(ctx, q, NamespaceSet{q.Namespace(): true})
		if err != nil {
			return nil, err
		}
		out = append(out, bl...)
	}
	return out, nil
}

// namespaceKeys returns the namespaces' keys, in order.
func (s *Service) namespaceKeys() []string {
	s.nsMu.RLock()
	defer s.nsMu.RUnlock()
	keys := make([]string, 0, len(s.ns))
	for k := range s.ns {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// mergeHeads returns a and b's pages once each, by path.
func mergeHeads(a, b []Head) []Head {
	if len(b) == 0 {
		return a
	}
	seen := map[Path]bool{}
	var out []Head
	for _, h := range append(slices.Clip(a), b...) {
		if !seen[h.Path] {
			seen[h.Path] = true
			out = append(out, h)
		}
	}
	slices.SortFunc(out, func(x, y Head) int { return strings.Compare(x.Path.String(), y.Path.String()) })
	return out
}

// PagesTitled returns the pages actor may read whose title is title (as a
// link by title matches it: see TitleKey), by path, at most
// MaxTitleMatches: what the "new page" form warns about.
func (s *Service) PagesTitled(ctx context.Context, actor *User, title string) ([]Head, error) {
	readable, err := s.readable(ctx, actor)
	if err != nil {
		return nil, err
	}
	key := TitleKey(title)
	if key == "" {
		return nil, nil
	}
	heads, err := s.store.PagesTitled(ctx, key, MaxTitleMatches)
	if err != nil {
		return nil, err
	}
	out := heads[:0]
	for _, h := range heads {
		if readable.Has(h.Path.Namespace()) {
			out = append(out, h)
		}
	}
	return out, nil
}
