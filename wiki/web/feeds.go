package web

import (
	"hash/fnv"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/kdecole-club/clubwiki/wiki"
)

// feeds is the third part of the package, besides the JSON API and the
// HTML interface: Atom feeds of recent changes and of a page's history.
// Feed readers cannot sign in, so besides the session and API tokens a
// feed takes ?key=, a member's feed key, which opens feeds and nothing
// else.
type feeds struct {
	*core
}

func newFeeds(c *core) *feeds { return &feeds{core: c} }

// feedFunc is a feed handler; like the API's, it returns its error.
type feedFunc func(w http.ResponseWriter, r *http.Request, u *wiki.User) error

// routes registers the feeds of CONTRACT.md.
func (s *feeds) routes() {
	s.route("GET /feeds/changes.atom", s.handle(s.changes))
	s.route("GET /feeds/history/{path...}", s.handle(s.history))
	s.route("GET /feeds/watchlist.atom", s.handle(s.watchlist))
}

// handle wraps a feed handler: headers, authentication, error answer (the
// API's JSON shape: a feed reader shows the status, a person the message).
func (s *feeds) handle(h feedFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd["Content-Security-Policy"] = cspStrict
		hd["Cache-Control"] = noStore
		u, err := s.reader(r)
		if err == nil {
			err = h(w, r, u)
		}
		if err != nil {
			s.writeError(w, r, err)
		}
	})
}

// reader authenticates a feed's reader: by the feed key when the URL has
// one (a wrong one is refused even with a session, as a wrong token is),
// else as the API does.
func (s *feeds) reader(r *http.Request) (*wiki.User, error) {
	if key := r.URL.Query().Get("key"); key != "" || r.URL.Query().Has("key") {
		u, err := s.svc.AuthenticateFeedKey(r.Context(), key)
		if err != nil {
			return nil, err
		}
		return &u, nil
	}
	return s.authenticate(r)
}

// changes answers GET /feeds/changes.atom?ns=&limit=.
func (s *feeds) changes(w http.ResponseWriter, r *http.Request, u *wiki.User) error {
	q := r.URL.Query()
	limit, err := feedLimit(q.Get("limit"), q.Has("limit"))
	if err != nil {
		return err
	}
	f, err := s.svc.Feed(r.Context(), u, wiki.FeedQuery{Namespace: q.Get("ns"), Limit: limit})
	if err != nil {
		return err
	}
	return s.serveFeed(w, r, f)
}

// history answers GET /feeds/history/{path}?limit=.
func (s *feeds) history(w http.ResponseWriter, r *http.Request, u *wiki.User) error {
	q := r.URL.Query()
	limit, err := feedLimit(q.Get("limit"), q.Has("limit"))
	if err != nil {
		return err
	}
	p, err := s.pagePath(r)
	if err != nil {
		return err
	}
	f, err := s.svc.Feed(r.Context(), u, wiki.FeedQuery{Page: p, Limit: limit})
	if err != nil {
		return err
	}
	return s.serveFeed(w, r, f)
}

// watchlist answers GET /feeds/watchlist.atom?limit=: the changes to what
// the reader watches.
func (s *feeds) watchlist(w http.ResponseWriter, r *http.Request, u *wiki.User) error {
	q := r.URL.Query()
	limit, err := feedLimit(q.Get("limit"), q.Has("limit"))
	if err != nil {
		return err
	}
	f, err := s.svc.Feed(r.Context(), u, wiki.FeedQuery{Watchlist: true, Limit: limit})
	if err != nil {
		return err
	}
	return s.serveFeed(w, r, f)
}

// serveFeed answers a conditional request with 304 when the reader has
// the feed as it stands, else computes the entries and writes the feed.
func (s *feeds) serveFeed(w http.ResponseWriter, r *http.Request, f *wiki.Feed) error {
	site := s.siteOf(r)
	t := feedTextFor(r)
	etag := feedETag(f.Tag, site.url, t.lang)
	if notModified(r, etag, f.Modified) {
		setValidators(w, etag, f.Modified)
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	f.Words = t.words
	entries, err := f.Entries(r.Context())
	if err != nil {
		return err
	}
	body, complete, err := atomFeed(site, t, f, entries)
	if err != nil {
		return wiki.Internal(err, "writing a feed")
	}
	// A feed some of whose diffs were left out for lack of time is not
	// the feed its tag names: it is not kept, the next read retries.
	if complete {
		setValidators(w, etag, f.Modified)
	}
	h := w.Header()
	h["Content-Type"] = atomType
	h["Content-Length"] = []string{strconv.Itoa(len(body))}
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
	return nil
}

var atomType = []string{"application/atom+xml; charset=utf-8"}

// notModified reports whether the reader's copy is the feed as it stands:
// its If-None-Match names etag, or without one, its If-Modified-Since is
// not before the feed's last change (RFC 9110: the tag wins).
func notModified(r *http.Request, etag string, modified time.Time) bool {
	if inm := r.Header.Get("If-None-Match"); inm != "" {
		for part := range strings.SplitSeq(inm, ",") {
			part = strings.TrimSpace(part)
			if part == "*" || strings.TrimPrefix(part, "W/") == etag {
				return true
			}
		}
		return false
	}
	ims, err := http.ParseTime(r.Header.Get("If-Modified-Since"))
	return err == nil && !modified.IsZero() && !modified.Truncate(time.Second).After(ims)
}

// feedETag is the feed's tag for one site address and language, which
// the entries' links and words depend on.
func feedETag(tag, site, lang string) string {
	h := fnv.New64a()
	h.Write([]byte(site + "\x00" + lang))
	return `"` + tag + "-" + strconv.FormatUint(h.Sum64(), 36) + `"`
}

// setValidators lets the reader's cache keep the feed and ask again.
func setValidators(w http.ResponseWriter, etag string, modified time.Time) {
	h := w.Header()
	h["Cache-Control"] = privateNoCache
	h.Set("ETag", etag)
	if !modified.IsZero() {
		h.Set("Last-Modified", modified.UTC().Format(http.TimeFormat))
	}
}

// feedLimit reads ?limit=: absent is the default (0), else 1 to
// wiki.MaxFeedLimit; anything else is a 400.
func feedLimit(v string, set bool) (int, error) {
	if !set {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > wiki.MaxFeedLimit {
		return 0, wiki.Errorf(wiki.EInvalid, "limit must be a whole number from 1 to %d", wiki.MaxFeedLimit)
	}
	return n, nil
}
