package wiki

import "context"

// Watchlist is what a member watches and the latest changes to it.
type Watchlist struct {
	Items   []WatchItem
	Changes []WatchedChange // newest first
	// Next, when not 0, asks for the older changes: pass it as before.
	Next uint64
}

// WatchItem is one watched thing with its title (the page's, or the
// namespace's).
type WatchItem struct {
	Watched
	Title string
}

// WatchedChange is a change to a watched page, Unseen when it is newer
// than Seen, the revision of the page the member last viewed (0: never).
type WatchedChange struct {
	Change
	Seen   int
	Unseen bool
}

// watchSet is what a member watches and may read, for lookups.
type watchSet struct {
	pages map[Path]bool
	nss   map[string]bool
}

func (w watchSet) has(ch Change) bool {
	return ch.Kind.IsPage() && (w.pages[ch.Path] || w.nss[ch.Path.Namespace()])
}

func (w watchSet) empty() bool { return len(w.pages)+len(w.nss) == 0 }

// watchSetOf returns what actor watches among what readable holds, as a
// set and in the store's order.
func (s *Service) watchSetOf(ctx context.Context, actor *User, readable NamespaceSet) (watchSet, []Watched, error) {
	ws, err := s.store.Watches(ctx, actor.Login, maxWatches)
	if err != nil {
		return watchSet{}, nil, err
	}
	set := watchSet{pages: map[Path]bool{}, nss: map[string]bool{}}
	kept := ws[:0]
	for _, w := range ws {
		if !readable.Has(w.ns()) {
			continue
		}
		if w.Namespace != "" {
			set.nss[w.Namespace] = true
		} else {
			set.pages[w.Path] = true
		}
		kept = append(kept, w)
	}
	return set, kept, nil
}

// Watchlist returns what actor watches and may read, and up to limit
// changes to it with Seq < before (0: from the newest), newest first.
// Whatever is watched, one call reads at most maxWatches keys and
// maxWatchScan entries of the change log.
func (s *Service) Watchlist(ctx context.Context, actor *User, limit int, before uint64) (Watchlist, error) {
	readable, err := s.readable(ctx, actor)
	if err != nil {
		return Watchlist{}, err
	}
	set, ws, err := s.watchSetOf(ctx, actor, readable)
	if err != nil {
		return Watchlist{}, err
	}
	var out Watchlist
	for _, w := range ws {
		if len(out.Items) == maxWatchItems {
			break
		}
		out.Items = append(out.Items, WatchItem{Watched: w, Title: s.watchTitle(ctx, w)})
	}
	if set.empty() {
		return out, nil
	}
	if out.Changes, out.Next, err = s.watchedChanges(ctx, set, clampLimit(limit), before); err != nil {
		return Watchlist{}, err
	}
	return out, s.markUnseen(ctx, actor, out.Changes)
}

// watchedChanges reads the log newest first from before, in parts, until
// it has limit changes in set or has read maxWatchScan entries. next is
// where to go on from, 0 at the log's start. The store is asked for every
// namespace: with a filter it would walk the log as far as it takes to
// fill a part; set holds only what the reader may read.
func (s *Service) watchedChanges(ctx context.Context, set watchSet, limit int, before uint64) (out []WatchedChange, next uint64, err error) {
	for scanned := 0; scanned < maxWatchScan; {
		part, err := s.store.Changes(ctx, ChangeQuery{Before: before, Limit: watchScanPart})
		if err != nil {
			return nil, 0, err
		}
		for _, ch := range part {
			scanned++
			before = ch.Seq
			if set.has(ch) {
				out = append(out, WatchedChange{Change: ch})
				if len(out) == limit {
					return out, before, nil
				}
			}
		}
		if len(part) < watchScanPart || before <= 1 {
			return out, 0, nil
		}
	}
	return out, before, nil
}

// markUnseen sets Unseen on the changes newer than what actor last viewed.
func (s *Service) markUnseen(ctx context.Context, actor *User, chs []WatchedChange) error {
	paths := make([]Path, 0, len(chs))
	for _, c := range chs {
		paths = append(paths, c.Path)
	}
	seen, err := s.SeenRevs(ctx, actor, paths)
	if err != nil {
		return err
	}
	for i := range chs {
		chs[i].Seen = seen[chs[i].Path]
		chs[i].Unseen = chs[i].Rev > chs[i].Seen
	}
	return nil
}

// watchTitle is a watched thing's title: the namespace's, the page's (its
// path's when it has none or does not exist).
func (s *Service) watchTitle(ctx context.Context, w Watched) string {
	if w.Namespace != "" {
		s.nsMu.RLock()
		defer s.nsMu.RUnlock()
		return s.ns[w.Namespace].Title
	}
	if h, err := s.store.Head(ctx, w.Path); err == nil && h.Title != "" {
		return h.Title
	}
	return w.Path.DefaultTitle()
}

// MarkSeen records, for each of paths actor may read, the page's current
// revision as seen. At most maxWatchItems paths are read; deleted and
// missing pages are skipped.
func (s *Service) MarkSeen(ctx context.Context, actor *User, paths []Path) error {
	readable, err := s.readable(ctx, actor)
	if err != nil {
		return err
	}
	for i, p := range paths {
		if i == maxWatchItems {
			break
		}
		if !readable.Has(p.Namespace()) {
			continue
		}
		h, err := s.store.Head(ctx, p)
		if ErrorCode(err) == ENotFound || (err == nil && h.Deleted) {
			continue
		}
		if err != nil {
			return err
		}
		s.visits.record(actor.Login, p, h.Rev)
	}
	return nil
}
