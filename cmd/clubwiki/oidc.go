package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/kdecole-club/clubwiki/sso"
	"github.com/kdecole-club/clubwiki/wiki"
)

// oidcFlags are serve's single sign-on settings. The client secret is
// read from the environment or a file, never from the command line
// (which any user of the machine can read), and never printed.
type oidcFlags struct {
	issuer, clientID, secretFile, redirect string
	scopes, groupsClaim, groups, role      string
	create                                 bool
	timeout                                time.Duration
}

func (f *oidcFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.issuer, "oidc-issuer", os.Getenv("CLUBWIKI_OIDC_ISSUER"), "OpenID Connect provider (ENT, academy) members may sign in with, e.g. https://ent.example/realms/lycees; none: passwords only")
	fs.StringVar(&f.clientID, "oidc-client-id", os.Getenv("CLUBWIKI_OIDC_CLIENT_ID"), "the wiki's client id at the provider")
	fs.StringVar(&f.secretFile, "oidc-client-secret-file", os.Getenv("CLUBWIKI_OIDC_CLIENT_SECRET_FILE"), "file holding the client secret (else CLUBWIKI_OIDC_CLIENT_SECRET)")
	fs.StringVar(&f.redirect, "oidc-redirect-url", os.Getenv("CLUBWIKI_OIDC_REDIRECT_URL"), "callback registered at the provider (default <base-url>"+sso.CallbackPath+")")
	fs.StringVar(&f.scopes, "oidc-scopes", envOr("CLUBWIKI_OIDC_SCOPES", "openid profile email"), "scopes asked for, separated by spaces or commas (add groups if the provider wants it)")
	fs.StringVar(&f.groupsClaim, "oidc-groups-claim", envOr("CLUBWIKI_OIDC_GROUPS_CLAIM", "groups"), "claim of the ID token listing the user's groups")
	fs.StringVar(&f.groups, "oidc-groups", os.Getenv("CLUBWIKI_OIDC_GROUPS"), "provider groups mapped to wiki groups, e.g. ent-lyco=e-lyco,acad-nantes=academie-nantes")
	fs.BoolVar(&f.create, "oidc-create", os.Getenv("CLUBWIKI_OIDC_CREATE") == "true", "a first sign-in creates the member (else only linked members sign in)")
	fs.StringVar(&f.role, "oidc-role", envOr("CLUBWIKI_OIDC_ROLE", string(wiki.RoleReader)), "role of the members sign-in creates: reader or editor")
	fs.DurationVar(&f.timeout, "oidc-timeout", 10*time.Second, "bound of each call to the provider")
}

// client checks the flags and returns the single sign-on client, nil when
// --oidc-issuer is unset. baseURL is the wiki's public address (default
// http://<addr>); svc checks that the mapped groups exist.
func (f *oidcFlags) client(ctx context.Context, svc *wiki.Service, baseURL, addr string) (*sso.Client, error) {
	if f.issuer == "" {
		if f.clientID != "" || f.groups != "" || f.create {
			return nil, usagef("--oidc-client-id, --oidc-groups and --oidc-create need --oidc-issuer")
		}
		return nil, nil
	}
	secret, err := f.secret()
	if err != nil {
		return nil, err
	}
	policy, err := f.policy(ctx, svc)
	if err != nil {
		return nil, err
	}
	redirect := f.redirect
	if redirect == "" {
		base := strings.TrimRight(baseURL, "/")
		if base == "" {
			base = "http://" + addr
		}
		redirect = base + sso.CallbackPath
	}
	if f.timeout <= 0 {
		return nil, usagef("--oidc-timeout must be positive")
	}
	c, err := sso.New(sso.Config{Issuer: f.issuer, ClientID: f.clientID, ClientSecret: secret, RedirectURL: redirect,
		Scopes: strings.FieldsFunc(f.scopes, func(r rune) bool { return r == ' ' || r == ',' }), GroupsClaim: f.groupsClaim,
		Policy: policy, Timeout: f.timeout})
	if err != nil {
		return nil, usagef("single sign-on: %v", err)
	}
	return c, nil
}

// secret reads the client secret from --oidc-client-secret-file, else
// from CLUBWIKI_OIDC_CLIENT_SECRET.
func (f *oidcFlags) secret() (string, error) {
	if f.secretFile == "" {
		if s := strings.TrimSpace(os.Getenv("CLUBWIKI_OIDC_CLIENT_SECRET")); s != "" {
			return s, nil
		}
		return "", usagef("--oidc-issuer needs the client secret: CLUBWIKI_OIDC_CLIENT_SECRET or --oidc-client-secret-file")
	}
	b, err := readSmallFile(f.secretFile)
	if err != nil {
		return "", fmt.Errorf("reading the client secret: %w", err)
	}
	s := strings.TrimSpace(string(b))
	if s == "" {
		return "", fmt.Errorf("the client secret file %s is empty", f.secretFile)
	}
	return s, nil
}

// readSmallFile reads at most 64 KiB of a file.
func readSmallFile(name string) ([]byte, error) {
	fh, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	return io.ReadAll(io.LimitReader(fh, 64<<10))
}

// policy parses --oidc-groups, --oidc-create and --oidc-role; every
// mapped wiki group must exist.
func (f *oidcFlags) policy(ctx context.Context, svc *wiki.Service) (wiki.SSOPolicy, error) {
	p := wiki.SSOPolicy{Groups: map[string]string{}, Create: f.create, Role: wiki.Role(f.role)}
	if p.Role != wiki.RoleReader && p.Role != wiki.RoleEditor {
		return p, usagef("--oidc-role wants reader or editor, not %q (make admins with clubwiki user set)", f.role)
	}
	groups, err := svc.Groups(ctx, wiki.System())
	if err != nil {
		return p, err
	}
	for _, pair := range strings.Split(f.groups, ",") {
		if strings.TrimSpace(pair) == "" {
			continue
		}
		from, to, ok := strings.Cut(pair, "=")
		from, to = strings.TrimSpace(from), strings.ToLower(strings.TrimSpace(to))
		if !ok || from == "" || to == "" {
			return p, usagef("--oidc-groups wants provider=wiki pairs separated by commas, such as ent-lyco=e-lyco, not %q", pair)
		}
		if !slices.ContainsFunc(groups, func(g wiki.Group) bool { return g.Name == to }) {
			return p, usagef("--oidc-groups: %q is not a wiki group (create it with clubwiki group add %s)", to, to)
		}
		p.Groups[from] = to
	}
	return p, nil
}

// logSSO says at start how members sign in, without the secret.
func logSSO(log *slog.Logger, f *oidcFlags, c *sso.Client) {
	if c == nil {
		return
	}
	p := c.Policy()
	log.Info("single sign-on is on", "issuer", f.issuer, "client_id", f.clientID, "groups_mapped", len(p.Groups), "create", p.Create, "role", p.Role)
}
