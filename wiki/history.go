package wiki

import (
	"context"
	"errors"
	"strconv"
)

func itoa(n int) string { return strconv.Itoa(n) }

// Delete records a deletion revision; the history stays readable.
func (s *Service) Delete(ctx context.Context, actor *User, p Path, summary string) (int, error) {
	if err := s.authorize(ctx, actor, ActDelete, p.nsOrEmpty()); err != nil {
		return 0, err
	}
	sum, err := checkSummary(summary)
	if err != nil {
		return 0, err
	}
	seen := 0 // the head the last attempt was computed against
	return retryStale(func() (int, error) {
		head, live, err := s.head(ctx, p)
		if err != nil {
			return 0, err
		}
		if !live {
			return 0, s.followMove(ctx, actor, p, Errorf(ENotFound, "the page %s does not exist or is already deleted", p))
		}
		seen = head.Rev
		ch, err := s.commit(ctx, Commit{
			Path: p, ExpectRev: head.Rev, Kind: KindDelete, Author: actor.Login,
			Summary: sum, Deleted: true, Title: head.Title,
		})
		return ch.Rev, err
	}, func() error {
		return s.raceLost(ctx, p, seen, "")
	})
}

// Revert makes a new revision whose text equals revision rev. It recreates a
// deleted page. When the head already has that text it does nothing and
// returns the head's revision with changed false.
func (s *Service) Revert(ctx context.Context, actor *User, p Path, rev int, summary string) (newRev int, changed bool, err error) {
	if err := s.authorize(ctx, actor, ActRevert, p.nsOrEmpty()); err != nil {
		return 0, false, err
	}
	sum, err := checkSummary(summary)
	if err != nil {
		return 0, false, err
	}
	var last reverted
	r, err := retryStale(func() (reverted, error) {
		r, err := s.tryRevert(ctx, actor, p, rev, sum)
		last = r
		return r, err
	}, func() error {
		return s.raceLost(ctx, p, last.base, last.text)
	})
	return r.rev, r.changed, err
}

// reverted is what one attempt of Revert did.
type reverted struct {
	rev     int
	changed bool // false: the head already had the text
	// base and text are the head the attempt was computed against and the
	// text it wanted, for the conflict when every attempt lost.
	base int
	text string
}

// tryRevert is one attempt of Revert against the current head.
func (s *Service) tryRevert(ctx context.Context, actor *User, p Path, rev int, sum string) (reverted, error) {
	head, live, err := s.head(ctx, p)
	if err != nil {
		return reverted{}, err
	}
	if head.Rev == 0 {
		return reverted{}, s.followMove(ctx, actor, p, Errorf(ENotFound, "the page %s does not exist", p))
	}
	if rev < 1 || rev > head.Rev {
		return reverted{}, Errorf(EInvalid, "the page %s has no revision %d", p, rev)
	}
	target, text, err := s.store.Revision(ctx, p, rev)
	if err != nil {
		return reverted{}, err
	}
	if target.Deleted {
		return reverted{}, Errorf(EInvalid, "revision %d is a deletion; revert to the revision before it", rev)
	}
	if live {
		if _, headText, err := s.store.Revision(ctx, p, head.Rev); err != nil {
			return reverted{}, err
		} else if headText == text {
			return reverted{rev: head.Rev}, nil
		}
	}
	out, err := s.renderPage(ctx, p, text)
	if err != nil {
		return reverted{}, err
	}
	ch, err := s.commit(ctx, Commit{
		Path: p, ExpectRev: head.Rev, Kind: KindRevert, Author: actor.Login, Summary: sum,
		Markdown: text, Title: titleOf(out, p), Links: out.Links,
	})
	return reverted{rev: ch.Rev, changed: err == nil, base: head.Rev, text: text}, err
}

// History returns a page's revisions, newest first; deleted pages too.
func (s *Service) History(ctx context.Context, actor *User, p Path, limit, before int) ([]Revision, error) {
	if err := s.authorize(ctx, actor, ActRead, p.nsOrEmpty()); err != nil {
		return nil, err
	}
	if _, err := s.store.Head(ctx, p); err != nil {
		return nil, s.followMove(ctx, actor, p, err)
	}
	revs, err := s.store.History(ctx, p, clampLimit(limit), before)
	if err != nil {
		return nil, err
	}
	return revs, s.withReviews(ctx, p, revs)
}

// DiffResult is a diff between two revisions of a page: its hunks, for
// views that lay them out, and the same as a unified diff.
type DiffResult struct {
	From, To int
	Diff     // hunks and line counts
	// Words is the word diff, when asked for (DiffWords), else nil.
	Words *WordDiff
	path  Path
}

// Unified writes the diff as a unified diff labelled path@from and path@to.
// It is written on demand: the diff page lays out the hunks and never
// needs the text, which for a rewritten page is as large as both texts.
func (r DiffResult) Unified() string {
	return r.Diff.Unified(r.path.String()+"@"+itoa(r.From), r.path.String()+"@"+itoa(r.To))
}

// Diff compares revisions from and to of a page. to 0 means the head.
// Without fromSet, from is the revision before to. Revision 0 (asked for, or
// the default when to is 1) is the empty text, so a diff from it shows the
// whole page as added.
func (s *Service) Diff(ctx context.Context, actor *User, p Path, from, to int, fromSet bool) (DiffResult, error) {
	return s.diff(ctx, actor, p, from, to, fromSet, false)
}

// DiffWords is Diff with the word diff as well, computed in the same
// diff slot.
func (s *Service) DiffWords(ctx context.Context, actor *User, p Path, from, to int, fromSet bool) (DiffResult, error) {
	return s.diff(ctx, actor, p, from, to, fromSet, true)
}

// RenderedDiff returns the blocks of the rendered view of a word diff
// that DiffWords returned: the page as members read it, changes marked.
func (s *Service) RenderedDiff(wd WordDiff) []DiffBlock { return s.differ.Rendered(wd) }

// diff is Diff, and DiffWords when words is set.
func (s *Service) diff(ctx context.Context, actor *User, p Path, from, to int, fromSet, words bool) (DiffResult, error) {
	if err := s.authorize(ctx, actor, ActRead, p.nsOrEmpty()); err != nil {
		return DiffResult{}, err
	}
	head, err := s.store.Head(ctx, p)
	if err != nil {
		return DiffResult{}, s.followMove(ctx, actor, p, err)
	}
	if to == 0 {
		to = head.Rev
	}
	if !fromSet {
		from = to - 1
	}
	if to < 1 || to > head.Rev || from < 0 || from > head.Rev {
		return DiffResult{}, Errorf(EInvalid, "the page %s has revisions 1 to %d", p, head.Rev)
	}
	release, err := s.diffs.acquire(ctx)
	if err != nil {
		return DiffResult{}, err
	}
	defer release()
	a, err := s.revisionText(ctx, p, from)
	if err != nil {
		return DiffResult{}, err
	}
	b, err := s.revisionText(ctx, p, to)
	if err != nil {
		return DiffResult{}, err
	}
	d, err := s.differ.Diff(ctx, a, b)
	if err != nil {
		return DiffResult{}, err
	}
	res := DiffResult{From: from, To: to, Diff: d, path: p}
	if words {
		wd, err := s.differ.Words(ctx, a, b)
		if err != nil {
			return DiffResult{}, err
		}
		res.Words = &wd
	}
	return res, nil
}

// revisionText returns the Markdown of a revision; "" for revision 0 and
// for deletion revisions.
func (s *Service) revisionText(ctx context.Context, p Path, rev int) (string, error) {
	if rev == 0 {
		return "", nil
	}
	_, text, err := s.store.Revision(ctx, p, rev)
	return text, err
}

// Pages lists live pages ordered by path, in namespace ns ("" for all).
// A namespace actor may not read is unknown to them.
func (s *Service) Pages(ctx context.Context, actor *User, ns string, limit, offset int) ([]Head, int, error) {
	readable, err := s.readable(ctx, actor)
	if err != nil {
		return nil, 0, err
	}
	ns, err = s.namespaceFilter(ns, readable)
	if err != nil {
		return nil, 0, err
	}
	if offset < 0 {
		return nil, 0, Errorf(EInvalid, "offset must be 0 or more")
	}
	return s.store.Pages(ctx, ns, readable.narrow(ns), clampLimit(limit), offset)
}

// RecentChanges returns change-log entries, newest first.
// Only changes in the namespaces actor reads come back; the store filters.
func (s *Service) RecentChanges(ctx context.Context, actor *User, q ChangeQuery) ([]Change, error) {
	readable, err := s.readable(ctx, actor)
	if err != nil {
		return nil, err
	}
	ns, err := s.namespaceFilter(q.Namespace, readable)
	if err != nil {
		return nil, err
	}
	q.Namespace = ""
	q.Namespaces = readable.narrow(ns)
	q.Limit = clampLimit(q.Limit)
	return s.store.Changes(ctx, q)
}

// Backlinks returns the live pages that link to p.
// Links from pages actor may not read are left out by the store.
func (s *Service) Backlinks(ctx context.Context, actor *User, p Path) ([]Head, error) {
	if err := s.authorize(ctx, actor, ActRead, p.nsOrEmpty()); err != nil {
		return nil, err
	}
	// A path a move left behind answers where the page went, as its
	// other views do; a page never created keeps its backlinks (the
	// pages that wait for it).
	if _, err := s.store.Head(ctx, p); ErrorCode(err) == ENotFound {
		var moved *MovedError
		if err := s.followMove(ctx, actor, p, err); errors.As(err, &moved) {
			return nil, err
		}
	} else if err != nil {
		return nil, err
	}
	readable, err := s.readable(ctx, actor)
	if err != nil {
		return nil, err
	}
	links, err := s.store.Backlinks(ctx, p, readable)
	if err != nil {
		return nil, err
	}
	byTitle, err := s.titleBacklinks(ctx, p, readable)
	if err != nil {
		return nil, err
	}
	return mergeHeads(links, byTitle), nil
}

// namespaceFilter canonicalises a namespace given to narrow a list ("" for
// all), as page paths are: "Usages" is "usages". A key that canonicalises
// to nothing or is unknown is EInvalid rather than a silent "all"; one
// outside readable is unknown too, so that a list does not tell it exists.
func (s *Service) namespaceFilter(raw string, readable NamespaceSet) (string, error) {
	if raw == "" {
		return "", nil
	}
	if ns := Canonical(raw); s.IsNamespace(ns) && readable.Has(ns) {
		return ns, nil
	}
	return "", Errorf(EInvalid, "unknown namespace %q", truncate(raw, 80)).Because(ReasonNamespaceUnknown)
}
