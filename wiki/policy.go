package wiki

import (
	"context"
	"hash/fnv"
	"sort"
	"strconv"
)

// Action is what an actor asks to do; the policy decides.
type Action int

// The actions the policy knows.
const (
	ActRead   Action = iota + 1 // read pages, their history, diffs and lists
	ActEdit                     // create or change a page
	ActDelete                   // delete a page
	ActRevert                   // bring back an older revision
	ActBackup                   // download a copy of the whole store
	ActTokens                   // manage API tokens (one's own; admins any)
	ActReview                   // mark a revision as reviewed
	ActAdmin                    // manage members, groups and rules
)

// ReadRule reports whether actor may read namespace ns: a narrowing from
// configuration on top of the namespaces' rules (rules.go), which binds
// admins too; tests use it to hide one namespace from one member. Nil
// narrows nothing.
type ReadRule func(actor *User, ns string) bool

// NamespaceSet is a set of namespace keys. A nil set means "no filter" to a
// store query (its own tests, the export); the use cases always pass a
// non-nil one, so that an empty set finds nothing.
type NamespaceSet map[string]bool

// Has reports whether ns is in the set; a nil set has everything.
func (s NamespaceSet) Has(ns string) bool { return s == nil || s[ns] }

// Keys returns the keys in order.
func (s NamespaceSet) Keys() []string {
	out := make([]string, 0, len(s))
	for k := range s {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// authorize is the one gate of every use case: may actor do action in
// namespace ns ("" when the action is not about one namespace)? A
// namespace the actor may not read answers ENotFound, as a page that does
// not exist: a refusal would tell that it does.
func (s *Service) authorize(_ context.Context, actor *User, a Action, ns string) error {
	if actor == nil || actor.Disabled {
		return Errorf(EUnauthenticated, "sign in to read the wiki")
	}
	if ns != "" && !s.readsNamespace(actor, ns) {
		return Errorf(ENotFound, "no such page")
	}
	switch a {
	case ActRead, ActTokens:
		return nil
	case ActEdit, ActDelete, ActRevert, ActReview:
		if !actor.Role.CanEdit() {
			return Errorf(EForbidden, "your role (%s) may read but not edit", actor.Role)
		}
		if ns != "" && !s.editsNamespace(actor, ns) {
			// They read the namespace: saying it exists tells nothing.
			return Errorf(EForbidden, "the pages of %s are edited by some groups only", ns)
		}
		return nil
	case ActAdmin:
		if actor.Role != RoleAdmin {
			return Errorf(EForbidden, "only admins manage members, groups and rules")
		}
		return nil
	case ActBackup:
		// The copy holds every page: an admin kept out of a namespace
		// may not take it either.
		if actor.Role != RoleAdmin || !s.readsEverything(actor) {
			return Errorf(EForbidden, "only admins may download a backup")
		}
		return nil
	}
	return Errorf(EForbidden, "unknown action")
}

// Authorize tells an interface, before it starts answering, whether the
// use case behind it would refuse actor: the interface asks rather than
// repeating the rules. p may be zero when the action is about no page.
func (s *Service) Authorize(ctx context.Context, actor *User, a Action, p Path) error {
	return s.authorize(ctx, actor, a, p.nsOrEmpty())
}

// Can reports whether actor may do a at p (zero: anywhere), for showing or
// hiding buttons.
func (s *Service) Can(actor *User, a Action, p Path) bool {
	return s.authorize(context.Background(), actor, a, p.nsOrEmpty()) == nil
}

func (p Path) nsOrEmpty() string {
	if p.IsZero() {
		return ""
	}
	return p.Namespace()
}

// readsNamespace reports whether actor reads ns by the rules: admins
// always (but for the configured ReadRule), others by one of their groups.
func (s *Service) readsNamespace(actor *User, ns string) bool {
	s.nsMu.RLock()
	defer s.nsMu.RUnlock()
	return s.readsLocked(actor, ns)
}

// readsLocked is readsNamespace with nsMu held (read).
func (s *Service) readsLocked(actor *User, ns string) bool {
	if s.cfg.ReadRule != nil && !s.cfg.ReadRule(actor, ns) {
		return false
	}
	if actor.Role == RoleAdmin {
		return true
	}
	r, ok := s.rules[ns]
	return !ok || r.Read.admits(actor)
}

// editsNamespace reports whether the edit rule of ns lets actor in; the
// role and the read rule are checked apart.
func (s *Service) editsNamespace(actor *User, ns string) bool {
	if actor.Role == RoleAdmin {
		return true
	}
	s.nsMu.RLock()
	r, ok := s.rules[ns]
	s.nsMu.RUnlock()
	return !ok || r.Edit.admits(actor)
}

// authorizeTokens decides who manages login's tokens: the owner, and admins.
func (s *Service) authorizeTokens(ctx context.Context, actor *User, login string) error {
	if err := s.authorize(ctx, actor, ActTokens, ""); err != nil {
		return err
	}
	if actor.Login != login && actor.Role != RoleAdmin {
		return Errorf(EForbidden, "only your own tokens")
	}
	return nil
}

// readable returns the namespaces actor may read: what every list is
// filtered by at its source. They come from the namespaces the service
// loaded at Init, as IsNamespace's do, not from a store read per list.
func (s *Service) readable(ctx context.Context, actor *User) (NamespaceSet, error) {
	if err := s.authorize(ctx, actor, ActRead, ""); err != nil {
		return nil, err
	}
	s.nsMu.RLock()
	defer s.nsMu.RUnlock()
	out := make(NamespaceSet, len(s.ns))
	for k := range s.ns {
		if s.readsLocked(actor, k) {
			out[k] = true
		}
	}
	return out, nil
}

// narrow keeps of s the namespace ns names ("" keeps all): the set a list
// narrowed to one namespace is filtered by. Never nil.
func (s NamespaceSet) narrow(ns string) NamespaceSet {
	if ns == "" {
		return s
	}
	out := NamespaceSet{}
	if s.Has(ns) {
		out[ns] = true
	}
	return out
}

// readsEverything reports whether actor may read every namespace there is.
func (s *Service) readsEverything(actor *User) bool {
	s.nsMu.RLock()
	defer s.nsMu.RUnlock()
	for k := range s.ns {
		if !s.readsLocked(actor, k) {
			return false
		}
	}
	return true
}

// hiddenFrom names, in a few characters, the namespaces actor may not read:
// "" when they read everything. What is rendered for them is kept apart
// from what is rendered for those who read more or less; a change of a
// rule or of their groups changes it, and with it their ETags.
func (s *Service) hiddenFrom(actor *User) string {
	if actor == nil {
		return ""
	}
	s.nsMu.RLock()
	keys := make([]string, 0, len(s.ns))
	for k := range s.ns {
		if !s.readsLocked(actor, k) {
			keys = append(keys, k)
		}
	}
	s.nsMu.RUnlock()
	if len(keys) == 0 {
		return ""
	}
	sort.Strings(keys)
	h := fnv.New64a()
	for _, k := range keys {
		h.Write([]byte(k + "/"))
	}
	return strconv.FormatUint(h.Sum64(), 36)
}
