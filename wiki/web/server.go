package web

import (
	"log/slog"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/kdecole-club/clubwiki/sso"
	"github.com/kdecole-club/clubwiki/wiki"
)

// Options configures a Server. Zero values get defaults.
type Options struct {
	// Logger receives internal errors (Error) and one line per request
	// (Debug). Default slog.Default().
	Logger *slog.Logger
	// MaxBodyBytes bounds request bodies. The default leaves room for a
	// page of svc.MaxPageBytes() once JSON-escaped: an escape like \u0000
	// makes one byte six, so 6×max plus 64 KiB for the other fields.
	MaxBodyBytes int64
	// BodyBudgetBytes bounds the request bodies of more than 64 KiB held at
	// once (default 32 MiB, at least MaxBodyBytes): past it a request
	// waits up to BodyBudgetWait (default 2 s), then is answered 503
	// before its body is read.
	BodyBudgetBytes int64
	BodyBudgetWait  time.Duration
	// BehindProxy trusts X-Forwarded-For and X-Forwarded-Proto, which only
	// a reverse proxy in front of the wiki may set.
	BehindProxy bool
	// TrustedProxies is the number of reverse proxies in front of the
	// wiki, BehindProxy: the client's address is the one the outermost of
	// them appended to X-Forwarded-For, that many entries from the right.
	// Default 1.
	TrustedProxies int
	// SecureCookies marks cookies Secure on every answer, for a wiki only
	// reached over HTTPS. Without it they are Secure when the request came
	// over TLS or, BehindProxy, with X-Forwarded-Proto: https.
	SecureCookies bool
	// Now is the clock of the login limiter, of one-time notices and of
	// what "today" is on recent changes. Default time.Now.
	Now func() time.Time
	// Location is the time zone dates are shown in. Default Europe/Paris.
	Location *time.Location
	// LoginDelay is added to every failed login. Default 500 ms; negative
	// for none (tests).
	LoginDelay time.Duration
	// WriteLimit bounds the writes of each member (see ratelimit.go);
	// TokenWriteLimit those made with each API token. Zero: the default
	// (10 a second, 200 at once; TokenWriteLimit: WriteLimit); a negative
	// Rate lets every write through.
	WriteLimit, TokenWriteLimit WriteLimit
	// PresenceEvery is the time between two heartbeats of an open editor
	// (presence.js), DraftEvery the time a typed text waits before its
	// draft goes to the server (drafts.js). Defaults 5 s and 3 s; tests
	// shorten them so as not to wait real seconds.
	PresenceEvery, DraftEvery time.Duration
	// SSO signs members in through an OpenID Connect provider, next to
	// their passwords; nil: passwords only.
	SSO *sso.Client
}

// Server answers HTTP requests for one wiki. It implements http.Handler and
// is safe for concurrent use. It wires the parts of the package: the core
// they share, the JSON API, the HTML interface and the Atom feeds.
type Server struct {
	*core
	handler http.Handler // mux wrapped in the middleware
	api     *api         // the JSON API
	ui      *ui          // the HTML interface
	feeds   *feeds       // the Atom feeds
}

// core is what the API and the interface share: the service, the limits,
// the router and its middleware, errors, authentication and request
// helpers.
type core struct {
	svc           *wiki.Service
	log           *slog.Logger
	maxBody       int64         // bound of one request body
	bodies        *bodyBudget   // large request bodies held at once
	bodiesWait    time.Duration // how long a large body waits for the budget
	behindProxy   bool
	proxies       int  // trusted proxies when behindProxy
	secureCookies bool // cookies always Secure
	// cop refuses the state-changing requests a browser sends from
	// another site: every one to the interface, and to the API those
	// that the session cookie authenticates.
	cop      *http.CrossOriginProtection
	mux      *http.ServeMux
	patterns []string // every route registered, in order (see route)
	// writes limits the writes per member and per API token.
	writes *writeLimiter
}

// New returns a Server for svc with its routes registered.
func New(svc *wiki.Service, opt Options) *Server {
	if opt.Logger == nil {
		opt.Logger = slog.Default()
	}
	if opt.MaxBodyBytes <= 0 {
		opt.MaxBodyBytes = 6*int64(svc.MaxPageBytes()) + 64<<10
	}
	if opt.BodyBudgetBytes <= 0 {
		opt.BodyBudgetBytes = defaultBodyBudget
	}
	if opt.BodyBudgetWait <= 0 {
		opt.BodyBudgetWait = bodyBudgetWait
	}
	if opt.TrustedProxies <= 0 {
		opt.TrustedProxies = 1
	}
	c := &core{
		svc:           svc,
		log:           opt.Logger,
		maxBody:       opt.MaxBodyBytes,
		bodies:        newBodyBudget(max(opt.BodyBudgetBytes, opt.MaxBodyBytes)),
		bodiesWait:    opt.BodyBudgetWait,
		behindProxy:   opt.BehindProxy,
		proxies:       opt.TrustedProxies,
		secureCookies: opt.SecureCookies,
		cop:           http.NewCrossOriginProtection(),
		mux:           http.NewServeMux(),
		writes:        newWriteLimiter(opt.Now, writeLimitOr(opt.WriteLimit, defaultWriteLimit), writeLimitOr(opt.TokenWriteLimit, writeLimitOr(opt.WriteLimit, defaultWriteLimit))),
	}
	s := &Server{core: c, api: newAPI(c, opt), ui: newUI(c, opt), feeds: newFeeds(c)}
	s.route("GET /healthz", http.HandlerFunc(s.healthz))
	s.api.routes()
	s.feeds.routes()
	s.ui.routes()
	s.handler = s.logRequests(s.recoverPanics(securityHeaders(s.mux)))
	return s
}

// ServeHTTP dispatches a request through the middleware to its handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.handler.ServeHTTP(w, cleanAPIPath(r))
}

// cleanAPIPath cleans the path of an API request ("assistance//x",
// "x/./y") before the mux sees it. The mux would answer
// an unclean path with its own redirect and an HTML body; the API answers
// for the canonical page instead, with JSON, as it does for any
// non-canonical path.
func cleanAPIPath(r *http.Request) *http.Request {
	p := r.URL.Path
	if !strings.HasPrefix(p, "/api/") {
		return r
	}
	c := path.Clean(p)
	if strings.HasSuffix(p, "/") {
		c += "/" // "/api/pages/" is a page request with an empty path: a 400
	}
	if c == p {
		return r
	}
	r2 := new(http.Request)
	*r2 = *r
	u := *r.URL
	u.Path, u.RawPath = c, ""
	r2.URL = &u
	return r2
}

// healthz answers "ok" when the store answers. It needs no authentication so
// that load balancers and supervisors can call it.
func (s *core) healthz(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h["Content-Security-Policy"] = cspStrict
	h["Cache-Control"] = noStore
	h["Content-Type"] = textPlain
	if err := s.svc.Ping(r.Context()); err != nil {
		s.log.Error("health check failed", "error", err)
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte("unavailable"))
		return
	}
	_, _ = w.Write([]byte("ok"))
}

// route registers h for pattern and remembers the pattern, so that tests
// can walk every route there is rather than a list that new routes miss.
func (s *core) route(pattern string, h http.Handler) {
	s.patterns = append(s.patterns, pattern)
	s.mux.Handle(pattern, h)
}

// writeLimitOr is l, or def when l is zero.
func writeLimitOr(l, def WriteLimit) WriteLimit {
	if l == (WriteLimit{}) {
		return def
	}
	return l
}
