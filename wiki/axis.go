package wiki

import (
	"context"
	"sort"
	"strings"
	"time"
)

// Bounds of an axis page's tree.
const (
	// AxisPageSize is how many pages one page of the tree lists.
	AxisPageSize = 100
	// maxAxisPages bounds the pages an axis tree reads: past it, the
	// tree holds the first in path order.
	maxAxisPages = 20000
	maxFilterLen = 200
)

// AxisHome is the slug of an axis's introduction page, which its axis
// page shows above the tree.
const AxisHome = "accueil"

// AxisQuery is a reader's choices on an axis page.
type AxisQuery struct {
	Filter string // words every listed page's title or path has, accents and case free
	Page   int    // from 0
}

// AxisTree is one page of an axis's pages as a tree of folders.
type AxisTree struct {
	Entries []AxisEntry // in tree order: a folder before what it holds
	Total   int         // pages that pass the filter
	All     int         // pages of the axis the reader reads
	Page    int
	Pages   int // pages of the tree, at least 1
}

// AxisEntry is one line of the tree: a page, or a folder that is not
// one (a path other pages are under).
type AxisEntry struct {
	Path    Path
	Title   string
	Depth   int  // 0 for the axis's top level
	IsPage  bool // a page the filter lets through
	Link    bool // a live page (a folder's page may not pass the filter)
	Count   int  // pages under it (the filter's)
	Updated time.Time
	Context bool // a folder repeated from a previous page of the tree
}

// axisNode is a node of the whole tree, before paging.
type axisNode struct {
	entry    AxisEntry
	key      string
	children []*axisNode
	byPath   map[Path]*axisNode
	titles   map[Path]string // the root's: every page's title, filtered or not
}

// AxisTree returns the pages of namespace ns that actor reads, filtered
// and paged, as a tree by folder with titles. The axis's own AxisHome page
// is left out: the axis page shows it above the tree.
func (s *Service) AxisTree(ctx context.Context, actor *User, ns string, q AxisQuery) (AxisTree, error) {
	readable, err := s.readable(ctx, actor)
	if err != nil {
		return AxisTree{}, err
	}
	if !readable.Has(ns) || !s.IsNamespace(ns) {
		return AxisTree{}, Errorf(ENotFound, "no namespace %q", ns)
	}
	heads, _, err := s.store.Pages(ctx, ns, readable.narrow(ns), maxAxisPages, 0)
	if err != nil {
		return AxisTree{}, err
	}
	words := strings.Fields(foldText(cutString(q.Filter, maxFilterLen)))
	root := &axisNode{titles: make(map[Path]string, len(heads))}
	for _, h := range heads {
		root.titles[h.Path] = h.Title
	}
	out := AxisTree{}
	for _, h := range heads {
		if h.Path.Slug() == AxisHome {
			continue
		}
		out.All++
		if !matchesAll(h, words) {
			continue
		}
		out.Total++
		root.add(h)
	}
	root.sortAll()
	var flat []*axisNode
	root.flatten(&flat)
	out.Pages = max(1, (out.Total+AxisPageSize-1)/AxisPageSize)
	out.Page = min(max(q.Page, 0), out.Pages-1)
	out.Entries = pageOf(flat, out.Page)
	return out, nil
}

// add files h under its folders, counting it in each.
func (n *axisNode) add(h Head) {
	segs := strings.Split(h.Path.Slug(), "/")
	ns := h.Path.Namespace()
	at := n
	for i := range segs {
		p := MustPath(ns + "/" + strings.Join(segs[:i+1], "/"))
		child := at.byPath[p]
		if child == nil {
			child = &axisNode{entry: AxisEntry{Path: p, Title: segTitle(segs[i]), Depth: i}}
			if t, ok := n.titles[p]; ok {
				child.entry.Link = true
				if t != "" {
					child.entry.Title = t
				}
			}
			if at.byPath == nil {
				at.byPath = map[Path]*axisNode{}
			}
			at.byPath[p] = child
			at.children = append(at.children, child)
		}
		if i == len(segs)-1 {
			child.entry.IsPage, child.entry.Updated = true, h.Updated
		} else {
			child.entry.Count++
		}
		at = child
	}
}

// segTitle is the title of a folder that is not a page: its last
// segment, with spaces for dashes.
func segTitle(seg string) string { return strings.ReplaceAll(seg, "-", " ") }

func (n *axisNode) sortAll() {
	for _, c := range n.children {
		c.key = foldText(c.entry.Title)
		c.sortAll()
	}
	sort.SliceStable(n.children, func(i, j int) bool {
		a, b := n.children[i], n.children[j]
		if a.key != b.key {
			return a.key < b.key
		}
		return a.entry.Path.String() < b.entry.Path.String()
	})
}

func (n *axisNode) flatten(out *[]*axisNode) {
	for _, c := range n.children {
		*out = append(*out, c)
		c.flatten(out)
	}
}

// pageOf returns the entries of page k of the tree: AxisPageSize pages,
// with the folders above its first one repeated as context.
func pageOf(flat []*axisNode, k int) []AxisEntry {
	var out []AxisEntry
	seen, first := 0, -1
	for i, n := range flat {
		pg := seen / AxisPageSize // a folder goes with the page after it
		if n.entry.IsPage {
			seen++
		}
		if pg < k {
			continue
		}
		if pg > k {
			break
		}
		if first < 0 {
			first = i
		}
		out = append(out, n.entry)
	}
	if first <= 0 {
		return out
	}
	var above []AxisEntry
	depth := flat[first].entry.Depth
	for i := first - 1; i >= 0 && depth > 0; i-- {
		if e := flat[i].entry; e.Depth < depth {
			e.Context = true
			above = append([]AxisEntry{e}, above...)
			depth = e.Depth
		}
	}
	return append(above, out...)
}

// matchesAll reports whether every word is in h's title or path.
func matchesAll(h Head, words []string) bool {
	if len(words) == 0 {
		return true
	}
	hay := foldText(h.Title) + " " + h.Path.Slug()
	for _, w := range words {
		if !strings.Contains(hay, w) {
			return false
		}
	}
	return true
}

// cutString returns at most n bytes of s, cut at a rune boundary.
func cutString(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n]
}

// Crumb is one step of a page's breadcrumbs: its axis, then the pages
// (or folders) above it.
type Crumb struct {
	Path  Path   // the folder's path; zero for the axis
	NS    string // the axis's key, for the axis's crumb
	Title string
	Page  bool // a live page: a link
}

// Crumbs returns the steps above p, with titles: the axis's, then each
// folder's, the title of its page when there is one, else its segment.
func (s *Service) Crumbs(ctx context.Context, actor *User, p Path) ([]Crumb, error) {
	ns := p.Namespace()
	if err := s.authorize(ctx, actor, ActRead, ns); err != nil {
		return nil, err
	}
	s.nsMu.RLock()
	out := []Crumb{{NS: ns, Title: s.ns[ns].Title}}
	s.nsMu.RUnlock()
	if out[0].Title == "" {
		out[0].Title = ns
	}
	segs := strings.Split(p.Slug(), "/")
	if len(segs) < 2 {
		return out, nil
	}
	paths := make([]Path, 0, len(segs)-1)
	for i := 1; i < len(segs); i++ {
		paths = append(paths, MustPath(ns+"/"+strings.Join(segs[:i], "/")))
	}
	t, err := s.store.LinkTargets(ctx, paths, nil)
	if err != nil {
		return nil, err
	}
	for i, q := range paths {
		c := Crumb{Path: q, Title: segTitle(segs[i])}
		if h, ok := t.Live[q]; ok {
			c.Page = true
			if h.Title != "" {
				c.Title = h.Title
			}
		}
		out = append(out, c)
	}
	return out, nil
}

// HasAxisHome reports whether namespace ns has a live AxisHome page that
// actor reads: the axis page is then that page.
func (s *Service) HasAxisHome(ctx context.Context, actor *User, ns string) (bool, error) {
	if err := s.authorize(ctx, actor, ActRead, ns); err != nil {
		return false, err
	}
	p, err := ParsePath(ns + "/" + AxisHome)
	if err != nil {
		return false, nil
	}
	h, err := s.store.Head(ctx, p)
	if ErrorCode(err) == ENotFound {
		return false, nil
	}
	return err == nil && !h.Deleted, err
}
