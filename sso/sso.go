// Package sso signs members in through an OpenID Connect provider (an ENT,
// an academy): the authorization code flow with PKCE, a state and a nonce
// kept in a sealed cookie bound to the browser, and the ID token verified
// with the provider's keys. What the provider says becomes a
// wiki.ExternalIdentity; the wiki decides who that is (wiki.SSOPolicy).
package sso

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/kdecole-club/clubwiki/wiki"
)

// Config is a provider and how its users become members.
type Config struct {
	Issuer       string // the provider's URL, as its discovery document says it
	ClientID     string
	ClientSecret string
	// RedirectURL is the wiki's callback, as registered at the provider:
	// the wiki's public address followed by CallbackPath.
	RedirectURL string
	// Scopes asked for; default openid, profile and email.
	Scopes []string
	// GroupsClaim names the claim of the ID token that lists the user's
	// groups; default "groups".
	GroupsClaim string
	// Policy maps the provider's groups and says whether a first sign-in
	// creates the member.
	Policy wiki.SSOPolicy
	// Timeout bounds each call to the provider (discovery, keys, token);
	// default 10 s.
	Timeout time.Duration
	// Now is the clock of the sign-in cookie; default time.Now.
	Now func() time.Time
}

// CallbackPath is where the provider sends the browser back.
const CallbackPath = "/login/oidc/callback"

// stateTTL is how long a started sign-in may take at the provider.
const stateTTL = 10 * time.Minute

// The errors of a sign-in, which the interface words for people. Each
// wraps its cause for the log.
var (
	// ErrUnavailable: the provider did not answer, or answered an error.
	ErrUnavailable = errors.New("the identity provider is unavailable")
	// ErrDenied: the user (or the provider) refused the sign-in.
	ErrDenied = errors.New("the sign-in was refused at the identity provider")
	// ErrState: the callback does not match a sign-in this browser started.
	ErrState = errors.New("the sign-in does not match this browser")
	// ErrExpired: the sign-in was started too long ago.
	ErrExpired = errors.New("the sign-in took too long")
	// ErrInvalid: the provider's answer does not verify.
	ErrInvalid = errors.New("the identity provider's answer is invalid")
)

// Client signs members in through one provider. It is safe for
// concurrent use. The provider is discovered at the first sign-in, and
// again after a failure, so that the wiki starts while the provider is
// down.
type Client struct {
	cfg  Config
	seal *sealer
	http *http.Client

	mu       sync.Mutex
	provider *oidc.Provider
	failed   time.Time // of the last failed discovery
	failure  error
}

// rediscoverAfter is how long a failed discovery is the answer, so that
// while the provider is down sign-ins fail at once instead of each
// waiting for the timeout.
const rediscoverAfter = 15 * time.Second

// New checks cfg and returns a Client; it does not call the provider.
func New(cfg Config) (*Client, error) {
	u, err := url.Parse(cfg.Issuer)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, fmt.Errorf("the issuer %q is not an http(s) URL", cfg.Issuer)
	}
	if r, err := url.Parse(cfg.RedirectURL); err != nil || (r.Scheme != "https" && r.Scheme != "http") || r.Host == "" {
		return nil, fmt.Errorf("the redirect URL %q is not an http(s) URL", cfg.RedirectURL)
	}
	if cfg.ClientID == "" || cfg.ClientSecret == "" {
		return nil, errors.New("a client id and a client secret are needed")
	}
	if len(cfg.Scopes) == 0 {
		cfg.Scopes = []string{oidc.ScopeOpenID, "profile", "email"}
	}
	if cfg.GroupsClaim == "" {
		cfg.GroupsClaim = "groups"
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 10 * time.Second
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	s, err := newSealer()
	if err != nil {
		return nil, err
	}
	return &Client{cfg: cfg, seal: s, http: &http.Client{Timeout: cfg.Timeout}}, nil
}

// Policy is the configured policy.
func (c *Client) Policy() wiki.SSOPolicy { return c.cfg.Policy }

// ctx bounds a call to the provider and gives it the client's HTTP client.
func (c *Client) ctx(ctx context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	return oidc.ClientContext(ctx, c.http), cancel
}

// discover returns the provider, discovering it if needed.
func (c *Client) discover(ctx context.Context) (*oidc.Provider, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.provider != nil {
		return c.provider, nil
	}
	if now := c.cfg.Now(); !c.failed.IsZero() && now.Sub(c.failed) < rediscoverAfter && !now.Before(c.failed) {
		return nil, c.failure
	}
	ctx, cancel := c.ctx(ctx)
	defer cancel()
	p, err := oidc.NewProvider(ctx, c.cfg.Issuer)
	if err != nil {
		c.failed, c.failure = c.cfg.Now(), fmt.Errorf("%w: discovery: %v", ErrUnavailable, err)
		return nil, c.failure
	}
	c.provider = p
	return p, nil
}

// oauth2Config is the flow's configuration with the provider's endpoints.
func (c *Client) oauth2Config(p *oidc.Provider) *oauth2.Config {
	return &oauth2.Config{ClientID: c.cfg.ClientID, ClientSecret: c.cfg.ClientSecret,
		Endpoint: p.Endpoint(), RedirectURL: c.cfg.RedirectURL, Scopes: c.cfg.Scopes}
}

// Start begins a sign-in that comes back to next (a local path): it
// returns the provider's URL to send the browser to and the value of the
// cookie that binds the sign-in to this browser (see CookieName).
func (c *Client) Start(ctx context.Context, next string) (authURL, cookie string, err error) {
	p, err := c.discover(ctx)
	if err != nil {
		return "", "", err
	}
	st := pending{State: random(), Nonce: random(), Verifier: oauth2.GenerateVerifier(), Next: next,
		Expires: c.cfg.Now().Add(stateTTL).Unix()}
	cookie, err = c.seal.seal(st)
	if err != nil {
		return "", "", err
	}
	authURL = c.oauth2Config(p).AuthCodeURL(st.State, oidc.Nonce(st.Nonce), oauth2.S256ChallengeOption(st.Verifier))
	return authURL, cookie, nil
}

// CookieName is the cookie of a sign-in under way; CookieMaxAge its life
// in the browser, longer than the sign-in's, so that a late answer is
// told it came too late rather than that it came from another browser.
const (
	CookieName   = "clubwiki_oidc"
	CookieMaxAge = int(time.Hour / time.Second)
)

// Finish ends a sign-in: q is the query of the callback, cookie the
// value Start gave. It returns who signed in and where to go next.
func (c *Client) Finish(ctx context.Context, q url.Values, cookie string) (wiki.ExternalIdentity, string, error) {
	st, err := c.seal.open(cookie)
	if err != nil {
		return wiki.ExternalIdentity{}, "", fmt.Errorf("%w: %v", ErrState, err)
	}
	if q.Get("state") == "" || q.Get("state") != st.State {
		return wiki.ExternalIdentity{}, "", fmt.Errorf("%w: the state differs", ErrState)
	}
	if c.cfg.Now().Unix() > st.Expires {
		return wiki.ExternalIdentity{}, "", ErrExpired
	}
	if e := q.Get("error"); e != "" {
		return wiki.ExternalIdentity{}, "", fmt.Errorf("%w: %s %s", ErrDenied, trim(e), trim(q.Get("error_description")))
	}
	if q.Get("code") == "" {
		return wiki.ExternalIdentity{}, "", fmt.Errorf("%w: no code", ErrInvalid)
	}
	id, err := c.exchange(ctx, q.Get("code"), st)
	return id, st.Next, err
}

// exchange trades the code for the tokens and verifies the ID token.
func (c *Client) exchange(ctx context.Context, code string, st pending) (wiki.ExternalIdentity, error) {
	p, err := c.discover(ctx)
	if err != nil {
		return wiki.ExternalIdentity{}, err
	}
	ctx, cancel := c.ctx(ctx)
	defer cancel()
	tok, err := c.oauth2Config(p).Exchange(ctx, code, oauth2.VerifierOption(st.Verifier))
	if err != nil {
		var re *oauth2.RetrieveError
		if errors.As(err, &re) && re.Response != nil && re.Response.StatusCode < 500 {
			return wiki.ExternalIdentity{}, fmt.Errorf("%w: token: %v", ErrInvalid, err)
		}
		return wiki.ExternalIdentity{}, fmt.Errorf("%w: token: %v", ErrUnavailable, err)
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return wiki.ExternalIdentity{}, fmt.Errorf("%w: no ID token", ErrInvalid)
	}
	idt, err := p.Verifier(&oidc.Config{ClientID: c.cfg.ClientID, Now: c.cfg.Now}).Verify(ctx, raw)
	if err != nil {
		if ctx.Err() != nil {
			return wiki.ExternalIdentity{}, fmt.Errorf("%w: keys: %v", ErrUnavailable, err)
		}
		return wiki.ExternalIdentity{}, fmt.Errorf("%w: ID token: %v", ErrInvalid, err)
	}
	if idt.Nonce != st.Nonce {
		return wiki.ExternalIdentity{}, fmt.Errorf("%w: the nonce differs", ErrInvalid)
	}
	return c.identity(idt)
}

// trim shortens a provider's text for the log.
func trim(s string) string {
	if len(s) > 200 {
		s = s[:200]
	}
	return strings.ToValidUTF8(s, "?")
}
