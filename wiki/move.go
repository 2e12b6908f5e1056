package wiki

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// MaxMovePages bounds the pages one move takes: the page and its
// sub-pages. A larger tree is moved in several steps.
const MaxMovePages = 100

// MaxMoveRewrites bounds the pages whose links one move rewrites, so that
// its transaction stays short (200 take well under a second).
const MaxMoveRewrites = 1000

// MoveRequest is a move of a page to another path, across namespaces too.
type MoveRequest struct {
	From, To Path
	Summary  string
	// SubPages moves the pages under From ("From/…") along, to the same
	// places under To.
	SubPages bool
}

// MoveResult says what a move did.
type MoveResult struct {
	Path Path // where the page is now
	// Moved is every page moved, the page first, with its move revision.
	Moved []MovedPage
	// Rewritten is every other page whose links now name the new paths.
	Rewritten []Path
}

// MovedPage is one page a move took.
type MovedPage struct {
	From, To Path
	Rev      int
}

// Move moves a page, with its whole history, to another path: the old
// path redirects there, the links of other pages to it are rewritten as
// new revisions by actor, and its watchers and visits follow, all in one
// store transaction. actor edits in both namespaces. A destination where
// a page is, live or deleted, is refused (EExists): a deleted page's
// history stays where it is.
func (s *Service) Move(ctx context.Context, actor *User, req MoveRequest) (MoveResult, error) {
	for _, ns := range []string{req.From.nsOrEmpty(), req.To.nsOrEmpty()} {
		if err := s.authorize(ctx, actor, ActEdit, ns); err != nil {
			return MoveResult{}, err
		}
	}
	if req.From.IsZero() || req.To.IsZero() {
		return MoveResult{}, Errorf(EInvalid, "a move needs a page and a destination")
	}
	if req.From == req.To {
		return MoveResult{}, Errorf(EInvalid, "the page is already at %s", req.To).Because(ReasonPageExists, req.To.String())
	}
	if req.SubPages && isUnder(req.To, req.From) {
		return MoveResult{}, Errorf(EInvalid, "a page cannot move under itself with its sub-pages").Because(ReasonMoveIntoItself)
	}
	if ok, err := s.knowsNamespace(ctx, req.To.Namespace()); err != nil || !ok {
		if err == nil {
			err = Errorf(EInvalid, "unknown namespace %q", req.To.Namespace()).Because(ReasonNamespaceUnknown)
		}
		return MoveResult{}, err
	}
	sum, err := checkSummary(req.Summary)
	if err != nil {
		return MoveResult{}, err
	}
	if sum == "" {
		sum = fmt.Sprintf("Page déplacée de « %s » vers « %s »", req.From, req.To)
	}
	res, err := retryStale(func() (MoveResult, error) {
		return s.tryMove(ctx, actor, req, sum)
	}, func() error {
		return Errorf(EConflict, "the pages kept changing during the move; try again")
	})
	return res, s.followMove(ctx, actor, req.From, err)
}

// isUnder reports whether p is a sub-page of parent.
func isUnder(p, parent Path) bool { return strings.HasPrefix(p.String(), parent.String()+"/") }

// tryMove is one attempt of Move against the current heads.
func (s *Service) tryMove(ctx context.Context, actor *User, req MoveRequest, sum string) (MoveResult, error) {
	pages, err := s.movePlan(ctx, req)
	if err != nil {
		return MoveResult{}, err
	}
	mapping := make(map[Path]Path, len(pages))
	for _, pm := range pages {
		mapping[pm.From] = pm.To
	}
	for i := range pages {
		if pages[i], err = s.moveText(ctx, pages[i], mapping); err != nil {
			return MoveResult{}, err
		}
	}
	rewrites, err := s.moveRewrites(ctx, actor, mapping, req)
	if err != nil {
		return MoveResult{}, err
	}
	var chs []Change
	err = s.visits.moving(mapping, func() (err error) {
		chs, err = s.store.Move(ctx, Move{Pages: pages, Author: actor.Login, Summary: sum, Rewrites: rewrites})
		s.authored.note(chs)
		return err
	})
	if err != nil {
		return MoveResult{}, err
	}
	res := MoveResult{Path: req.To}
	for i, ch := range chs {
		if i < len(pages) {
			res.Moved = append(res.Moved, MovedPage{From: ch.From, To: ch.Path, Rev: ch.Rev})
		} else {
			res.Rewritten = append(res.Rewritten, ch.Path)
		}
	}
	return res, nil
}

// movePlan lists the pages to move, the page first, each with its
// destination, checked free, and the head it was read at.
func (s *Service) movePlan(ctx context.Context, req MoveRequest) ([]PageMove, error) {
	head, live, err := s.head(ctx, req.From)
	if err != nil {
		return nil, err
	}
	if !live {
		return nil, Errorf(ENotFound, "the page %s does not exist", req.From)
	}
	heads := []Head{head}
	if req.SubPages {
		subs, err := s.store.SubPages(ctx, req.From, MaxMovePages)
		if err != nil {
			return nil, err
		}
		if len(subs) >= MaxMovePages {
			return nil, Errorf(EInvalid, "a move takes at most %d pages; move the sub-pages in several steps", MaxMovePages).Because(ReasonMoveTooMany, MaxMovePages)
		}
		heads = append(heads, subs...)
	}
	out := make([]PageMove, 0, len(heads))
	for _, h := range heads {
		to, err := ParsePath(req.To.String() + strings.TrimPrefix(h.Path.String(), req.From.String()))
		if err != nil {
			return nil, err
		}
		if err := s.destinationFree(ctx, to); err != nil {
			return nil, err
		}
		out = append(out, PageMove{From: h.Path, To: to, ExpectRev: h.Rev})
	}
	return out, nil
}

// destinationFree refuses a destination where a page is, live or deleted
// (the store checks it again in its transaction).
func (s *Service) destinationFree(ctx context.Context, to Path) error {
	h, live, err := s.head(ctx, to)
	switch {
	case err != nil:
		return err
	case live:
		return Errorf(EExists, "a page already exists at %s", to).Because(ReasonPageExists, to.String())
	case h.Rev > 0:
		return Errorf(EExists, "a deleted page is at %s: its history stays there; choose another path", to).Because(ReasonPageDeletedThere, to.String())
	}
	return nil
}

// moveText fills the move revision of pm: the head's text with its links
// to moved pages following them, and those written relative to its
// namespace kept pointing where they did when the page changes namespace.
func (s *Service) moveText(ctx context.Context, pm PageMove, mapping map[Path]Path) (PageMove, error) {
	_, text, err := s.store.Revision(ctx, pm.From, pm.ExpectRev)
	if err != nil {
		return pm, err
	}
	text, out, err := s.relink(ctx, text, pm.From, pm.To, mapping)
	if err != nil {
		return pm, err
	}
	pm.Markdown, pm.Title, pm.Links = text, titleOf(out, pm.To), out.Links
	return pm, nil
}

// relink rewrites in place the targets of the wiki links of text, written
// at page at and shown from now on at page to, that do not lead where they
// should: a moved page's new path (mapping), or, when the page itself
// moves, the page a relative link named from its old place. Labels,
// anchors and every other byte stay as written. It returns the text and
// its rendering at to.
func (s *Service) relink(ctx context.Context, text string, at, to Path, mapping map[Path]Path) (string, *Rendered, error) {
	before, err := s.renderPage(ctx, at, text)
	if err != nil {
		return "", nil, err
	}
	after := before
	if to != at {
		if after, err = s.renderPage(ctx, to, text); err != nil {
			return "", nil, err
		}
	}
	i := -1
	out, err := RewriteLinks(text, before.LinkRefs, func(l LinkRef) (string, bool) {
		i++
		if l.Path.IsZero() || l.ByTitle {
			return "", false
		}
		want := l.Path
		if m, ok := mapping[want]; ok {
			want = m
		}
		if i < len(after.LinkRefs) && after.LinkRefs[i].Path == want {
			return "", false
		}
		return want.String(), true
	})
	if err != nil || out == text {
		return text, after, err
	}
	r, err := s.renderPage(ctx, to, out)
	return out, r, err
}

// moveRewrites computes the edits of the pages that link to the moved
// ones. A page actor may not edit keeps its links to the old path, which
// redirects; it is neither changed nor named.
func (s *Service) moveRewrites(ctx context.Context, actor *User, mapping map[Path]Path, req MoveRequest) ([]Commit, error) {
	seen := map[Path]bool{}
	var heads []Head
	for from := range mapping {
		bl, err := s.store.Backlinks(ctx, from, nil)
		if err != nil {
			return nil, err
		}
		for _, h := range bl {
			if _, moved := mapping[h.Path]; moved || seen[h.Path] || s.authorize(ctx, actor, ActEdit, h.Path.Namespace()) != nil {
				continue
			}
			seen[h.Path] = true
			heads = append(heads, h)
		}
	}
	slices.SortFunc(heads, func(a, b Head) int { return strings.Compare(a.Path.String(), b.Path.String()) })
	if len(heads) > MaxMoveRewrites {
		return nil, Errorf(EInvalid, "%d pages link to the pages moved; a move rewrites at most %d", len(heads), MaxMoveRewrites).Because(ReasonMoveTooMany, MaxMoveRewrites)
	}
	sum := fmt.Sprintf("Liens mis à jour : « %s » a été déplacée vers « %s »", req.From, req.To)
	out := make([]Commit, 0, len(heads))
	for _, h := range heads {
		_, text, err := s.store.Revision(ctx, h.Path, h.Rev)
		if err != nil {
			return nil, err
		}
		md, r, err := s.relink(ctx, text, h.Path, h.Path, mapping)
		if err != nil {
			return nil, err
		}
		if md == text {
			continue
		}
		out = append(out, Commit{
			Path: h.Path, ExpectRev: h.Rev, Kind: KindEdit, Author: actor.Login, Summary: sum,
			Minor: true, Markdown: md, Title: titleOf(r, h.Path), Links: r.Links,
		})
	}
	return out, nil
}

// SubPages returns the live pages under p that actor may read, at most
// MaxMovePages: what a move with SubPages would take along.
func (s *Service) SubPages(ctx context.Context, actor *User, p Path) ([]Head, error) {
	if err := s.authorize(ctx, actor, ActRead, p.nsOrEmpty()); err != nil {
		return nil, err
	}
	return s.store.SubPages(ctx, p, MaxMovePages)
}
