package wiki

import (
	"context"
	"log/slog"
	"strings"
)

// Bounds of a watchlist: what one request may read whatever a member
// watches. A member may watch up to maxWatches things; the list shows the
// first maxWatchItems of them; the changes are found by reading the change
// log newest first, at most maxWatchScan entries per request, in parts of
// watchScanPart, each looked up in the set of what is watched.
const (
	maxWatches    = 20000
	maxWatchItems = 500
	maxWatchScan  = 5000
	watchScanPart = 500
)

// WatchTarget reads what raw names: a namespace key alone, or a page path.
func (s *Service) WatchTarget(ctx context.Context, raw string) (Watched, error) {
	if c := Canonical(raw); c != "" && !strings.Contains(c, "/") {
		if ok, err := s.knowsNamespace(ctx, c); err != nil {
			return Watched{}, err
		} else if !ok {
			return Watched{}, Errorf(ENotFound, "no namespace %q", c)
		}
		return Watched{Namespace: c}, nil
	}
	p, err := s.ResolvePath(ctx, raw)
	return Watched{Path: p}, err
}

func (w Watched) ns() string {
	if w.Namespace != "" {
		return w.Namespace
	}
	return w.Path.Namespace()
}

// Watch starts (on) or stops watching w for actor. What actor may not read
// does not exist for them.
func (s *Service) Watch(ctx context.Context, actor *User, w Watched, on bool) error {
	if err := s.authorize(ctx, actor, ActRead, w.ns()); err != nil {
		return err
	}
	if on {
		ws, err := s.store.Watches(ctx, actor.Login, maxWatches)
		if err != nil {
			return err
		}
		if len(ws) >= maxWatches {
			return Errorf(ETooLarge, "you watch %d things already, the most a watchlist holds", maxWatches)
		}
	}
	return s.store.PutWatch(ctx, actor.Login, w, on)
}

// Watching reports whether actor watches w itself (a page also counts as
// watched when its namespace is, which Watching does not say).
func (s *Service) Watching(ctx context.Context, actor *User, w Watched) (bool, error) {
	if err := s.authorize(ctx, actor, ActRead, w.ns()); err != nil {
		return false, err
	}
	return s.store.Watching(ctx, actor.Login, w)
}

// AutoWatch reports whether actor's own creations and edits are watched.
func (s *Service) AutoWatch(ctx context.Context, actor *User) (bool, error) {
	if err := s.authorize(ctx, actor, ActRead, ""); err != nil {
		return false, err
	}
	return s.store.AutoWatch(ctx, actor.Login)
}

// SetAutoWatch turns the watching of actor's own edits on or off.
func (s *Service) SetAutoWatch(ctx context.Context, actor *User, on bool) error {
	if err := s.authorize(ctx, actor, ActRead, ""); err != nil {
		return err
	}
	return s.store.SetAutoWatch(ctx, actor.Login, on)
}

// watchOwnEdit adds a page actor just saved to their watchlist when their
// setting says so. The save is done: a failure here is logged, not returned.
func (s *Service) watchOwnEdit(ctx context.Context, actor *User, p Path) {
	on, err := s.store.AutoWatch(ctx, actor.Login)
	if err == nil && on {
		w := Watched{Path: p}
		var already bool
		if already, err = s.store.Watching(ctx, actor.Login, w); err == nil && !already {
			err = s.store.PutWatch(ctx, actor.Login, w, true)
		}
	}
	if err != nil {
		slog.Default().Error("watching a page one saved", "login", actor.Login, "path", p.String(), "error", err)
	}
}
