// Package render implements wiki.Renderer: it turns a page's Markdown into
// sanitized HTML and everything derived from it (title, front matter, table
// of contents, plain text for the search index, outgoing wiki links and
// where each is in the text, where the body starts past the title heading).
//
// The pipeline is parse → inspect → render → sanitize:
//
//  1. An optional YAML front matter block is split off and decoded.
//  2. goldmark parses CommonMark with the GitHub extensions, footnotes and
//     [[wiki links]].
//  3. One pass over the syntax tree resolves wiki links (asking the store
//     which exist in a single call), gives headings French-friendly ids and
//     neutralises links whose URL scheme is not allowed.
//  4. goldmark renders HTML without raw HTML (it is omitted), and bluemonday
//     then sanitizes that HTML with an allow-list policy, so a bug in either
//     layer alone does not let script through.
//
// A Renderer holds no per-page state and is safe for concurrent use.
package render

import (
	"bytes"
	"context"
	"sort"
	"unicode/utf8"

	"github.com/kdecole-club/clubwiki/wiki"
	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Options configures a Renderer.
type Options struct {
	// Limits lowers the bounds of a page's rendering (limits.go); its
	// zero fields, all of them in production, are the defaults.
	Limits Limits
}

// Renderer renders wiki pages. Build it once with New and share it.
type Renderer struct {
	md     goldmark.Markdown
	policy *bluemonday.Policy
	limits Limits // every bound set
}

var _ wiki.Renderer = (*Renderer)(nil)

// New builds the Markdown pipeline and the sanitizing policy. Both are costly
// to build and safe to share, which is why they live on the Renderer rather
// than being made per call.
func New(opt Options) *Renderer {
	tablesParagraph, tablesAST, tablesHTML := tableParts()
	md := goldmark.New(
		// Default parsers, with nesting limited (see maxContainerDepth);
		// the extensions below add theirs to this parser.
		goldmark.WithParser(parser.NewParser(
			parser.WithBlockParsers(blockParsers()...),
			parser.WithInlineParsers(inlineParsers()...),
			// goldmark's link reference definitions, fed in chunks.
			parser.WithParagraphTransformers(util.Prioritized(chunkedLinkRefs{parser.LinkReferenceParagraphTransformer}, 100)),
		)),
		goldmark.WithExtensions(
			// Strikethrough's parser is in inlineParsers.
			strikethroughHTML{},
			extension.TaskList,
			extension.Linkify,
		),
		goldmark.WithParserOptions(footnoteParts()...),
		goldmark.WithParserOptions(
			tablesParagraph, tablesAST,
			parser.WithASTTransformers(util.Prioritized(tableAlignClasses{}, 1000)),
			// Before the link parser (200) so that "[[" is ours, after the
			// footnote parser (101) so that "[^1]" stays a footnote.
			parser.WithInlineParsers(util.Prioritized(wikiLinkParser{}, 199)),
		),
		goldmark.WithRendererOptions(
			tablesHTML,
			renderer.WithNodeRenderers(
				util.Prioritized(omitRawHTML{}, 100),
				util.Prioritized(wikiLinkRenderer{}, 100),
				util.Prioritized(newViewRenderer(), 100),
				util.Prioritized(extension.NewFootnoteHTMLRenderer(), 500),
			),
		),
	)
	return &Renderer{md: md, policy: newPolicy(), limits: opt.Limits.withDefaults()}
}

// Render renders src. It returns an *wiki.Error with code wiki.EInvalid
// when the front matter is not valid YAML or not a mapping, its message
// naming the line of the page: a page whose metadata would be silently lost
// is refused rather than saved. It returns one with code wiki.ETooLarge,
// whose cause is a *wiki.LimitError, when the page goes past one of the
// bounds of limits.go, and ctx's error when ctx ends first: parsing then
// stops early, rendering at the next write.
func (r *Renderer) Render(ctx context.Context, src []byte, opt wiki.RenderOptions) (*wiki.Rendered, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	src, cleaned := cleanInput(src)
	meta, body, err := splitFrontMatter(src)
	if err != nil {
		return nil, err
	}
	// body is the end of src: the front matter's size is where it starts.
	bodyAt := len(src) - len(body)
	// Limits count lines in body; the page's lines start above it.
	lineOffset := bytes.Count(src[:bodyAt], []byte{'\n'})

	lim := newLimits(ctx, body, &r.limits)
	if n := bytes.Count(body, []byte{'\n'}) + 1; n > r.limits.Lines {
		lim.exceed(wiki.LimitLines, n, r.limits.Lines, -1)
		return nil, refusal(lim.err, lineOffset)
	}
	pc := parser.NewContext()
	pc.Set(limitsKey, lim)
	doc := r.md.Parser().Parse(text.NewReader(body), parser.WithContext(pc))
	if lim.err != nil {
		return nil, refusal(lim.err, lineOffset)
	}
	ins, err := inspect(ctx, doc, body, opt)
	if err != nil {
		return nil, err
	}
	title := ins.title
	if t := metaTitle(meta); t != "" {
		title = t
	}
	w := &htmlWriter{lim: lim}
	w.buf.Grow(len(body) + len(body)/2)
	start, err := r.writeHTML(w, body, doc, titleHeading(doc, title, ins.headings))
	if lim.err != nil {
		return nil, refusal(lim.err, lineOffset)
	}
	if err != nil {
		// Only htmlWriter fails writes, and it sets lim.err; an error
		// here is a bug in a node renderer.
		return nil, wiki.Internal(err, "rendering the page")
	}
	out := &wiki.Rendered{
		Title:    title,
		Meta:     meta,
		Headings: ins.headings,
		Text:     plainText(doc, body),
		Links:    ins.links,
		Views:    ins.views,
	}
	out.HTML, out.BodyStart = r.sanitize(w.buf.Bytes(), start)
	if !cleaned {
		out.LinkRefs = linkRefs(ins.wikiLinks, bodyAt)
	}
	return out, ctx.Err()
}

// cleanInput makes the source valid UTF-8 without NUL bytes, as CommonMark
// asks (U+0000 becomes U+FFFD), so every later stage and every output string
// is valid UTF-8 whatever was sent. It copies only when it has to, and
// says when it did: offsets into the copy are not offsets into src.
func cleanInput(src []byte) ([]byte, bool) {
	if utf8.Valid(src) && bytes.IndexByte(src, 0) < 0 {
		return src, false
	}
	src = bytes.ToValidUTF8(src, []byte("\uFFFD"))
	return bytes.ReplaceAll(src, []byte{0}, []byte("\uFFFD")), true
}

// sortedPaths returns the keys of set in order.
func sortedPaths(set map[wiki.Path]bool) []wiki.Path {
	out := make([]wiki.Path, 0, len(set))
	for p := range set {
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].String() < out[j].String() })
	return out
}

// isBlock reports whether n is a block node; a helper for the text walkers.
func isBlock(n ast.Node) bool { return n.Type() == ast.TypeBlock }
