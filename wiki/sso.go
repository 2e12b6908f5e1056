package wiki

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// ExternalIdentity is who an identity provider (OpenID Connect) says
// signed in: its verified claims.
type ExternalIdentity struct {
	Issuer  string // the provider
	Subject string // the provider's stable identifier of the user
	// Username is the provider's user name (preferred_username), which
	// may change; "" when it gave none.
	Username    string
	Name, Email string
	Groups      []string // the provider's group names
}

// SSOPolicy says how the identities of a provider become members.
type SSOPolicy struct {
	// Groups maps a provider group to a wiki group. The wiki groups it
	// names are owned by the mapping: at every sign-in a member is put in
	// those their provider groups map to and taken out of the others;
	// their other groups are kept.
	Groups map[string]string
	// Create lets the first sign-in of an identity nobody is linked to
	// create a member; otherwise it is refused.
	Create bool
	// Role is the role of the members it creates (default RoleReader).
	Role Role
}

// SignInExternal opens a web session for the member linked to id, which
// the caller has verified. An identity linked to nobody is linked to
// current, the member whose session the browser has (they proved both);
// else, when p allows it, a member is created for it. Disabled members
// are refused (EUnauthenticated); an identity that p does not let in is
// EForbidden. Groups and missing name or e-mail follow the provider at
// every sign-in.
func (s *Service) SignInExternal(ctx context.Context, id ExternalIdentity, p SSOPolicy, current *User) (string, User, error) {
	u, err := s.externalMember(ctx, id, p, current)
	if err != nil {
		return "", User{}, err
	}
	if err := refuseDisabled(u); err != nil {
		return "", User{}, err
	}
	if u, err = s.syncExternal(ctx, u, id, p); err != nil {
		return "", User{}, err
	}
	secret, err := s.openSession(ctx, u)
	return secret, u, err
}

// externalMember finds, links or creates the member of id.
func (s *Service) externalMember(ctx context.Context, id ExternalIdentity, p SSOPolicy, current *User) (User, error) {
	login, err := s.store.SSOLogin(ctx, id.Issuer, id.Subject)
	if err == nil {
		return s.store.User(ctx, login)
	}
	if ErrorCode(err) != ENotFound {
		return User{}, err
	}
	if current != nil {
		if err := s.store.LinkSSO(ctx, id.Issuer, id.Subject, current.Login); err != nil {
			return User{}, err
		}
		return s.store.User(ctx, current.Login)
	}
	if !p.Create {
		return User{}, Errorf(EForbidden, "no member of the wiki is linked to this account, and sign-in does not create members; ask an admin")
	}
	return s.createExternal(ctx, id, p)
}

// maxLoginTries bounds the suffixes tried for a login that is taken.
const maxLoginTries = 50

// createExternal creates the member of id under a free login made from
// its user name (or subject): "marie", else "marie-2", "marie-3"…
func (s *Service) createExternal(ctx context.Context, id ExternalIdentity, p SSOPolicy) (User, error) {
	role := p.Role
	if role == "" {
		role = RoleReader
	}
	name, email := externalText(id.Name, 200), externalText(id.Email, 254)
	base := SSOLogin(id.Username, id.Subject)
	for i := 1; i <= maxLoginTries; i++ {
		login := base
		if i > 1 {
			login += "-" + strconv.Itoa(i)
		}
		// No password: the member signs in through the provider only,
		// until an admin or a reset gives them one.
		u := User{Login: login, Name: name, Email: email, Role: role, Created: s.cfg.Now().UTC(), Groups: []string{}}
		err := s.store.CreateSSOUser(ctx, u, id.Issuer, id.Subject)
		if err == nil {
			return u, nil
		}
		if r, _ := ErrorReason(err); r == ReasonLoginTaken {
			continue
		}
		if ErrorCode(err) == EConflict { // created meanwhile by another sign-in
			if login, err := s.store.SSOLogin(ctx, id.Issuer, id.Subject); err == nil {
				return s.store.User(ctx, login)
			}
		}
		return User{}, err
	}
	return User{}, Errorf(EConflict, "no free login near %q", base)
}

// syncExternal brings the member's groups owned by p in line with the
// provider's, and fills a missing name or e-mail; it writes only what
// changed.
func (s *Service) syncExternal(ctx context.Context, u User, id ExternalIdentity, p SSOPolicy) (User, error) {
	groups, err := s.mappedGroups(ctx, u.Groups, id.Groups, p)
	if err != nil {
		return User{}, err
	}
	changed := !slices.Equal(groups, u.Groups)
	u.Groups = groups
	if n := externalText(id.Name, 200); u.Name == "" && n != "" {
		u.Name, changed = n, true
	}
	if e := externalText(id.Email, 254); u.Email == "" && e != "" {
		u.Email, changed = e, true
	}
	if !changed {
		return u, nil
	}
	return u, s.store.UpdateUser(ctx, u)
}

// mappedGroups is have without the groups p owns, plus those the
// provider's groups map to; a wiki group that does not exist is skipped.
func (s *Service) mappedGroups(ctx context.Context, have, provider []string, p SSOPolicy) ([]string, error) {
	owned := make(map[string]bool, len(p.Groups))
	for _, g := range p.Groups {
		owned[g] = true
	}
	out := []string{}
	for _, g := range have {
		if !owned[g] {
			out = append(out, g)
		}
	}
	for _, pg := range provider {
		if g, ok := p.Groups[pg]; ok {
			out = append(out, g)
		}
	}
	out = []string(Rule(out).normalize())
	all, err := s.store.Groups(ctx)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(out, func(g string) bool {
		return !slices.ContainsFunc(all, func(h Group) bool { return h.Name == g })
	}), nil
}

// externalText is v trimmed, "" when it is not valid text or longer than
// max bytes.
func externalText(v string, max int) string {
	v = strings.TrimSpace(strings.ToValidUTF8(v, ""))
	if len(v) > max || strings.ContainsFunc(v, unicode.IsControl) {
		return ""
	}
	return v
}

// SSOLogin makes a login from a provider's user name, or from its subject
// when the name gives nothing: lower case, accents dropped ("Hélène
// Dupré" → "helene-dupre"), other characters turned to '-', at most 56
// characters so that a suffix "-NN" fits. "membre" when nothing is left.
func SSOLogin(username, subject string) string {
	if l := loginFrom(username); l != "" {
		return l
	}
	if l := loginFrom(subject); l != "" {
		return l
	}
	return "membre"
}

func loginFrom(v string) string {
	var b strings.Builder
	dash := false
	for _, r := range norm.NFD.String(strings.ToLower(v)) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '.' || r == '_':
			b.WriteRune(r)
			dash = false
		case b.Len() > 0 && !dash:
			b.WriteByte('-')
			dash = true
		}
		if b.Len() >= 56 {
			break
		}
	}
	l := strings.Trim(b.String(), "-._")
	if len(l) > 56 {
		l = strings.Trim(l[:56], "-._")
	}
	if !loginRE.MatchString(l) || l == SystemAuthor {
		return ""
	}
	return l
}
