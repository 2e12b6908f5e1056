package wiki

import (
	"context"
	"errors"
	"strings"
	"time"
)

// PageView is a page (or one revision of it) ready to show. Page hands out a
// copy of the struct, but Meta and Headings are shared with the render cache
// and with every other reader of the same revision, concurrently: callers
// must treat them as read-only (copy before changing).
type PageView struct {
	Path      Path
	Namespace string
	Title     string
	Rev       int
	HeadRev   int // the page's newest revision; Rev < HeadRev for an old one
	Markdown  string
	HTML      string
	BodyStart int // where the body starts in HTML, past the title heading (see Rendered)
	Meta      map[string]any
	Headings  []Heading
	Updated   time.Time
	Author    string
	Summary   string
	// ETag identifies this exact answer: it changes with the revision and
	// whenever the set of existing pages (hence missing-link marks) does.
	ETag string
	// Unrendered is set when the text goes past a bound of the renderer
	// (it was saved before the bounds existed): HTML then shows the
	// Markdown as preformatted text.
	Unrendered *LimitError
	// Views are the page's view blocks; HTML has them filled for the
	// reader (views.go).
	Views []ViewBlock
}

// Body returns the HTML without the title heading, which a page view
// shows above it.
func (v *PageView) Body() string { return v.HTML[v.BodyStart:] }

// Page returns the page at head (rev 0) or at revision rev. A deleted page, or
// a deletion revision, is ENotFound. Its views are filled for actor.
func (s *Service) Page(ctx context.Context, actor *User, p Path, rev int) (*PageView, error) {
	return s.PageWith(ctx, actor, p, rev, PageOptions{})
}

// PageWith is Page with the reader's choices on the page's views.
func (s *Service) PageWith(ctx context.Context, actor *User, p Path, rev int, o PageOptions) (*PageView, error) {
	v, err := s.page(ctx, actor, p, rev)
	if err != nil {
		return nil, err
	}
	return v, s.fillViews(ctx, actor, v, o)
}

func (s *Service) page(ctx context.Context, actor *User, p Path, rev int) (*PageView, error) {
	if err := s.authorize(ctx, actor, ActRead, p.nsOrEmpty()); err != nil {
		return nil, err
	}
	head, err := s.store.Head(ctx, p)
	if err != nil {
		return nil, s.followMove(ctx, actor, p, err)
	}
	if rev == 0 {
		if head.Deleted {
			return nil, Errorf(ENotFound, "the page %s was deleted", p)
		}
		rev = head.Rev
	}
	if rev < 0 || rev > head.Rev {
		return nil, Errorf(ENotFound, "the page %s has no revision %d", p, rev)
	}
	st, err := s.linkState(ctx)
	if err != nil {
		return nil, err
	}
	// A reader kept out of a namespace must not tell from missing-link
	// marks which pages exist there: their rendering is that of the
	// readers kept out of the same namespaces, cached apart.
	hidden := s.hiddenFrom(actor)
	if v := s.cache.get(p, rev, st.Links, hidden); v != nil {
		out := *v
		out.HeadRev = head.Rev
		return &out, nil
	}
	r, text, err := s.store.Revision(ctx, p, rev)
	if err != nil {
		return nil, err
	}
	if r.Deleted {
		return nil, Errorf(ENotFound, "revision %d of %s is a deletion", rev, p)
	}
	out, err := s.renderPageFor(ctx, p, text, actor)
	var limit *LimitError
	if errors.As(err, &limit) {
		// Saved before the bounds existed: shown as text, and cached.
		title := ""
		if rev == head.Rev {
			title = head.Title
		}
		out, err = unrendered(title, text), nil
	}
	if err != nil {
		return nil, err
	}
	v := &PageView{
		Path: p, Namespace: p.Namespace(), Title: titleOf(out, p), Rev: r.Rev,
		Markdown: text, HTML: out.HTML, BodyStart: out.BodyStart, Meta: out.Meta, Headings: out.Headings,
		Updated: r.Time, Author: r.Author, Summary: r.Summary,
		ETag: s.etag(r.Rev, st), Unrendered: limit, Views: out.Views,
	}
	if hidden != "" {
		v.ETag = v.ETag[:len(v.ETag)-1] + "-" + hidden + `"`
	}
	s.cache.put(p, rev, st.Links, hidden, v)
	res := *v
	res.HeadRev = head.Rev
	return &res, nil
}

// renderPage renders text as the page p, through the render gate: a slot,
// and a time limit.
func (s *Service) renderPage(ctx context.Context, p Path, text string) (*Rendered, error) {
	return s.renderPageFor(ctx, p, text, nil)
}

// renderPageFor is renderPage for a reader (nil: for everyone): links to
// pages the reader may not read look missing, as if they did not exist.
func (s *Service) renderPageFor(ctx context.Context, p Path, text string, reader *User) (*Rendered, error) {
	return s.renders.run(ctx, func(ctx context.Context) (*Rendered, error) {
		return s.renderNow(ctx, p, text, reader)
	})
}

func (s *Service) renderNow(ctx context.Context, p Path, text string, reader *User) (*Rendered, error) {
	var storeErr error
	out, err := s.render.Render(ctx, []byte(text), RenderOptions{
		Page:        p,
		IsNamespace: s.IsNamespace,
		LinkPrefix:  s.cfg.LinkPrefix,
		Resolve:     s.linkResolver(ctx, p, reader, &storeErr),
	})
	if err != nil {
		return nil, err
	}
	if storeErr != nil {
		return nil, storeErr
	}
	return out, nil
}

// Preview renders Markdown as it would look saved at p, without saving.
func (s *Service) Preview(ctx context.Context, actor *User, p Path, markdown string) (*Rendered, error) {
	if err := s.authorize(ctx, actor, ActRead, p.nsOrEmpty()); err != nil {
		return nil, err
	}
	markdown, err := s.checkText(markdown)
	if err != nil {
		return nil, err
	}
	release, err := s.previews.acquire(ctx)
	if err != nil {
		return nil, err
	}
	defer release()
	out, err := s.renderPageFor(ctx, p, markdown, actor)
	if err != nil {
		return nil, err
	}
	if err := s.checkMeta(ctx, p, markdown, out.Meta); err != nil {
		return nil, err
	}
	if len(out.Views) == 0 {
		return out, nil
	}
	return out, s.previewViews(ctx, actor, out)
}

// previewViews fills a preview's views as the saved page would show them.
func (s *Service) previewViews(ctx context.Context, actor *User, out *Rendered) error {
	v := &PageView{HTML: out.HTML, BodyStart: out.BodyStart, Views: out.Views}
	if err := s.fillViews(ctx, actor, v, PageOptions{}); err != nil {
		return err
	}
	out.HTML, out.BodyStart = v.HTML, v.BodyStart
	return nil
}

func titleOf(r *Rendered, p Path) string {
	if t := strings.TrimSpace(r.Title); t != "" {
		return t
	}
	return p.DefaultTitle()
}
