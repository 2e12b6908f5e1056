package web

import (
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"github.com/kdecole-club/clubwiki/wiki"
)

// profileView is a member's page: who they are and what they wrote lately.
type profileView struct {
	base
	Profile wiki.Profile
	Before  uint64 // the part of the contributions shown, 0 for the newest
	// Edit is the form of the profile, for an admin (a member edits their
	// own on the settings page); nil for the others.
	Edit *profileForm
}

// profileForm is the form of a member's profile: on the settings page
// for the member, on the profile page for an admin.
type profileForm struct {
	Action   string // where the form posts
	Name     string
	Email    string
	Project  string
	Bio      string
	Choices  []wiki.Group // the club's projects and academies
	Free     bool         // Project is not one of Choices
	Message  string       // why the last change was refused
	MaxBio   int
	ShowMail bool // the e-mail field is in the form (the settings page has its own)
}

// membersView is the members' directory, a window of it.
type membersView struct {
	base
	Members []wiki.Profile
	listWindow
}

// listWindow is which part of a list of members a page shows ("window"
// in layout.html).
type listWindow struct {
	Prev, Next string // the windows before and after, "" at an end
	From, To   int    // the window's first and last items, from 1; To < From when empty
	Total      int
}

// windowOf is the window of n items at offset of a list of total at base,
// shown per items at a time. An offset past the end (a list that shrank
// since the link was made, or a number typed) leads back to the last
// window.
func windowOf(base string, offset, n, per, total int) listWindow {
	from := min(offset, total)
	w := listWindow{From: from + 1, To: from + n, Total: total}
	if offset > 0 {
		w.Prev = base
		if p := from - per; p > 0 {
			w.Prev += "?offset=" + strconv.Itoa(p)
		}
	}
	if from < total-per {
		w.Next = base + "?offset=" + strconv.Itoa(from+per)
	}
	return w
}

// membersPerPage is how many members a directory page lists.
const membersPerPage = 100

// members answers GET /membres?offset=N: the directory of members, a
// hundred at a time.
func (s *ui) members(w http.ResponseWriter, r *http.Request, c *uiCtx) error {
	_, offset, err := listParams(r.URL.Query())
	if err != nil {
		return err
	}
	list, total, err := s.svc.Directory(r.Context(), c.User, membersPerPage, offset)
	if err != nil {
		return err
	}
	v := membersView{base: c.base(c.L.T("members.title")), Members: list,
		listWindow: windowOf("/membres", offset, len(list), membersPerPage, total)}
	s.render(w, r, http.StatusOK, "members", v)
	return nil
}

// profile answers GET /membres/{login}?before=SEQ.
func (s *ui) profile(w http.ResponseWriter, r *http.Request, c *uiCtx) error {
	before, err := querySeq(r.URL.Query(), "before")
	if err != nil {
		return err
	}
	return s.profilePage(w, r, c, http.StatusOK, before, nil)
}

// profilePage renders the profile of the member the URL names.
func (s *ui) profilePage(w http.ResponseWriter, r *http.Request, c *uiCtx, status int, before uint64, edit *profileForm) error {
	p, err := s.svc.MemberProfile(r.Context(), c.User, r.PathValue("login"), wiki.ProfileQuery{Before: before})
	if err != nil {
		return err
	}
	v := profileView{base: c.base(p.Name), Profile: p, Before: before, Edit: edit}
	if v.Edit == nil && c.User.Role == wiki.RoleAdmin && c.User.Login != p.Login {
		u, err := s.svc.User(r.Context(), p.Login)
		if err != nil {
			return err
		}
		f, err := s.newProfileForm(r, c, u, profileURL(p.Login))
		if err != nil {
			return err
		}
		f.ShowMail, v.Edit = true, &f
	}
	v.Flash = c.flash()
	s.render(w, r, status, "profile", v)
	return nil
}

// newProfileForm fills the form of u's profile.
func (s *ui) newProfileForm(r *http.Request, c *uiCtx, u wiki.User, action string) (profileForm, error) {
	choices, err := s.svc.ProjectChoices(r.Context(), c.User)
	if err != nil {
		return profileForm{}, err
	}
	f := profileForm{Action: action, Name: u.Name, Email: u.Email, Project: u.Project, Bio: u.Bio,
		Choices: choices, MaxBio: wiki.MaxBioRunes}
	f.Free = u.Project != "" && !isChoice(choices, u.Project)
	return f, nil
}

func isChoice(choices []wiki.Group, p string) bool {
	for _, g := range choices {
		if g.Name == p {
			return true
		}
	}
	return false
}

// profileChange reads the profile form: project is the choice, or the
// free text when the choice is "other".
func profileChange(r *http.Request, withMail bool) wiki.ProfileChange {
	name, bio := r.PostFormValue("name"), r.PostFormValue("bio")
	project := r.PostFormValue("project")
	if project == "other" {
		project = r.PostFormValue("project_other")
	}
	ch := wiki.ProfileChange{Name: &name, Project: &project, Bio: &bio}
	if withMail {
		email := r.PostFormValue("email")
		ch.Email = &email
	}
	return ch
}

// saveProfile answers POST /membres/{login}: an admin changes a member's
// profile (the wiki refuses anyone else but the member).
func (s *ui) saveProfile(w http.ResponseWriter, r *http.Request, c *uiCtx) error {
	if err := s.parseForm(w, r); err != nil {
		return err
	}
	login := r.PathValue("login")
	ch := profileChange(r, true)
	_, err := s.svc.UpdateProfile(r.Context(), c.User, login, ch)
	if code := wiki.ErrorCode(err); code == wiki.EInvalid {
		choices, err2 := s.svc.ProjectChoices(r.Context(), c.User)
		if err2 != nil {
			return err2
		}
		// The admin's input comes back as they wrote it.
		f := profileForm{Action: profileURL(login), Name: *ch.Name, Email: *ch.Email, Project: *ch.Project, Bio: *ch.Bio,
			Choices: choices, MaxBio: wiki.MaxBioRunes, ShowMail: true, Message: c.L.refusal(err, code)}
		f.Free = f.Project != "" && !isChoice(choices, f.Project)
		return s.profilePage(w, r, c, http.StatusBadRequest, 0, &f)
	}
	if err != nil {
		return err
	}
	s.redirectNotice(w, r, c, profileURL(login), "profile_saved")
	return nil
}

// saveMyProfile answers POST /settings/profile (fields name, project,
// project_other, bio): the member's own profile.
func (s *ui) saveMyProfile(w http.ResponseWriter, r *http.Request, c *uiCtx) error {
	if err := s.parseForm(w, r); err != nil {
		return err
	}
	ch := profileChange(r, false)
	_, err := s.svc.UpdateProfile(r.Context(), c.User, c.User.Login, ch)
	if code := wiki.ErrorCode(err); code == wiki.EInvalid {
		f, err2 := s.newProfileForm(r, c, wiki.User{Name: *ch.Name, Project: *ch.Project, Bio: *ch.Bio}, "/settings/profile")
		if err2 != nil {
			return err2
		}
		f.Message = c.L.refusal(err, code)
		return s.settingsPage(w, r, c, http.StatusBadRequest, settingsView{Profile: &f})
	}
	if err != nil {
		return err
	}
	s.redirectNotice(w, r, c, "/settings", "profile_saved")
	return nil
}

// who is a person as pages show them: their display name (the login when
// they have none) linking to their profile, the login in the tooltip.
// The wiki's own author (imports, seeds) has no profile.
func who(login, name string) template.HTML {
	if name == "" {
		name = login
	}
	n := template.HTMLEscapeString(name)
	if login == "" || login == wiki.SystemAuthor {
		return template.HTML(`<span class="author">` + n + `</span>`)
	}
	l := template.HTMLEscapeString(login)
	return template.HTML(`<a class="author" href="` + template.HTMLEscapeString(profileURL(login)) + `" title="` + l + `">` + n + `</a>`)
}

// whoList is who for several people, comma-separated.
func whoList(logins []string, names map[string]string) template.HTML {
	parts := make([]string, len(logins))
	for i, l := range logins {
		parts[i] = string(who(l, names[l]))
	}
	return template.HTML(strings.Join(parts, ", "))
}

// byWho is the message key of c with who(login, name) in the place of its
// first %s, and rest in the others: the message is escaped, the link kept.
func byWho(c *catalog, key, login, name string, rest ...any) template.HTML {
	const mark = "\x01who\x01"
	msg := template.HTMLEscapeString(c.T(key, append([]any{mark}, rest...)...))
	return template.HTML(strings.Replace(msg, mark, string(who(login, name)), 1))
}
