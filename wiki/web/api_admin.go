package web

import (
	"net/http"

	"github.com/kdecole-club/clubwiki/wiki"
)

// rulesJSON answers GET and PUT /api/admin/namespaces/{key}: ["*"] lets
// every member in, else the groups that may.
type rulesJSON struct {
	Key  string   `json:"key"`
	Read []string `json:"read"`
	Edit []string `json:"edit"`
}

// rulesRequest is the body of PUT /api/admin/namespaces/{key}; a rule left
// out stays as it is.
type rulesRequest struct {
	Read *[]string `json:"read"`
	Edit *[]string `json:"edit"`
}

// memberJSON is a member as GET /api/admin/users lists them.
type memberJSON struct {
	Login    string    `json:"login"`
	Name     string    `json:"name"`
	Role     wiki.Role `json:"role"`
	Groups   []string  `json:"groups"`
	Disabled bool      `json:"disabled"`
	State    string    `json:"state"` // "active" or "disabled"
}

// memberRequest is the body of PUT /api/admin/users/{login}: any of them.
type memberRequest struct {
	Role     *wiki.Role `json:"role"`
	Groups   *[]string  `json:"groups"`
	Disabled *bool      `json:"disabled"`
}

type groupJSON struct {
	Name  string `json:"name"`
	Title string `json:"title"`
}

func listOf(r []string) []string {
	if r == nil {
		return []string{}
	}
	return r
}

func toRulesJSON(key string, r wiki.Rules) rulesJSON {
	return rulesJSON{Key: key, Read: listOf(r.Read), Edit: listOf(r.Edit)}
}

func toMemberJSON(u wiki.User) memberJSON {
	m := memberJSON{Login: u.Login, Name: u.Name, Role: u.Role, Groups: listOf(u.Groups), Disabled: u.Disabled, State: "active"}
	if u.Disabled {
		m.State = "disabled"
	}
	return m
}

// adminRules answers GET /api/admin/namespaces/{key}.
func (s *api) adminRules(w http.ResponseWriter, r *http.Request, u *wiki.User) error {
	key := r.PathValue("key")
	rules, err := s.svc.NamespaceRules(r.Context(), u, key)
	if err != nil {
		return err
	}
	s.writeJSON(w, r, http.StatusOK, toRulesJSON(key, rules))
	return nil
}

// adminAllRules answers GET /api/admin/namespaces: every namespace's rules
// (addition).
func (s *api) adminAllRules(w http.ResponseWriter, r *http.Request, u *wiki.User) error {
	all, err := s.svc.AllRules(r.Context(), u)
	if err != nil {
		return err
	}
	out := struct {
		Namespaces []rulesJSON `json:"namespaces"`
	}{[]rulesJSON{}}
	for _, nr := range all {
		out.Namespaces = append(out.Namespaces, toRulesJSON(nr.Key, nr.Rules))
	}
	s.writeJSON(w, r, http.StatusOK, out)
	return nil
}

// putAdminRules answers PUT /api/admin/namespaces/{key}.
func (s *api) putAdminRules(w http.ResponseWriter, r *http.Request, u *wiki.User) error {
	key := r.PathValue("key")
	cur, err := s.svc.NamespaceRules(r.Context(), u, key)
	if err != nil {
		return err
	}
	var req rulesRequest
	if err := s.readJSON(w, r, &req, false); err != nil {
		return err
	}
	if req.Read == nil && req.Edit == nil {
		return wiki.Errorf(wiki.EInvalid, `send "read", "edit" or both: ["*"] or a list of groups`)
	}
	if req.Read != nil {
		cur.Read = listOf(*req.Read)
	}
	if req.Edit != nil {
		cur.Edit = listOf(*req.Edit)
	}
	rules, err := s.svc.SetNamespaceRules(r.Context(), u, key, cur)
	if err != nil {
		return err
	}
	s.writeJSON(w, r, http.StatusOK, toRulesJSON(key, rules))
	return nil
}

// adminUsers answers GET /api/admin/users?limit=&offset=.
func (s *api) adminUsers(w http.ResponseWriter, r *http.Request, u *wiki.User) error {
	limit, offset, err := listParams(r.URL.Query())
	if err != nil {
		return err
	}
	list, total, err := s.svc.Members(r.Context(), u, limit, offset)
	if err != nil {
		return err
	}
	out := struct {
		Users []memberJSON `json:"users"`
		Total int          `json:"total"`
	}{make([]memberJSON, 0, len(list)), total}
	for _, m := range list {
		out.Users = append(out.Users, toMemberJSON(m))
	}
	s.writeJSON(w, r, http.StatusOK, out)
	return nil
}

// putAdminUser answers PUT /api/admin/users/{login}.
func (s *api) putAdminUser(w http.ResponseWriter, r *http.Request, u *wiki.User) error {
	if err := s.svc.Authorize(r.Context(), u, wiki.ActAdmin, wiki.Path{}); err != nil {
		return err
	}
	var req memberRequest
	if err := s.readJSON(w, r, &req, false); err != nil {
		return err
	}
	ch := wiki.MemberChange{Role: req.Role, Disabled: req.Disabled}
	if req.Groups != nil {
		ch.Groups = listOf(*req.Groups)
	}
	m, err := s.svc.UpdateMember(r.Context(), u, r.PathValue("login"), ch)
	if err != nil {
		return err
	}
	s.writeJSON(w, r, http.StatusOK, toMemberJSON(m))
	return nil
}

// adminGroups answers GET /api/admin/groups (addition).
func (s *api) adminGroups(w http.ResponseWriter, r *http.Request, u *wiki.User) error {
	if err := s.svc.Authorize(r.Context(), u, wiki.ActAdmin, wiki.Path{}); err != nil {
		return err
	}
	groups, err := s.svc.Groups(r.Context(), u)
	if err != nil {
		return err
	}
	out := struct {
		Groups []groupJSON `json:"groups"`
	}{make([]groupJSON, 0, len(groups))}
	for _, g := range groups {
		out.Groups = append(out.Groups, groupJSON{g.Name, g.Title})
	}
	s.writeJSON(w, r, http.StatusOK, out)
	return nil
}

// putAdminGroup answers PUT /api/admin/groups/{name} {"title"}: creates
// the group or changes its title (addition).
func (s *api) putAdminGroup(w http.ResponseWriter, r *http.Request, u *wiki.User) error {
	if err := s.svc.Authorize(r.Context(), u, wiki.ActAdmin, wiki.Path{}); err != nil {
		return err
	}
	var req struct {
		Title string `json:"title"`
	}
	if err := s.readJSON(w, r, &req, true); err != nil {
		return err
	}
	g := wiki.Group{Name: r.PathValue("name"), Title: req.Title}
	if err := s.svc.PutGroup(r.Context(), u, g); err != nil {
		return err
	}
	s.writeJSON(w, r, http.StatusOK, groupJSON{g.Name, g.Title})
	return nil
}
