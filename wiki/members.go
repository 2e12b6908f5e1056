package wiki

import (
	"context"
	"slices"
	"strings"
)

// initGroups creates the configured groups that are missing.
func (s *Service) initGroups(ctx context.Context) error {
	have, err := s.store.Groups(ctx)
	if err != nil {
		return err
	}
	for _, g := range s.cfg.Groups {
		if slices.ContainsFunc(have, func(h Group) bool { return h.Name == g.Name }) {
			continue
		}
		if err := checkGroup(g); err != nil {
			return err
		}
		if err := s.store.PutGroup(ctx, g, SystemAuthor); err != nil {
			return err
		}
	}
	return nil
}

// Groups lists the groups, for actor (any member: a group's name tells
// nothing of the pages).
func (s *Service) Groups(ctx context.Context, actor *User) ([]Group, error) {
	if err := s.authorize(ctx, actor, ActRead, ""); err != nil {
		return nil, err
	}
	return s.store.Groups(ctx)
}

// PutGroup creates a group or changes its title, by an admin.
func (s *Service) PutGroup(ctx context.Context, actor *User, g Group) error {
	if err := s.authorize(ctx, actor, ActAdmin, ""); err != nil {
		return err
	}
	g.Name, g.Title = strings.ToLower(strings.TrimSpace(g.Name)), strings.TrimSpace(g.Title)
	if err := checkGroup(g); err != nil {
		return err
	}
	return s.store.PutGroup(ctx, g, actor.Login)
}

// NamespaceRules returns the rules of namespace ns, for an admin:
// OpenRules when it has none of its own.
func (s *Service) NamespaceRules(ctx context.Context, actor *User, ns string) (Rules, error) {
	if err := s.adminOf(ctx, actor, ns); err != nil {
		return Rules{}, err
	}
	all, err := s.store.Rules(ctx)
	if err != nil {
		return Rules{}, err
	}
	if r, ok := all[ns]; ok {
		return r, nil
	}
	return OpenRules(), nil
}

// SetNamespaceRules sets the rules of namespace ns, by an admin. Every
// group a rule names must exist. The change is in the change log; the
// policy follows it before this returns, so that the next request of
// every member is answered by the new rules.
func (s *Service) SetNamespaceRules(ctx context.Context, actor *User, ns string, r Rules) (Rules, error) {
	if err := s.adminOf(ctx, actor, ns); err != nil {
		return Rules{}, err
	}
	if r.Read == nil || r.Edit == nil {
		return Rules{}, Errorf(EInvalid, "a rule needs both read and edit")
	}
	r = Rules{Read: r.Read.normalize(), Edit: r.Edit.normalize()}
	if err := s.checkGroupsExist(ctx, append(slices.Clone(r.Read), r.Edit...)); err != nil {
		return Rules{}, err
	}
	if err := s.store.PutRules(ctx, ns, r, actor.Login); err != nil {
		return Rules{}, err
	}
	return r, s.loadNamespacesAt(ctx)
}

// adminOf checks that actor is an admin, then that ns is a namespace they
// read (one a configured ReadRule hides is an unknown one to them).
func (s *Service) adminOf(ctx context.Context, actor *User, ns string) error {
	if err := s.authorize(ctx, actor, ActAdmin, ""); err != nil {
		return err
	}
	if ok, err := s.knowsNamespace(ctx, ns); err != nil || !ok || !s.readsNamespace(actor, ns) {
		return orNotFound(err, "no namespace %q", ns)
	}
	return nil
}

// NamespaceRules is a namespace's key and rules.
type NamespaceRules struct {
	Key string
	Rules
}

// AllRules returns the rules of every namespace actor, an admin, reads,
// in the namespaces' order.
func (s *Service) AllRules(ctx context.Context, actor *User) ([]NamespaceRules, error) {
	readable, err := s.readable(ctx, actor)
	if err == nil {
		err = s.authorize(ctx, actor, ActAdmin, "")
	}
	if err != nil {
		return nil, err
	}
	list, err := s.store.Namespaces(ctx)
	if err != nil {
		return nil, err
	}
	all, err := s.store.Rules(ctx)
	if err != nil {
		return nil, err
	}
	var out []NamespaceRules
	for _, ns := range list {
		if !readable.Has(ns.Key) {
			continue
		}
		r, ok := all[ns.Key]
		if !ok {
			r = OpenRules()
		}
		out = append(out, NamespaceRules{ns.Key, r})
	}
	return out, nil
}

// checkGroupsExist refuses names that are not groups (Everyone passes).
func (s *Service) checkGroupsExist(ctx context.Context, names []string) error {
	groups, err := s.store.Groups(ctx)
	if err != nil {
		return err
	}
	for _, n := range names {
		if n == Everyone {
			continue
		}
		if !slices.ContainsFunc(groups, func(g Group) bool { return g.Name == n }) {
			return Errorf(EInvalid, "unknown group %q (create it with clubwiki group add)", n)
		}
	}
	return nil
}

func orNotFound(err error, format string, args ...any) error {
	if err != nil {
		return err
	}
	return Errorf(ENotFound, format, args...)
}

// Members lists the members with role, groups and state, for an admin,
// by login: at most limit from offset, and how many there are.
func (s *Service) Members(ctx context.Context, actor *User, limit, offset int) ([]User, int, error) {
	if err := s.authorize(ctx, actor, ActAdmin, ""); err != nil {
		return nil, 0, err
	}
	users, err := s.store.Users(ctx)
	if err != nil {
		return nil, 0, err
	}
	return window(users, limit, offset)
}

// window returns at most limit items of list from offset (the API's list
// limits, clampLimit) and how many there are in all.
func window[T any](list []T, limit, offset int) ([]T, int, error) {
	if offset < 0 {
		return nil, 0, Errorf(EInvalid, "offset must be 0 or more")
	}
	from := min(offset, len(list))
	to := min(from+clampLimit(limit), len(list))
	return list[from:to], len(list), nil
}

// MemberChange is what an admin changes of a member; nil fields stay.
type MemberChange struct {
	Role     *Role
	Groups   []string // nil: unchanged; empty: no group
	Disabled *bool
}

// UpdateMember changes a member's role, groups or state, by an admin (or
// the system, for the command line). It takes effect at the member's next
// request: sessions and tokens read the member afresh. An admin may not
// disable themselves nor give up their own role, which could leave the
// wiki without one.
func (s *Service) UpdateMember(ctx context.Context, actor *User, login string, c MemberChange) (User, error) {
	if err := s.authorize(ctx, actor, ActAdmin, ""); err != nil {
		return User{}, err
	}
	u, err := s.store.User(ctx, strings.ToLower(strings.TrimSpace(login)))
	if err != nil {
		return User{}, err
	}
	if c.Role != nil {
		if !c.Role.Valid() {
			return User{}, Errorf(EInvalid, "unknown role %q (reader, editor or admin)", *c.Role).Because(ReasonRoleUnknown)
		}
		if u.Login == actor.Login && *c.Role != RoleAdmin {
			return User{}, Errorf(EInvalid, "an admin may not give up their own role; ask another admin")
		}
		u.Role = *c.Role
	}
	if c.Groups != nil {
		if u.Groups, err = s.memberGroups(ctx, c.Groups); err != nil {
			return User{}, err
		}
	}
	if c.Disabled != nil {
		if u.Login == actor.Login && *c.Disabled {
			return User{}, Errorf(EInvalid, "an admin may not disable themselves")
		}
		u.Disabled = *c.Disabled
	}
	if c.Role == nil && c.Groups == nil && c.Disabled == nil {
		return u, nil // nothing to write, nothing in the log
	}
	// The entry names the admin: the change is in the audit log.
	if err := s.store.UpdateUserBy(ctx, u, actor.Login); err != nil {
		return User{}, err
	}
	return u, nil
}

// memberGroups checks and sorts the groups given to a member.
func (s *Service) memberGroups(ctx context.Context, names []string) ([]string, error) {
	out := Rule(names).normalize()
	if out.IsAll() {
		return nil, Errorf(EInvalid, "%q is not a group", Everyone)
	}
	if err := s.checkGroupsExist(ctx, out); err != nil {
		return nil, err
	}
	return []string(out), nil
}
