package wiki

import "strings"

// LinkRef is one wiki link where a page's Markdown has it, so that a change
// of the target (a move) can rewrite the link in place without parsing the
// text again, leaving every other byte as the author wrote it. Offsets are
// in bytes into the text given to the renderer, front matter included.
type LinkRef struct {
	Start, End int // the whole "[[…]]"
	// TargetStart and TargetEnd hold the target as written, without the
	// "#anchor", the "|label" and the blanks around it. A link without a
	// label shows its target: rewriting the target alone changes the
	// words shown, which a caller keeps by writing "new|old words".
	TargetStart, TargetEnd int
	Path                   Path // the canonical target; zero when it cannot be resolved
	// ByTitle is set when the link reached Path by the page's title: a
	// move of the page does not change where it goes.
	ByTitle bool
}

// RewriteLinks returns src with the target of each link of refs replaced by
// what fn gives for it when fn says ok; everything else stays as it was.
// refs are the LinkRefs the renderer gave for src. Spans out of order, out
// of src or not around a "[[…]]" mean they were not: that is an internal
// error, and src is not rewritten.
func RewriteLinks(src string, refs []LinkRef, fn func(LinkRef) (target string, ok bool)) (string, error) {
	var b strings.Builder
	done, prev := 0, 0 // written up to done; the last link ended at prev
	for _, l := range refs {
		if l.Start < prev || l.Start > l.TargetStart || l.TargetStart > l.TargetEnd || l.TargetEnd > l.End ||
			l.End > len(src) || !strings.HasPrefix(src[l.Start:l.End], "[[") || !strings.HasSuffix(src[l.Start:l.End], "]]") {
			return src, Errorf(EInternal, "link span %d-%d does not fit the text (%d bytes, previous link ending at %d)", l.Start, l.End, len(src), prev)
		}
		prev = l.End
		target, ok := fn(l)
		if !ok {
			continue
		}
		if done == 0 {
			b.Grow(len(src))
		}
		b.WriteString(src[done:l.TargetStart])
		b.WriteString(target)
		done = l.TargetEnd
	}
	if done == 0 {
		return src, nil
	}
	b.WriteString(src[done:])
	return b.String(), nil
}
