package render

import (
	"context"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/kdecole-club/clubwiki/wiki"
	"github.com/yuin/goldmark/ast"
	extast "github.com/yuin/goldmark/extension/ast"
)

// maxIDBytes keeps heading ids (and so URLs with a fragment) short even for
// a heading that is a whole paragraph.
const maxIDBytes = 80

// headingIDPrefix starts every heading id, so that a heading never takes
// an id of the layout around the page ("# main" would be id="main", the
// layout's <main>; also "editor", "site-search", "title"…). Layout ids
// never start with it.
const headingIDPrefix = "h-"

// relExternal is set on links that leave the wiki: the wiki does not vouch
// for them (nofollow) and the target gets no handle on this window.
const relExternal = "nofollow noopener"

// inspection is what one pass over the syntax tree learns about a page.
type inspection struct {
	title     string
	headings  []wiki.Heading
	links     []wiki.Path
	wikiLinks []*wikiLink // in the order of the tree
	views     []wiki.ViewBlock
}

// inspect walks the parsed document once before rendering. It resolves wiki
// links (one call to opt.Existing for all of them), assigns heading ids,
// marks task lists and external links, and unwraps links and images whose
// URL is not allowed, so that goldmark never even writes them.
//
// It stops with ctx's error when ctx ends.
func inspect(ctx context.Context, doc ast.Node, src []byte, opt wiki.RenderOptions) (inspection, error) {
	in := &inspector{ctx: ctx, src: src, ids: newIDSet(), page: opt.Page}
	in.headings = []wiki.Heading{}
	if err := ast.Walk(doc, in.visit); err != nil {
		return inspection{}, err
	}
	// Unwrapping during the walk would change the tree under it.
	for _, n := range in.unsafe {
		neutralise(n, src)
	}
	in.links = resolveAll(in.wikiLinks, opt)
	return in.inspection, nil
}

// inspector is the state of one inspect walk.
type inspector struct {
	inspection
	ctx       context.Context
	page      wiki.Path // the page rendered: its attachments' URLs
	visited   int
	src       []byte
	ids       *idSet
	unsafe    []ast.Node // links and images to unwrap after the walk
	linkDepth int        // Markdown links around the node being visited
}

func (in *inspector) visit(node ast.Node, entering bool) (ast.WalkStatus, error) {
	if _, ok := node.(*ast.Link); ok && !entering {
		in.linkDepth--
	}
	if !entering {
		return ast.WalkContinue, nil
	}
	if in.visited++; in.visited%ctxEvery == 0 {
		if err := in.ctx.Err(); err != nil {
			return ast.WalkStop, err
		}
	}
	switch n := node.(type) {
	case *ast.Link:
		in.linkDepth++
		in.checkLink(n, string(n.Destination), false)
	case *ast.Image:
		if u, ok := attachmentURL(in.page, string(n.Destination)); ok {
			n.Destination = []byte(u)
		}
		in.checkLink(n, string(n.Destination), true)
	case *ast.AutoLink:
		in.checkLink(n, autoLinkURL(n, in.src), false)
	case *wikiLink:
		n.inLink = in.linkDepth > 0
		in.wikiLinks = append(in.wikiLinks, n)
	case *ast.Heading:
		in.heading(n)
	case *ast.FencedCodeBlock:
		in.view(n)
	case *extast.TaskCheckBox:
		markTaskItem(n)
	}
	return ast.WalkContinue, nil
}

// checkLink queues n for unwrapping when its URL u is not allowed.
func (in *inspector) checkLink(n ast.Node, u string, image bool) {
	if !checkURL(n, u, image) {
		in.unsafe = append(in.unsafe, n)
	}
}

// heading gives n a unique id and records it for the table of contents; the
// first level-1 heading is the page's title.
func (in *inspector) heading(n *ast.Heading) {
	h := wiki.Heading{Level: n.Level, Text: inlineText(n, in.src)}
	h.ID = headingIDPrefix + in.ids.unique(slug(h.Text))
	n.SetAttributeString("id", []byte(h.ID))
	in.headings = append(in.headings, h)
	if h.Level == 1 && in.title == "" {
		in.title = h.Text
	}
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
		setHref(n, opt)
		set[p] = true
	}
	if opt.Resolve != nil && len(links) > 0 {
		return resolveTitles(links, sortedPaths(set), opt)
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

// resolveTitles finishes resolveAll with opt.Resolve, asked once for every
// path and every title the links name: a target that is no live page but
// a page's title goes to that page, and a link without a label shows its
// target's title.
func resolveTitles(links []*wikiLink, paths []wiki.Path, opt wiki.RenderOptions) []wiki.Path {
	keys := make([]string, len(links))
	seen := map[string]bool{}
	var titles []string
	for i, n := range links {
		keys[i] = wiki.TitleKey(n.target)
		if k := keys[i]; k != "" && !seen[k] {
			seen[k] = true
			titles = append(titles, k)
		}
	}
	slices.Sort(titles)
	res := opt.Resolve(paths, titles)
	set := map[wiki.Path]bool{}
	for i, n := range links {
		if _, live := res.Titles[n.path]; !live || n.path.IsZero() {
			if q, ok := res.ByTitle[keys[i]]; ok && !q.IsZero() {
				n.path, n.byTitle = q, true
				setHref(n, opt)
			}
		}
		if n.path.IsZero() {
			continue
		}
		title, live := res.Titles[n.path]
		n.missing = !live
		if live && !n.labelled && title != "" {
			n.label = title
		}
		set[n.path] = true
	}
	return sortedPaths(set)
}

// setHref sets n's href from its path and fragment.
func setHref(n *wikiLink, opt wiki.RenderOptions) {
	n.href = opt.LinkPrefix + n.path.String()
	if a := slug(n.fragment); n.fragment != "" && a != "" {
		n.href += "#" + headingIDPrefix + a
	}
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
