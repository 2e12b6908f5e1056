package textdiff

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/kdecole-club/clubwiki/wiki"
)

// Rendered diffs: the word diff cut into blocks of Markdown for the page
// renderer (wiki.DiffBlock tells how they are rendered and marked). The
// marks go inside Markdown only where they are plain text: a change
// inside a heading, a link, an image, inline HTML, an escape or a bare
// address, or one that adds or removes Markdown syntax, shows instead the
// block's old and new versions whole.

// Rendered implements wiki.Differ with RenderBlocks.
func (Differ) Rendered(wd wiki.WordDiff) []wiki.DiffBlock { return RenderBlocks(wd) }

// RenderBlocks returns the blocks of the rendered diff of wd, in order.
func RenderBlocks(wd wiki.WordDiff) []wiki.DiffBlock {
	var out []wiki.DiffBlock
	front := frontMatterLines(wd)
	for i, b := range wd.Blocks {
		// A change in front matter, or above a heading's underline, is
		// shown whole (see marked).
		plain := b.ToLine > front && !underline(nextLine(wd.Blocks[i+1:]))
		switch b.Kind {
		case wiki.BlockSame:
			for _, md := range markdownBlocks(clean(b.Segments[0].Text)) {
				out = append(out, wiki.DiffBlock{Kind: b.Kind, Op: wiki.SegEqual, Markdown: md})
			}
		case wiki.BlockMovedFrom:
			out = append(out, wiki.DiffBlock{Kind: b.Kind, Op: wiki.SegDelete, Markdown: clean(b.Segments[0].Text)})
		case wiki.BlockMovedTo:
			// Its old version is shown at its old place already.
			if md, ok := marked(b.Edits); b.Edits != nil && plain && ok {
				out = append(out, wiki.DiffBlock{Kind: b.Kind, Op: wiki.SegEqual, Markdown: md, Marked: true})
				continue
			}
			out = append(out, wiki.DiffBlock{Kind: b.Kind, Op: wiki.SegInsert, Markdown: clean(b.Segments[0].Text)})
		default:
			out = appendChanged(out, b.Kind, b.Segments, plain)
		}
	}
	return out
}

// frontMatterLines returns how many lines of the new text its front
// matter takes, 0 without one.
func frontMatterLines(wd wiki.WordDiff) int {
	const most = 64 << 10 // front matter is short: no need to see more
	var sb strings.Builder
	for _, b := range wd.Blocks {
		for _, s := range b.Segments {
			if s.Op != wiki.SegDelete && sb.Len() < most {
				sb.WriteString(s.Text[:min(len(s.Text), most)])
			}
		}
	}
	s := sb.String()
	if !strings.HasPrefix(s, "---\n") {
		return 0
	}
	for n, line := range strings.SplitAfter(s, "\n")[1:] {
		if strings.TrimSpace(line) == "---" {
			return n + 2
		}
	}
	return 0
}

// nextLine returns the first line of the new text of bs, "" when longer
// than a heading's underline ever is.
func nextLine(bs []wiki.WordBlock) string {
	const most = 256
	var sb strings.Builder
	for _, b := range bs {
		for _, s := range b.Segments {
			if s.Op == wiki.SegDelete {
				continue
			}
			line, _, found := strings.Cut(s.Text[:min(len(s.Text), most+1)], "\n")
			if sb.WriteString(line); sb.Len() > most {
				return ""
			}
			if found {
				return sb.String()
			}
		}
	}
	return sb.String()
}

// appendChanged appends the blocks of a changed run: one marked block when
// plain is set and every change is plain text, else its old and new
// versions whole.
func appendChanged(out []wiki.DiffBlock, kind wiki.BlockKind, segs []wiki.Segment, plain bool) []wiki.DiffBlock {
	if md, ok := marked(segs); plain && ok {
		return append(out, wiki.DiffBlock{Kind: kind, Op: wiki.SegEqual, Markdown: md, Marked: true})
	}
	old, neu := wiki.SegmentTexts(segs)
	if old != "" {
		out = append(out, wiki.DiffBlock{Kind: kind, Op: wiki.SegDelete, Markdown: clean(old)})
	}
	if neu != "" {
		out = append(out, wiki.DiffBlock{Kind: kind, Op: wiki.SegInsert, Markdown: clean(neu)})
	}
	return out
}

// marked returns the Markdown of segs with the changes between marks, and
// whether the marks are safe there (see plainChange).
func marked(segs []wiki.Segment) (string, bool) {
	var sb strings.Builder
	for _, s := range segs {
		text := clean(s.Text)
		if s.Op == wiki.SegEqual {
			sb.WriteString(text)
			continue
		}
		if !plainChange(sb.String(), text) {
			return "", false
		}
		open, end := wiki.MarkInsStart, wiki.MarkInsEnd
		if s.Op == wiki.SegDelete {
			open, end = wiki.MarkDelStart, wiki.MarkDelEnd
		}
		sb.WriteRune(open)
		sb.WriteString(text)
		sb.WriteRune(end)
	}
	md := sb.String()
	for _, line := range strings.Split(md, "\n") {
		if underline(line) || strings.ContainsAny(line, string([]rune{wiki.MarkInsStart, wiki.MarkDelStart})) && !plainLine(line) {
			return "", false
		}
	}
	return md, true
}

// underline reports whether line can underline a heading (or be a rule):
// a heading's text becomes its id attribute, where marks cannot go.
func underline(line string) bool {
	t := strings.TrimSpace(line)
	return t != "" && (strings.Trim(t, "=") == "" || strings.Trim(t, "-") == "")
}

// plainChange reports whether a changed text, written after before, is
// plain words: no Markdown syntax of its own, no new line, and not at a
// line's start unless it starts with a letter.
func plainChange(before, change string) bool {
	atStart := before == "" || strings.HasSuffix(before, "\n")
	if r, _ := utf8.DecodeRuneInString(change); atStart && !unicode.IsLetter(r) {
		return false
	}
	for _, r := range change {
		if !(unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) || r == ' ' || r == '\u00a0' ||
			strings.ContainsRune(",.;:?!'’«»()\"%–—…/-", r)) {
			return false
		}
	}
	return true
}

// plainLine reports whether marks may go anywhere in the text of line: it
// is no heading, and holds no link, image, inline HTML, entity, escape
// or bare address, whose text becomes an attribute or a destination.
func plainLine(line string) bool {
	t := strings.TrimLeft(line, " ")
	if strings.HasPrefix(t, "#") || strings.ContainsAny(line, "[]<>&\\") {
		return false
	}
	return !strings.Contains(line, "://") && !strings.Contains(line, "www.")
}

// clean replaces the mark runes in page text, so that only the differ's
// marks are marks.
func clean(s string) string {
	for _, m := range []rune{wiki.MarkInsStart, wiki.MarkInsEnd, wiki.MarkDelStart, wiki.MarkDelEnd} {
		s = strings.ReplaceAll(s, string(m), string(utf8.RuneError))
	}
	return s
}

// isMark reports whether r is one of the mark runes.
func isMark(r rune) bool { return r >= wiki.MarkInsStart && r <= wiki.MarkDelEnd }

// markdownBlocks cuts unchanged Markdown into blocks after each run of
// blank lines, so that views can fold them one by one; a fenced code
// block, blank lines and all, stays whole.
func markdownBlocks(s string) []string {
	var out []string
	start, fence, blankRun := 0, "", false
	for i := 0; i < len(s); {
		j := strings.IndexByte(s[i:], '\n') + 1
		if j == 0 {
			j = len(s) - i
		}
		line := s[i : i+j]
		isBlank := strings.TrimSpace(line) == ""
		if blankRun && !isBlank && fence == "" && strings.TrimSpace(s[start:i]) != "" {
			out = append(out, s[start:i])
			start = i
		}
		blankRun = isBlank
		fence = fenceState(fence, strings.TrimLeft(line, " "))
		i += j
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}

// fenceState returns the fence open after line: "" outside a fenced code
// block, else its opening run of ` or ~.
func fenceState(fence, line string) string {
	if fence != "" {
		if strings.HasPrefix(line, fence) && strings.TrimSpace(strings.TrimLeft(line, fence[:1])) == "" {
			return ""
		}
		return fence
	}
	for _, c := range []string{"```", "~~~"} {
		if strings.HasPrefix(line, c) {
			n := len(line) - len(strings.TrimLeft(line, c[:1]))
			return line[:n]
		}
	}
	return ""
}
