package wiki

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// MaxBioRunes bounds a member's presentation: a few sentences, not a page.
const MaxBioRunes = 1000

// maxProjectBytes bounds the free text of a member's project or academy.
const maxProjectBytes = 100

// MaxContributions bounds the contributions one profile page lists.
const MaxContributions = 100

// Profile is what members see of one another: who they are and what they
// wrote lately, within what the viewer may read.
type Profile struct {
	Login        string
	Name         string // display name, the login when there is none
	Project      string // a group's name or free text; "" when not given
	ProjectTitle string // the group's title when Project names one, else Project
	Bio          string
	Created      time.Time
	Disabled     bool
	// Email is the member's address, given to the member and to admins
	// only ("" for the others).
	Email string
	// Contributions are the member's latest page changes newest first,
	// only of namespaces the viewer reads.
	Contributions []Change
	// Next is the Before of the next page of contributions, 0 when none.
	Next uint64
}

// ProfileChange is what changes of a member's profile; nil fields stay.
type ProfileChange struct {
	Name, Email, Project, Bio *string
}

// ProfileQuery asks for a page of a profile's contributions.
type ProfileQuery struct {
	Before uint64 // contributions with Seq < Before (0: from the newest)
	Limit  int    // at most MaxContributions; 0 means 20
}

// MemberProfile returns the profile of the member login for actor, with
// the contributions actor may read. A member that does not exist is
// ENotFound.
func (s *Service) MemberProfile(ctx context.Context, actor *User, login string, q ProfileQuery) (Profile, error) {
	readable, err := s.readable(ctx, actor)
	if err != nil {
		return Profile{}, err
	}
	u, err := s.store.User(ctx, strings.ToLower(strings.TrimSpace(login)))
	if err != nil {
		return Profile{}, err
	}
	p, err := s.profileOf(ctx, actor, u)
	if err != nil {
		return Profile{}, err
	}
	limit := cmp.Or(q.Limit, 20)
	limit = min(max(limit, 1), MaxContributions)
	chs, err := s.store.Changes(ctx, ChangeQuery{Namespaces: readable, Author: u.Login, Before: q.Before, Limit: limit + 1})
	if err != nil {
		return Profile{}, err
	}
	if len(chs) > limit {
		chs = chs[:limit]
		p.Next = chs[limit-1].Seq
	}
	p.Contributions = chs
	return p, nil
}

// profileOf is u as actor sees it, without contributions.
func (s *Service) profileOf(ctx context.Context, actor *User, u User) (Profile, error) {
	titles, err := s.groupTitles(ctx)
	if err != nil {
		return Profile{}, err
	}
	return profileWith(titles, actor, u), nil
}

// profileWith is profileOf with the groups' titles already read: the
// directory reads them once for every member.
func profileWith(titles map[string]string, actor *User, u User) Profile {
	p := Profile{Login: u.Login, Name: cmp.Or(u.Name, u.Login), Project: u.Project,
		ProjectTitle: cmp.Or(titles[u.Project], u.Project), Bio: u.Bio, Created: u.Created, Disabled: u.Disabled}
	if actor.Login == u.Login || actor.Role == RoleAdmin {
		p.Email = u.Email
	}
	return p
}

// groupTitles maps each group's name to its title.
func (s *Service) groupTitles(ctx context.Context) (map[string]string, error) {
	groups, err := s.store.Groups(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(groups))
	for _, g := range groups {
		out[g.Name] = g.Title
	}
	return out, nil
}

// Directory lists the members for actor, by display name, with their
// projects: who is who in the club. Disabled members are left out. It
// returns at most limit of them from offset (default 50, at most 500),
// and how many there are: with single sign-on creating members, the club
// may count thousands.
func (s *Service) Directory(ctx context.Context, actor *User, limit, offset int) ([]Profile, int, error) {
	if err := s.authorize(ctx, actor, ActRead, ""); err != nil {
		return nil, 0, err
	}
	users, err := s.store.Users(ctx)
	if err != nil {
		return nil, 0, err
	}
	users = slices.DeleteFunc(users, func(u User) bool { return u.Disabled || u.Login == SystemAuthor })
	keys := make(map[string]string, len(users))
	for _, u := range users {
		keys[u.Login] = Canonical(cmp.Or(u.Name, u.Login)) // as Profile.Name
	}
	slices.SortFunc(users, func(a, b User) int {
		return cmp.Or(cmp.Compare(keys[a.Login], keys[b.Login]), cmp.Compare(a.Login, b.Login))
	})
	users, total, err := window(users, limit, offset)
	if err != nil {
		return nil, 0, err
	}
	titles, err := s.groupTitles(ctx)
	if err != nil {
		return nil, 0, err
	}
	out := make([]Profile, len(users))
	for i, u := range users {
		out[i] = profileWith(titles, actor, u)
	}
	return out, total, nil
}

// ProjectChoices are the projects and academies a member may pick: the
// groups but the admins' (free text is accepted too).
func (s *Service) ProjectChoices(ctx context.Context, actor *User) ([]Group, error) {
	groups, err := s.Groups(ctx, actor)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(groups, func(g Group) bool { return g.Name == AdminsGroup }), nil
}

// UpdateProfile changes the profile of the member login: by the member
// themselves or by an admin. Nothing is written when any part is invalid.
func (s *Service) UpdateProfile(ctx context.Context, actor *User, login string, ch ProfileChange) (Profile, error) {
	if err := s.authorize(ctx, actor, ActRead, ""); err != nil {
		return Profile{}, err
	}
	login = strings.ToLower(strings.TrimSpace(login))
	if actor.Login != login {
		if err := s.authorize(ctx, actor, ActAdmin, ""); err != nil {
			return Profile{}, err
		}
	}
	u, err := s.store.User(ctx, login)
	if err != nil {
		return Profile{}, err
	}
	old := profileFields(u)
	if err := applyProfileChange(&u, ch); err != nil {
		return Profile{}, err
	}
	if profileFields(u) != old {
		if err := s.store.UpdateUser(ctx, u); err != nil {
			return Profile{}, err
		}
	}
	return s.profileOf(ctx, actor, u)
}

// profileFields are the parts of u a profile change touches.
func profileFields(u User) [4]string { return [4]string{u.Name, u.Email, u.Project, u.Bio} }

// applyProfileChange checks ch and applies it to u.
func applyProfileChange(u *User, ch ProfileChange) error {
	if ch.Name != nil {
		name := strings.TrimSpace(*ch.Name)
		if !utf8.ValidString(name) || len(name) > 200 || strings.ContainsAny(name, "\r\n\x00") {
			return Errorf(EInvalid, "a name is at most 200 bytes of text on one line").Because(ReasonNameInvalid)
		}
		u.Name = name
	}
	if ch.Email != nil {
		addr, err := CheckEmail(*ch.Email)
		if err != nil {
			return err
		}
		u.Email = addr
	}
	if ch.Project != nil {
		p, err := checkProject(*ch.Project)
		if err != nil {
			return err
		}
		u.Project = p
	}
	if ch.Bio != nil {
		b, err := checkBio(*ch.Bio)
		if err != nil {
			return err
		}
		u.Bio = b
	}
	return nil
}

// checkProject reads a project or academy: one line of text.
func checkProject(raw string) (string, error) {
	p := strings.TrimSpace(raw)
	if !utf8.ValidString(p) || len(p) > maxProjectBytes || strings.ContainsFunc(p, isProfileControl) {
		return "", Errorf(EInvalid, "a project or academy is one line of at most %d bytes", maxProjectBytes).Because(ReasonProjectInvalid, maxProjectBytes)
	}
	return p, nil
}

// checkBio reads a presentation: plain text of at most MaxBioRunes
// characters, line breaks allowed (kept as \n), no other control
// character.
func checkBio(raw string) (string, error) {
	b := strings.TrimSpace(strings.ReplaceAll(raw, "\r\n", "\n"))
	if !utf8.ValidString(b) || strings.ContainsFunc(b, func(r rune) bool { return r != '\n' && isProfileControl(r) }) {
		return "", Errorf(EInvalid, "a presentation is plain text").Because(ReasonBioInvalid)
	}
	if utf8.RuneCountInString(b) > MaxBioRunes {
		return "", Errorf(EInvalid, "a presentation is at most %d characters", MaxBioRunes).Because(ReasonBioTooLong, MaxBioRunes)
	}
	return b, nil
}

// isProfileControl is a C0 or C1 control character, or DEL.
func isProfileControl(r rune) bool { return r < 0x20 || r >= 0x7f && r < 0xa0 }
