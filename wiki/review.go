package wiki

import (
	"context"
	"time"
)

// KindReview is the change-log entry of a reviewed mark: its Path and Rev
// name the revision, its Author the reviewer. It is not a page change
// (IsPage is false): recent changes do not show it, while followers (feeds,
// notifications) may react to it. Only the first mark of a revision is
// recorded; marking it again changes nothing.
const KindReview ChangeKind = "review"

// Review is the mark that a member read a revision and found it right
// (« relue »). A revision has at most one: the first reviewer is kept, so
// that a second click neither rewrites who reviewed it nor adds an entry to
// the log. Marks are per revision: a later edit leaves them as they are.
type Review struct {
	Path Path
	Rev  int
	By   string    // the reviewer's login
	Time time.Time // when it was marked, by the store's clock
}

// RevisionKey names one revision of one page.
type RevisionKey struct {
	Path Path
	Rev  int
}

// ReviewStore holds the reviewed marks.
type ReviewStore interface {
	// MarkReviewed records r (its Time is the store's) and its KindReview
	// change in one transaction, unless the revision has a mark already:
	// then it returns that mark with added false and writes nothing.
	// ENotFound when the revision is not stored.
	MarkReviewed(ctx context.Context, r Review) (mark Review, added bool, err error)
	// Reviews returns the marks of those of keys that have one, read in one
	// transaction.
	Reviews(ctx context.Context, keys []RevisionKey) (map[RevisionKey]Review, error)
}

// Review marks revision rev of p as reviewed by actor (editors and admins,
// ActReview). Marking a revision that has a mark already is no error and
// keeps the first reviewer; the mark that stands is returned.
func (s *Service) Review(ctx context.Context, actor *User, p Path, rev int) (Review, error) {
	if err := s.authorize(ctx, actor, ActReview, p.nsOrEmpty()); err != nil {
		return Review{}, err
	}
	head, err := s.store.Head(ctx, p)
	if err != nil {
		return Review{}, err
	}
	if rev < 1 || rev > head.Rev {
		return Review{}, Errorf(ENotFound, "the page %s has no revision %d", p, rev)
	}
	mark, _, err := s.store.MarkReviewed(ctx, Review{Path: p, Rev: rev, By: actor.Login})
	return mark, err
}

// withReviews fills the ReviewedBy of p's revisions with one store read.
func (s *Service) withReviews(ctx context.Context, p Path, revs []Revision) error {
	if len(revs) == 0 {
		return nil
	}
	keys := make([]RevisionKey, len(revs))
	for i, r := range revs {
		keys[i] = RevisionKey{Path: p, Rev: r.Rev}
	}
	marks, err := s.store.Reviews(ctx, keys)
	if err != nil {
		return err
	}
	for i := range revs {
		revs[i].ReviewedBy = marks[keys[i]].By
	}
	return nil
}

// Reviewed returns the marks of those of p's revisions revs that have one.
func (s *Service) Reviewed(ctx context.Context, actor *User, p Path, revs ...int) (map[int]Review, error) {
	if err := s.authorize(ctx, actor, ActRead, p.nsOrEmpty()); err != nil {
		return nil, err
	}
	keys := make([]RevisionKey, len(revs))
	for i, r := range revs {
		keys[i] = RevisionKey{Path: p, Rev: r}
	}
	marks, err := s.store.Reviews(ctx, keys)
	if err != nil {
		return nil, err
	}
	out := make(map[int]Review, len(marks))
	for k, m := range marks {
		out[k.Rev] = m
	}
	return out, nil
}
