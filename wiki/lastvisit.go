package wiki

import (
	"context"
	"log/slog"
	"time"
)

// Seen returns the revision of p actor last viewed, 0 if never. A page
// actor may not read is ENotFound.
func (s *Service) Seen(ctx context.Context, actor *User, p Path) (int, error) {
	if err := s.authorize(ctx, actor, ActRead, p.nsOrEmpty()); err != nil {
		return 0, err
	}
	return s.visits.seen(ctx, actor.Login, p)
}

// Visited records that actor viewed v, a page Page gave them, and returns
// the revision they had seen before (0 if never). Only a view of the head
// is a visit: an old revision is not the page as it is. The visit is
// buffered (visits.go): it costs no write on the way.
func (s *Service) Visited(ctx context.Context, actor *User, v *PageView) (int, error) {
	prev, err := s.Seen(ctx, actor, v.Path)
	if err != nil {
		return 0, err
	}
	if v.Rev == v.HeadRev && v.Rev > prev {
		s.visits.record(actor.Login, v.Path, v.Rev)
	}
	return prev, nil
}

// SeenRevs returns the revision actor last viewed of each of paths that
// they may read, 0 for those never viewed; paths they may not read are
// left out. One store read for all.
func (s *Service) SeenRevs(ctx context.Context, actor *User, paths []Path) (map[Path]int, error) {
	readable, err := s.readable(ctx, actor)
	if err != nil {
		return nil, err
	}
	keep := make([]Path, 0, len(paths))
	for _, p := range paths {
		if readable.Has(p.Namespace()) {
			keep = append(keep, p)
		}
	}
	return s.visits.seenMany(ctx, actor.Login, keep)
}

// SinceVisit is what changed in a page since a member last viewed it.
type SinceVisit struct {
	Seen, Head int
	// Authors are the display names of the authors of the revisions
	// after Seen, newest first, at most maxSinceAuthors; More counts the
	// other authors.
	Authors []string
	More    int
}

// maxSinceAuthors and maxSinceRevisions bound a page view's banner: the
// names looked up, and the revisions read to find them.
const (
	maxSinceAuthors   = 5
	maxSinceRevisions = 200
)

// SinceSeen returns who changed p after revision seen, up to head. It
// reads at most maxSinceRevisions revisions, newest first.
func (s *Service) SinceSeen(ctx context.Context, actor *User, p Path, seen, head int) (SinceVisit, error) {
	out := SinceVisit{Seen: seen, Head: head}
	if err := s.authorize(ctx, actor, ActRead, p.nsOrEmpty()); err != nil {
		return out, err
	}
	if seen >= head || seen < 1 {
		return out, nil
	}
	revs, err := s.store.History(ctx, p, min(head-seen, maxSinceRevisions), head+1)
	if err != nil {
		return out, err
	}
	met := map[string]bool{}
	for _, r := range revs {
		if r.Rev <= seen || met[r.Author] {
			continue
		}
		met[r.Author] = true
		if len(out.Authors) == maxSinceAuthors {
			out.More++
			continue
		}
		out.Authors = append(out.Authors, s.displayName(ctx, r.Author))
	}
	return out, nil
}

// displayName is a member's name, or their login when they have none or
// are not a member (the wiki's own author).
func (s *Service) displayName(ctx context.Context, login string) string {
	if u, err := s.store.User(ctx, login); err == nil && u.Name != "" {
		return u.Name
	}
	return login
}

// RunVisits writes the buffered visits every second until ctx ends, and
// once more then: a restart loses at most the last second of visits. The
// server runs it; without it, visits are written when the buffer is full.
func (s *Service) RunVisits(ctx context.Context, log *slog.Logger) {
	if log != nil {
		s.visits.log.Store(log)
	}
	t := time.NewTicker(visitFlushEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			s.FlushVisits(context.WithoutCancel(ctx))
			return
		case <-t.C:
			s.FlushVisits(ctx)
		}
	}
}

// FlushVisits writes the buffered visits now.
func (s *Service) FlushVisits(ctx context.Context) { s.visits.flush(ctx) }

// PendingVisits returns how many visits wait in memory to be written.
func (s *Service) PendingVisits() int { return s.visits.size() }
