package wiki

import (
	"context"
	"errors"
	"html"
	"strings"
)

// MaxRenderedDiffBytes bounds the Markdown one rendered diff renders: past
// it, the blocks left (unchanged ones first) are not rendered, and views
// show their source instead. Two revisions of a page at the size limit
// hold twice that at most.
const MaxRenderedDiffBytes = 1 << 20

// MaxRenderedDiffBlocks bounds the blocks one rendered diff renders, as
// MaxRenderedDiffBytes bounds their bytes: each costs a rendering of its
// own, and a large page changed in many places has thousands of small
// ones.
const MaxRenderedDiffBlocks = 2000

// RenderedDiffBlock is a block of a rendered diff, rendered as a page view
// is: sanitised HTML, in whose text the mark runes of DiffBlock are still
// to be turned into marks by the view.
type RenderedDiffBlock struct {
	DiffBlock
	HTML string
	// Source is set when HTML shows the Markdown as text: the block
	// rendered to nothing visible (front matter, link definitions), went
	// past a bound of the renderer, or past MaxRenderedDiffBytes.
	Source bool
}

// RenderDiff renders the rendered view of a word diff of page p that
// DiffWords returned, as actor reads the page: links to pages they may
// not read look missing. All its blocks take one diff slot and one
// rendering slot together, within one rendering's time limit, and
// MaxRenderedDiffBytes of Markdown in MaxRenderedDiffBlocks at most.
func (s *Service) RenderDiff(ctx context.Context, actor *User, p Path, wd WordDiff) ([]RenderedDiffBlock, error) {
	if err := s.authorize(ctx, actor, ActRead, p.nsOrEmpty()); err != nil {
		return nil, err
	}
	blocks := s.differ.Rendered(wd)
	out := make([]RenderedDiffBlock, len(blocks))
	for i, b := range blocks {
		out[i].DiffBlock = b
	}
	front := cutFrontMatter(out)
	// A diff slot first, as for the word diff: there are fewer of them
	// than rendering slots, so that readers asking for many rendered
	// diffs at once leave page views and saves a rendering slot.
	release, err := s.diffs.acquire(ctx)
	if err != nil {
		return nil, err
	}
	defer release()
	_, err = s.renders.run(ctx, func(ctx context.Context) (*Rendered, error) {
		budget := renderBudget{bytes: MaxRenderedDiffBytes, blocks: MaxRenderedDiffBlocks}
		// Changed blocks first: when the budget runs out, what is left
		// unrendered is the page around them.
		for _, changed := range []bool{true, false} {
			for i := range out {
				b := &out[i]
				if isChangedBlock(b.DiffBlock) != changed {
					continue
				}
				if err := s.renderDiffBlock(ctx, actor, p, b, front[i], &budget); err != nil {
					return nil, err
				}
			}
		}
		return nil, nil
	})
	return out, err
}

// renderBudget is what a rendered diff may still render.
type renderBudget struct{ bytes, blocks int }

// isChangedBlock reports whether b shows a change.
func isChangedBlock(b DiffBlock) bool { return b.Op != SegEqual || b.Marked || b.Kind != BlockSame }

// renderDiffBlock renders b, or shows its source when it cannot be
// rendered or the budget is spent.
func (s *Service) renderDiffBlock(ctx context.Context, actor *User, p Path, b *RenderedDiffBlock, body int, budget *renderBudget) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	md, prefix := b.Markdown, ""
	switch {
	case body < 0: // all front matter: a page view does not show it
		if isChangedBlock(b.DiffBlock) {
			b.HTML, b.Source = sourceHTML(md), true
		}
		return nil
	case body > 0: // the end of the front matter, then the page
		if isChangedBlock(b.DiffBlock) && !isBlank(md[:body]) {
			prefix = sourceHTML(md[:body])
		}
		md = md[body:]
	}
	if len(md) > budget.bytes || budget.blocks == 0 {
		budget.bytes = 0
		b.HTML, b.Source = prefix+sourceHTML(md), true
		return nil
	}
	budget.bytes -= len(md)
	budget.blocks--
	r, err := s.renderNow(ctx, p, md, actor)
	var werr *Error
	switch {
	case err == nil && (r.HTML != "" || isBlank(md)):
		b.HTML = prefix + r.HTML
	case err == nil, errors.As(err, &werr) && (werr.Code == ETooLarge || werr.Code == EInvalid):
		b.HTML, b.Source = prefix+sourceHTML(md), true
	default:
		return err
	}
	return nil
}

// cutFrontMatter tells, for each block, where the page's body starts in
// its Markdown: 0 for a block of the body, -1 for one inside the front
// matter, else just past the front matter's closing line. Rendered
// alone, a piece of front matter would read as a rule and text.
func cutFrontMatter(blocks []RenderedDiffBlock) []int {
	body := make([]int, len(blocks))
	if len(blocks) == 0 || !strings.HasPrefix(blocks[0].Markdown, "---\n") {
		return body
	}
	off := len("---\n") // the opening line
	for i, b := range blocks {
		md := b.Markdown
		for off < len(md) {
			end := strings.IndexByte(md[off:], '\n') + off + 1
			if end == off {
				end = len(md)
			}
			if l := strings.TrimRight(md[off:end], " \t\r\n"); l == "---" || l == "..." {
				body[i] = end
				return body
			}
			off = end
		}
		body[i], off = -1, 0
	}
	// Without a closing line there is no front matter: all is Markdown.
	return make([]int, len(blocks))
}

// sourceHTML shows Markdown as preformatted text; its mark runes stay.
func sourceHTML(md string) string {
	return `<pre class="source">` + html.EscapeString(md) + "</pre>\n"
}

// isBlank reports whether s holds only white space.
func isBlank(s string) bool {
	for _, c := range s {
		if c != ' ' && c != '\n' && c != '\t' && c != '\r' {
			return false
		}
	}
	return true
}
