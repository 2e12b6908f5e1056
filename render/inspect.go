package render

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/kdecole-club/clubwiki/wiki"
	"github.com/yuin/goldmark/ast"
	extast "github.com/yuin/goldmark/extension/ast"
)

// maxIDBytes keeps heading ids (and so URLs with a fragment) short even for
// a heading that is a whole paragraph.
const maxIDBytes = 80

// relExternal is set on links that leave the wiki: the wiki does not vouch
// for them (nofollow) and the target gets no handle on this window.
const relExternal = "nofollow noopener"

// inspection is what one pass over the syntax tree learns about a page.
type inspection struct {
	title    string
	headings []wiki.Heading
	links    []wiki.Path
}

// inspect walks the parsed document once before rendering. It resolves wiki
// links (one call to opt.Existing for all of them), assigns heading ids,
// marks task lists and external links, and unwraps links and images whose
// URL is not allowed, so that goldmark never even writes them.
func inspect(doc ast.Node, src []byte, opt wiki.RenderOptions) inspection {
	ins := inspection{headings: []wiki.Heading{}}
	var (
		wikiLinks []*wikiLink
		unsafe    []ast.Node
		ids       = newIDSet()
		linkDepth = 0
	)
	_ = ast.Walk(doc, func(node ast.Node, entering bool) (ast.WalkStatus, error) {
		switch n := node.(type) {
		case *ast.Link:
			if entering {
				linkDepth++
			} else {
				linkDepth--
			}
			if entering && !checkURL(n, string(n.Destination), false) {
				unsafe = append(unsafe, n)
			}
		case *ast.Image:
			if entering && !checkURL(n, string(n.Destination), true) {
				unsafe = append(unsafe, n)
			}
		case *ast.AutoLink:
			if entering && !checkURL(n, autoLinkURL(n, src), false) {
				unsafe = append(unsafe, n)
			}
		case *wikiLink:
			if entering {
				n.inLink = linkDepth > 0
				wikiLinks = append(wikiLinks, n)
			}
		case *ast.Heading:
			if entering {
				h := wiki.Heading{Level: n.Level, Text: inlineText(n, src)}
				h.ID = ids.unique(slug(h.Text))
				n.SetAttributeString("id", []byte(h.ID))
				ins.headings = append(ins.headings, h)
				if h.Level == 1 && ins.title == "" {
					ins.title = h.Text
				}
			}
		case *extast.TaskCheckBox:
			if entering {
				markTaskItem(n)
			}
		}
		return ast.WalkContinue, nil
	})
	for _, n := range unsafe {
		neutralise(n, src)
	}
	ins.links = resolveAll(wikiLinks, opt)
	return ins
}

// checkURL reports whether u may be linked to, and marks links that leave
// the wiki with rel.
func checkURL(n ast.Node, u string, image bool) bool {
	if !safeURL(u, image) {
		return false
	}
	if !image {
		if pu, err := url.Parse(u); err == nil && pu.Host != "" {
			n.SetAttributeString("rel", []byte(relExternal))
		}
	}
	return true
}

// autoLinkURL is the href goldmark will write for n.
func autoLinkURL(n *ast.AutoLink, src []byte) string {
	u := string(n.URL(src))
	if n.AutoLinkType == ast.AutoLinkEmail && !strings.HasPrefix(strings.ToLower(u), "mailto:") {
		u = "mailto:" + u
	}
	return u
}

// neutralise replaces a link or image with a forbidden URL by its text, so
// the reader still sees what the author wrote and nothing is clickable.
func neutralise(n ast.Node, src []byte) {
	parent := n.Parent()
	if parent == nil {
		return
	}
	if al, ok := n.(*ast.AutoLink); ok {
		parent.ReplaceChild(parent, n, ast.NewString(al.Label(src)))
		return
	}
	for c := n.FirstChild(); c != nil; c = n.FirstChild() {
		parent.InsertBefore(parent, n, c)
	}
	parent.RemoveChild(parent, n)
}

// resolveAll resolves every wiki link, asks which targets exist (once) and
// returns the distinct targets in order.
func resolveAll(links []*wikiLink, opt wiki.RenderOptions) []wiki.Path {
	set := map[wiki.Path]bool{}
	for _, n := range links {
		p, ok := resolveWikiLink(n.target, opt)
		if !ok {
			continue
		}
		n.path = p
		n.href = opt.LinkPrefix + p.String()
		if a := slug(n.fragment); n.fragment != "" && a != "" {
			n.href += "#" + a
		}
		set[p] = true
	}
	paths := sortedPaths(set)
	if opt.Existing == nil || len(paths) == 0 {
		return paths
	}
	live := opt.Existing(paths)
	for _, n := range links {
		n.missing = !n.path.IsZero() && !live[n.path]
	}
	return paths
}

// markTaskItem gives the list item and list holding a task check box the
// classes GitHub uses, so the stylesheet can drop the bullets.
func markTaskItem(box ast.Node) {
	for p := box.Parent(); p != nil; p = p.Parent() {
		if item, ok := p.(*ast.ListItem); ok {
			item.SetAttributeString("class", []byte("task-list-item"))
			if list := item.Parent(); list != nil {
				list.SetAttributeString("class", []byte("contains-task-list"))
			}
			return
		}
	}
}

// slug makes an anchor from heading text with the page path rules, so
// "Problème d'accès à l'ENT" gives "probleme-d-acces-a-l-ent".
func slug(s string) string {
	s = wiki.Canonical(strings.ReplaceAll(s, "/", " "))
	if len(s) > maxIDBytes {
		s = strings.TrimRight(s[:maxIDBytes], "-")
	}
	return s
}

// idSet hands out heading ids unique within a page.
type idSet struct {
	taken map[string]bool
	next  map[string]int // next suffix to try per base, so that a page of n equal headings costs O(n), not O(n²)
}

func newIDSet() *idSet { return &idSet{taken: map[string]bool{}, next: map[string]int{}} }

// unique returns base, or base-1, base-2 … if taken, and records it. An
// empty base (a heading of only punctuation or emoji) becomes "section".
func (s *idSet) unique(base string) string {
	if base == "" {
		base = "section"
	}
	id := base
	for s.taken[id] {
		s.next[base]++
		id = base + "-" + strconv.Itoa(s.next[base])
	}
	s.taken[id] = true
	return id
}
