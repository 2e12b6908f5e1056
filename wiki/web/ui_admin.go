package web

import (
	"net/http"
	"slices"
	"time"

	"github.com/kdecole-club/clubwiki/wiki"
)

// adminView is the admins' page: who reads and edits each namespace, and
// each member's role, groups and state.
type adminView struct {
	base
	Groups     []wiki.Group
	Rules      []adminRules
	Members    []adminMember
	Roles      []wiki.Role
	listWindow // of the members shown
	// Invitations wait to be used, the newest first.
	Invitations []wiki.Ticket
}

// adminRules is one namespace's row: its rules as checkboxes.
type adminRules struct {
	Key, Title string
	ReadAll    bool
	EditAll    bool
	Read, Edit map[string]bool // group name → ticked
}

type adminMember struct {
	wiki.User
	In map[string]bool // group name → member of it
	// ResetUntil is when the member's newest reset link waiting to be
	// used expires; zero when none waits.
	ResetUntil time.Time
}

func ticked(r wiki.Rule) map[string]bool {
	m := make(map[string]bool, len(r))
	for _, g := range r {
		m[g] = true
	}
	return m
}

// admin answers GET /admin; anyone but an admin gets 403.
func (s *ui) admin(w http.ResponseWriter, r *http.Request, c *uiCtx) error {
	ctx := r.Context()
	_, offset, err := listParams(r.URL.Query())
	if err != nil {
		return err
	}
	members, total, err := s.svc.Members(ctx, c.User, membersPerPage, offset)
	if err != nil {
		return err
	}
	all, err := s.svc.AllRules(ctx, c.User)
	if err != nil {
		return err
	}
	nss, err := s.svc.Namespaces(ctx, c.User)
	if err != nil {
		return err
	}
	v := adminView{base: c.base(c.L.T("admin.title")), Roles: []wiki.Role{wiki.RoleReader, wiki.RoleEditor, wiki.RoleAdmin}}
	if v.Groups, err = s.svc.Groups(ctx, c.User); err != nil {
		return err
	}
	for _, nr := range all {
		row := adminRules{Key: nr.Key, Title: nr.Key, ReadAll: nr.Read.IsAll(), EditAll: nr.Edit.IsAll(), Read: ticked(nr.Read), Edit: ticked(nr.Edit)}
		if i := slices.IndexFunc(nss, func(n wiki.NamespaceInfo) bool { return n.Key == nr.Key }); i >= 0 {
			row.Title = nss[i].Title
		}
		v.Rules = append(v.Rules, row)
	}
	resets, err := s.svc.PendingLinks(ctx, c.User, wiki.TicketReset)
	if err != nil {
		return err
	}
	until := map[string]time.Time{}
	for _, t := range resets {
		if t.Expires.After(until[t.Login]) {
			until[t.Login] = t.Expires
		}
	}
	for _, m := range members {
		v.Members = append(v.Members, adminMember{User: m, In: ticked(m.Groups), ResetUntil: until[m.Login]})
	}
	v.listWindow = windowOf("/admin", offset, len(members), membersPerPage, total)
	if v.Invitations, err = s.svc.PendingLinks(ctx, c.User, wiki.TicketInvite); err != nil {
		return err
	}
	v.Flash = c.flash()
	s.render(w, r, http.StatusOK, "admin", v)
	return nil
}

// ruleOf reads a rule from the form's ticked boxes: "*" for everyone,
// else the groups; none ticked lets only admins in.
func ruleOf(values []string) wiki.Rule {
	if slices.Contains(values, wiki.Everyone) {
		return wiki.Rule{wiki.Everyone}
	}
	return append(wiki.Rule{}, values...)
}

// adminNamespace answers POST /admin/namespaces/{key} (fields read, edit:
// "*" or group names, and form=rules, which tells the rules' form from a
// stray post that would otherwise close the namespace to all but admins).
func (s *ui) adminNamespace(w http.ResponseWriter, r *http.Request, c *uiCtx) error {
	if err := s.parseForm(w, r); err != nil {
		return err
	}
	key := r.PathValue("key")
	if _, err := s.svc.NamespaceRules(r.Context(), c.User, key); err != nil {
		return err
	}
	if r.PostFormValue("form") != "rules" {
		return wiki.Errorf(wiki.EInvalid, "send the rules' form")
	}
	rules := wiki.Rules{Read: ruleOf(r.PostForm["read"]), Edit: ruleOf(r.PostForm["edit"])}
	if _, err := s.svc.SetNamespaceRules(r.Context(), c.User, key, rules); err != nil {
		return err
	}
	s.redirectNotice(w, r, c, "/admin", "rules_saved")
	return nil
}

// adminUser answers POST /admin/users/{login} (fields role, groups,
// disabled): the member's whole row, as the form shows it.
func (s *ui) adminUser(w http.ResponseWriter, r *http.Request, c *uiCtx) error {
	if err := s.svc.Authorize(r.Context(), c.User, wiki.ActAdmin, wiki.Path{}); err != nil {
		return err
	}
	if err := s.parseForm(w, r); err != nil {
		return err
	}
	role := wiki.Role(r.PostFormValue("role"))
	if role == "" {
		return wiki.Errorf(wiki.EInvalid, "send the member's form")
	}
	disabled := r.PostFormValue("disabled") != ""
	ch := wiki.MemberChange{Role: &role, Groups: append([]string{}, r.PostForm["groups"]...), Disabled: &disabled}
	if _, err := s.svc.UpdateMember(r.Context(), c.User, r.PathValue("login"), ch); err != nil {
		return err
	}
	s.redirectNotice(w, r, c, "/admin", "member_saved")
	return nil
}

// adminGroup answers POST /admin/groups (fields name, title).
func (s *ui) adminGroup(w http.ResponseWriter, r *http.Request, c *uiCtx) error {
	if err := s.parseForm(w, r); err != nil {
		return err
	}
	g := wiki.Group{Name: r.PostFormValue("name"), Title: r.PostFormValue("title")}
	if g.Title == "" {
		g.Title = g.Name
	}
	if err := s.svc.PutGroup(r.Context(), c.User, g); err != nil {
		return err
	}
	s.redirectNotice(w, r, c, "/admin", "group_saved")
	return nil
}
