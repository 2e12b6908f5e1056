package sso

import (
	"fmt"
	"strings"

	"github.com/coreos/go-oidc/v3/oidc"

	"github.com/kdecole-club/clubwiki/wiki"
)

// maxGroups bounds the groups read from a token.
const maxGroups = 200

// identity reads the claims of a verified ID token.
func (c *Client) identity(t *oidc.IDToken) (wiki.ExternalIdentity, error) {
	var std struct {
		Username      string `json:"preferred_username"`
		Name          string `json:"name"`
		GivenName     string `json:"given_name"`
		FamilyName    string `json:"family_name"`
		Email         string `json:"email"`
		EmailVerified *bool  `json:"email_verified"`
	}
	var all map[string]any
	if err := t.Claims(&std); err != nil {
		return wiki.ExternalIdentity{}, fmt.Errorf("%w: claims: %v", ErrInvalid, err)
	}
	if err := t.Claims(&all); err != nil {
		return wiki.ExternalIdentity{}, fmt.Errorf("%w: claims: %v", ErrInvalid, err)
	}
	if t.Subject == "" {
		return wiki.ExternalIdentity{}, fmt.Errorf("%w: no subject", ErrInvalid)
	}
	id := wiki.ExternalIdentity{Issuer: t.Issuer, Subject: t.Subject, Username: std.Username,
		Name: displayName(std.Name, std.GivenName, std.FamilyName), Groups: groupsOf(all[c.cfg.GroupsClaim])}
	// An address the provider says it has not verified could be anyone's:
	// notifications would go there.
	if std.EmailVerified == nil || *std.EmailVerified {
		id.Email = std.Email
	}
	return id, nil
}

// groupsOf reads a groups claim: a list of names, or one string of names
// separated by commas or spaces.
func groupsOf(v any) []string {
	var out []string
	switch v := v.(type) {
	case []any:
		for _, g := range v {
			if s, ok := g.(string); ok && s != "" {
				out = append(out, s)
			}
		}
	case string:
		out = strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ' ' })
	}
	if len(out) > maxGroups {
		out = out[:maxGroups]
	}
	return out
}

// displayName is the name claim, else the given and family names.
func displayName(name, given, family string) string {
	if n := strings.TrimSpace(name); n != "" {
		return n
	}
	return strings.TrimSpace(strings.TrimSpace(given) + " " + strings.TrimSpace(family))
}
