package web

import (
	"net/http"
	"time"

	"github.com/kdecole-club/clubwiki/wiki"
)

// profileJSON answers GET and PUT /api/users/{login} and is each entry of
// GET /api/users.
type profileJSON struct {
	Login        string    `json:"login"`
	Name         string    `json:"name"`
	Project      string    `json:"project"`
	ProjectTitle string    `json:"project_title"`
	Bio          string    `json:"bio"`
	Email        string    `json:"email,omitempty"` // to the member and to admins only
	Created      time.Time `json:"created"`
	Disabled     bool      `json:"disabled,omitempty"`
	// Contributions and Next: GET /api/users/{login} only.
	Contributions *[]changeJSON `json:"contributions,omitempty"`
	Next          uint64        `json:"next,omitempty"`
}

// profileChangeJSON is the body of PUT /api/users/{login}: any of the
// fields; the others stay as they are.
type profileChangeJSON struct {
	Name    *string `json:"name"`
	Email   *string `json:"email"`
	Project *string `json:"project"`
	Bio     *string `json:"bio"`
}

func profileAnswer(p wiki.Profile) profileJSON {
	return profileJSON{Login: p.Login, Name: p.Name, Project: p.Project, ProjectTitle: p.ProjectTitle,
		Bio: p.Bio, Email: p.Email, Created: p.Created.UTC(), Disabled: p.Disabled}
}

// users answers GET /api/users?limit=&offset=: the members' directory.
func (s *api) users(w http.ResponseWriter, r *http.Request, u *wiki.User) error {
	limit, offset, err := listParams(r.URL.Query())
	if err != nil {
		return err
	}
	list, total, err := s.svc.Directory(r.Context(), u, limit, offset)
	if err != nil {
		return err
	}
	out := struct {
		Users []profileJSON `json:"users"`
		Total int           `json:"total"`
	}{make([]profileJSON, len(list)), total}
	for i, p := range list {
		out.Users[i] = profileAnswer(p)
	}
	s.writeJSON(w, r, http.StatusOK, out)
	return nil
}

// user answers GET /api/users/{login}?limit=&before=SEQ: a member's
// profile and their latest contributions the caller may read.
func (s *api) user(w http.ResponseWriter, r *http.Request, u *wiki.User) error {
	q := r.URL.Query()
	limit, _, err := queryInt(q, "limit", 0)
	if err != nil {
		return err
	}
	before, err := querySeq(q, "before")
	if err != nil {
		return err
	}
	p, err := s.svc.MemberProfile(r.Context(), u, r.PathValue("login"), wiki.ProfileQuery{Before: before, Limit: limit})
	if err != nil {
		return err
	}
	out := profileAnswer(p)
	list := make([]changeJSON, len(p.Contributions))
	for i, c := range p.Contributions {
		list[i] = changeJSON{Seq: c.Seq, Path: c.Path, Rev: c.Rev, Kind: c.Kind, Author: c.Author, AuthorName: p.Name,
			Time: c.Time.UTC(), Summary: c.Summary, Title: c.Title, Minor: c.Minor}
	}
	out.Contributions, out.Next = &list, p.Next
	s.writeJSON(w, r, http.StatusOK, out)
	return nil
}

// putUser answers PUT /api/users/{login}: the member changes their own
// profile, or an admin someone's; all or nothing.
func (s *api) putUser(w http.ResponseWriter, r *http.Request, u *wiki.User) error {
	var in profileChangeJSON
	if err := s.readJSON(w, r, &in, false); err != nil {
		return err
	}
	p, err := s.svc.UpdateProfile(r.Context(), u, r.PathValue("login"),
		wiki.ProfileChange{Name: in.Name, Email: in.Email, Project: in.Project, Bio: in.Bio})
	if err != nil {
		return err
	}
	s.writeJSON(w, r, http.StatusOK, profileAnswer(p))
	return nil
}
