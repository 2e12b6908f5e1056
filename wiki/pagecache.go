package wiki

import (
	"context"
	"slices"
	"strconv"
)

// rendering is a rendered text and where the change log stood before it
// was rendered: the links it marks missing are at least that new.
type rendering struct {
	out *Rendered
	st  LogState
}

// remember puts a just-saved revision in the render cache: the editor's
// redirect reads it right away, and the save already rendered it. It keeps
// it only when the links it shows are still the store's: either the set of
// pages and namespaces has not changed since the rendering, or only this
// commit changed it, with nothing else committed in between. A page this
// commit brought into existence was missing when it was rendered: a link
// to itself would keep the missing mark, so that rendering is not kept;
// nor is one with a link by the title the commit gave the page.
func (s *Service) remember(ctx context.Context, ch Change, c Commit, r rendering) {
	now, err := s.store.State(ctx)
	if err != nil {
		return // only a cache
	}
	switch {
	case now.Links == r.st.Links:
	case now.Links == ch.Seq && ch.Seq == r.st.Seq+1 && !slices.Contains(r.out.Links, c.Path) && !linksTitle(c, r.out):
	default:
		return
	}
	out := r.out
	s.cache.put(c.Path, ch.Rev, now.Links, "", &PageView{
		Path: c.Path, Namespace: c.Path.Namespace(), Title: c.Title, Rev: ch.Rev,
		Markdown: c.Markdown, HTML: out.HTML, BodyStart: out.BodyStart, Meta: out.Meta, Headings: out.Headings,
		Updated: ch.Time, Author: ch.Author, Summary: ch.Summary, ETag: s.etag(ch.Rev, now), Views: out.Views,
	})
}

// etag tags the page view of revision rev rendered as of st: it changes
// with the revision, with the set of pages and namespaces (missing-link
// marks), with the store (a data file put in the place of another numbers
// its changes alike) and with the process (a new version of clubwiki may
// render differently).
func (s *Service) etag(rev int, st LogState) string {
	id := st.Store
	if len(id) > 8 {
		id = id[:8]
	}
	return `"` + itoa(rev) + "-" + strconv.FormatUint(st.Links, 36) + "-" + id + s.boot + `"`
}

// linksTitle reports whether one of out's links, rendered from c's text,
// names c's title.
func linksTitle(c Commit, out *Rendered) bool {
	key := TitleKey(c.Title)
	for _, l := range out.LinkRefs {
		if l.TargetEnd <= len(c.Markdown) && TitleKey(c.Markdown[l.TargetStart:l.TargetEnd]) == key {
			return true
		}
	}
	return false
}
