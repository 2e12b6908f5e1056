package wiki

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"
)

// namespaceList is the Service's copy of the namespaces and their rules
// (rules.go), which every path, every list and the policy check: it follows the change log, so that a namespace
// created through the store (the CLI, another process) appears without a
// restart. It is derived and held in memory: at start it is loaded whole,
// with the log's sequence read before the load as its cursor.
type namespaceList struct {
	s      *Service
	cursor atomic.Uint64 // the last change the list reflects
	mu     sync.Mutex    // one reload at a time, so none undoes a newer one
}

var _ Applier = (*namespaceList)(nil)

func (l *namespaceList) Cursor(context.Context) (uint64, error) { return l.cursor.Load(), nil }

// Apply reloads the list when the changes hold a namespace or a permission
// event (a rule, a group); the
// reload reads the store as it is now, at least as new as the changes.
func (l *namespaceList) Apply(ctx context.Context, changes []Change) (uint64, error) {
	last := changes[len(changes)-1].Seq
	for _, c := range changes {
		if c.Kind == KindNamespaceCreate || c.Kind == KindNamespaceUpdate || c.Kind == KindPermission {
			return last, l.reload(ctx, last)
		}
	}
	l.advance(last)
	return last, nil
}

// reload loads the namespaces and moves the cursor to seq, which the
// caller read before the load.
func (l *namespaceList) reload(ctx context.Context, seq uint64) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if err := l.s.loadNamespaces(ctx); err != nil {
		return err
	}
	l.advance(seq)
	return nil
}

// advance moves the cursor forward only: a reload that ran meanwhile may
// already be further.
func (l *namespaceList) advance(seq uint64) {
	for {
		cur := l.cursor.Load()
		if seq <= cur || l.cursor.CompareAndSwap(cur, seq) {
			return
		}
	}
}

// follower applies the log to the list; the watch wakes it at each commit.
func (l *namespaceList) follower() *Follower {
	return &Follower{Log: l.s.store, Applier: l, Watch: l.s.store.Watch, Name: "namespace list"}
}

// Follow keeps what the Service derives from the change log (the namespace
// list) in step with it until ctx ends: the server runs it, so that a
// namespace created by another writer of the store shows in lists without
// a restart. Reads that must see the newest namespaces (a path in an
// unknown namespace, a rendering) load them by themselves when the log
// moved past the list.
// Failures are logged on log (nil: not logged) and tried again.
func (s *Service) Follow(ctx context.Context, log *slog.Logger) error {
	f := s.names.follower()
	f.Poll, f.Logger = time.Minute, log
	return f.Run(ctx)
}

// loadNamespacesAt loads the namespace list whole, as of the log's
// current sequence. It reads the namespaces, not the log's entries: a
// damaged entry stops the follower, not the reads that need the list.
func (s *Service) loadNamespacesAt(ctx context.Context) error {
	seq, err := s.store.LastSeq(ctx)
	if err != nil {
		return err
	}
	return s.names.reload(ctx, seq)
}

func (s *Service) loadNamespaces(ctx context.Context) error {
	list, err := s.store.Namespaces(ctx)
	if err != nil {
		return err
	}
	rules, err := s.store.Rules(ctx)
	if err != nil {
		return err
	}
	m := make(map[string]Namespace, len(list))
	for _, ns := range list {
		m[ns.Key] = ns
	}
	s.nsMu.Lock()
	s.ns, s.rules = m, rules
	s.nsMu.Unlock()
	return nil
}

// IsNamespace reports whether key is an existing namespace.
func (s *Service) IsNamespace(key string) bool {
	s.nsMu.RLock()
	defer s.nsMu.RUnlock()
	_, ok := s.ns[key]
	return ok
}

// knowsNamespace is IsNamespace for a path a user gives: for a key the
// list does not hold, the list is loaded again when the log moved past
// it, in case another writer created the namespace a moment ago. Keys
// that do not exist cost one read of the log's sequence.
func (s *Service) knowsNamespace(ctx context.Context, key string) (bool, error) {
	if s.IsNamespace(key) {
		return true, nil
	}
	seq, err := s.store.LastSeq(ctx)
	if err != nil {
		return false, err
	}
	if seq > s.names.cursor.Load() {
		if err := s.names.reload(ctx, seq); err != nil {
			return false, err
		}
	}
	return s.IsNamespace(key), nil
}

// linkState reads where the log stands before a rendering: its Links is
// what the rendering is cached under. The namespace list is brought up to
// it first, so that a rendering cached under it resolved its links with
// the namespaces it implies.
func (s *Service) linkState(ctx context.Context) (LogState, error) {
	st, err := s.store.State(ctx)
	if err != nil {
		return LogState{}, err
	}
	if st.Links > s.names.cursor.Load() {
		err = s.names.reload(ctx, st.Seq)
	}
	return st, err
}
