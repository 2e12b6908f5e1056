package web

import (
	"bytes"
	"html"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/text/language"

	"github.com/kdecole-club/clubwiki/assets"
	"github.com/kdecole-club/clubwiki/sso"
	"github.com/kdecole-club/clubwiki/wiki"
)

// cspHTML is the policy of every HTML answer: no inline script or style, so
// that injected markup can do nothing.
var cspHTML = []string{"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"}

var htmlType = []string{"text/html; charset=utf-8"}

// ui is the HTML interface: its handlers, over the core, and what they
// need, built once at start: parsed templates, catalogues, hashed static
// files, the login limiter, the notices and the executed articles.
type ui struct {
	*core
	// framesOff makes render execute the whole layout, which frames are
	// checked against (tests only).
	framesOff  bool
	pages      map[string]*template.Template // by page name
	cats       map[string]*catalog           // by language tag
	matcher    language.Matcher
	static     *staticFiles
	limiter    *loginLimiter
	loginDelay time.Duration
	articles   *bodyCache[string] // executed page articles around their content, see ui.article
	notices    *noticeBoard       // one-time notices after a redirect
	now        func() time.Time   // what "today" is on recent changes
	every      editorEvery        // the editor scripts' timers
	sso        *sso.Client        // single sign-on; nil when not configured
	forgotten  *writeLimiter      // "forgotten password" asks (ui_forgot.go)
}

// editorEvery holds the editor scripts' timers, in milliseconds, which
// the editor page hands them (see Options.PresenceEvery).
type editorEvery struct{ Presence, Draft int64 }

// newEditorEvery is the timers of opt, the defaults where unset.
func newEditorEvery(opt Options) editorEvery {
	ms := func(d, def time.Duration) int64 {
		if d <= 0 {
			d = def
		}
		return max(d.Milliseconds(), 1)
	}
	return editorEvery{Presence: ms(opt.PresenceEvery, 5*time.Second), Draft: ms(opt.DraftEvery, 3*time.Second)}
}

// newUI takes the embedded templates, catalogues and static files, parsed
// once per process (see embeddedPages). They are part of the binary, so a
// failure is a programming error found by the tests.
func newUI(c *core, opt Options) *ui {
	loc := opt.Location
	if loc == nil {
		loc = defaultLocation()
	}
	cats, err := catalogsIn(loc)
	if err != nil {
		panic(err)
	}
	st, err := embeddedStatic()
	if err != nil {
		panic(err)
	}
	pages, err := embeddedPages()
	if err != nil {
		panic(err)
	}
	u := &ui{
		core:  c,
		pages: pages, cats: cats, matcher: language.NewMatcher(languages),
		static: st, limiter: newLoginLimiter(opt.Now), loginDelay: opt.LoginDelay,
		articles: newBodyCacheIn[string](c.svc.CacheBudget()),
		notices:  newNoticeBoard(opt.Now),
		now:      opt.Now,
		every:    newEditorEvery(opt),
		sso:      opt.SSO,
	}
	if u.now == nil {
		u.now = time.Now
	}
	u.forgotten = newForgotLimiter(opt.Now)
	return u
}

// catalogsIn returns the catalogues showing dates in loc, with their
// executed menus and frames. Those of the default time zone are made once
// per process and shared: nothing changes a catalogue once made.
func catalogsIn(loc *time.Location) (map[string]*catalog, error) {
	if loc == defaultLocation() {
		return defaultCatalogs()
	}
	return makeCatalogs(loc)
}

// defaultCatalogs are the catalogues of the default time zone (see
// catalogsIn).
var defaultCatalogs = sync.OnceValues(func() (map[string]*catalog, error) {
	return makeCatalogs(defaultLocation())
})

// makeCatalogs makes the catalogues of the embedded messages in loc and
// executes their menus and frames.
func makeCatalogs(loc *time.Location) (map[string]*catalog, error) {
	msgs, err := embeddedMessages()
	if err != nil {
		return nil, err
	}
	pages, err := embeddedPages()
	if err != nil {
		return nil, err
	}
	cats := newCatalogs(msgs, loc)
	for _, cat := range cats {
		if err := cat.executeNavs(pages["page"]); err != nil {
			return nil, err
		}
		if err := cat.executeFrames(pages[framePage]); err != nil {
			return nil, err
		}
	}
	return cats, nil
}

// defaultLocation is Europe/Paris, loaded once per process (a Location is
// safe for concurrent use), or UTC when the system knows no such zone.
var defaultLocation = sync.OnceValue(func() *time.Location {
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		return time.UTC
	}
	return loc
})

// embeddedStatic hashes the embedded static files once per process: they
// never change, and the server only reads them.
var embeddedStatic = sync.OnceValues(func() (*staticFiles, error) {
	return newStaticFiles(assets.Static())
})

// embeddedPages parses the embedded templates once per process: they never
// change, and executing a template is safe from many goroutines, so every
// Server shares them (a test binary makes hundreds of servers).
var embeddedPages = sync.OnceValues(func() (map[string]*template.Template, error) {
	return parseTemplates(assets.Templates())
})

// parseTemplates parses layout.html with each other file: one template per
// page, so that every page defines its own "content".
func parseTemplates(fsys fs.FS) (map[string]*template.Template, error) {
	layout, err := template.New("layout.html").Funcs(templateFuncs).ParseFS(fsys, "layout.html")
	if err != nil {
		return nil, err
	}
	names, err := fs.Glob(fsys, "*.html")
	if err != nil {
		return nil, err
	}
	pages := make(map[string]*template.Template, len(names))
	for _, name := range names {
		if name == "layout.html" {
			continue
		}
		t, err := template.Must(layout.Clone()).ParseFS(fsys, name)
		if err != nil {
			return nil, err
		}
		pages[strings.TrimSuffix(name, ".html")] = t
	}
	probe, err := template.Must(layout.Clone()).Parse(framedContent())
	if err != nil {
		return nil, err
	}
	pages[framePage] = probe
	return pages, nil
}

// framePage names the template set that frames are made from: the
// layout with its content's mark (catalog.executeFrames).
const framePage = "\x00frame"

// templateFuncs are the few helpers templates need beyond the catalogue.
var templateFuncs = template.FuncMap{
	"pathURL": pathURL,
	"prev":    func(n int) int { return n - 1 },
	// dict passes several values to a sub-template: dict "L" .L "B" .
	"dict": func(kv ...any) map[string]any {
		m := make(map[string]any, len(kv)/2)
		for i := 0; i+1 < len(kv); i += 2 {
			k, _ := kv[i].(string)
			m[k] = kv[i+1]
		}
		return m
	},
	"who":     who,
	"whoList": whoList,
	"byWho":   byWho,
	"rowOf":   func(v changesView, r changeRow) changeRowOf { return changeRowOf{V: v, R: r} },
	"signed": func(n int) string {
		if n > 0 {
			return "+" + strconv.Itoa(n)
		}
		return strconv.Itoa(n)
	},
}

// pathURL escapes a page path for an href: segments are escaped, slashes
// kept. Canonical paths need no escaping, but titles in "next" may.
func pathURL(p string) string {
	parts := strings.Split(p, "/")
	for i, s := range parts {
		parts[i] = url.PathEscape(s)
	}
	return strings.Join(parts, "/")
}

// base is what every page's view has: the layout reads it.
type base struct {
	L    *catalog
	User *wiki.User
	// What the user may do here (on the page shown, or anywhere), as the
	// wiki's policy says, for showing or hiding buttons.
	CanEdit   bool
	CanDelete bool
	CanRevert bool
	CanNew    bool          // may create a page somewhere: the menu's "new page"
	Head      template.HTML // the stylesheet's and scripts' tags (staticFiles.head)
	Nav       template.HTML // a signed-in member's menu and search box (catalog.navs)
	Title     string
	Here      string // this page's local URL, for the language switcher
	Flash     string // a message about what was just done
	// PageFeed is the local URL of the shown page's history feed, for the
	// layout's feed link; "" on other views.
	PageFeed string
	// WatchlistFeed asks the layout to link the watchlist's feed.
	WatchlistFeed bool
}

// FeedLinks are the head's links to the feeds of what is shown, for a
// signed-in member: the recent changes, the page's history, the
// watchlist. They are written here rather than in the layout, which runs
// on every answer: a dozen template actions and escapers there were a
// tenth of a page view's CPU time.
func (b base) FeedLinks() template.HTML {
	if b.User == nil {
		return ""
	}
	c := &b.L.Chrome
	var sb strings.Builder
	link := func(title, href string) {
		sb.WriteString(`<link rel="alternate" type="application/atom+xml" title="`)
		sb.WriteString(html.EscapeString(title))
		sb.WriteString(`" href="`)
		sb.WriteString(html.EscapeString(href))
		sb.WriteString("\">\n")
	}
	link(c.FeedChanges, "/feeds/changes.atom")
	if b.PageFeed != "" {
		link(c.FeedHistory, b.PageFeed)
	}
	if b.WatchlistFeed {
		link(c.FeedWatchlist, "/feeds/watchlist.atom")
	}
	return template.HTML(sb.String())
}

// render executes page into a buffer, then writes it with its length, so
// that a template failure is a clean 500 instead of half a page.
func (s *ui) render(w http.ResponseWriter, r *http.Request, status int, page string, data any) {
	t, ok := s.pages[page]
	if !ok {
		s.log.Error("unknown template", "page", page)
		renderFailed(w, data)
		return
	}
	buf := bufPool.Get().(*bytes.Buffer)
	buf.Reset()
	defer func() {
		if buf.Cap() <= 1<<20 {
			bufPool.Put(buf)
		}
	}()
	if err := s.execute(buf, t, data); err != nil {
		if !isCanceled(err) {
			s.log.Error("rendering a page", "page", page, "path", r.URL.EscapedPath(), "error", err)
		}
		renderFailed(w, data)
		return
	}
	h := w.Header()
	h["Content-Type"] = htmlType
	h["Content-Length"] = []string{strconv.Itoa(buf.Len())}
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// execute writes the answer of data with the page's templates t: in its
// frame when it has one, else the whole layout.
func (s *ui) execute(buf *bytes.Buffer, t *template.Template, data any) error {
	if v, ok := data.(framed); ok && !s.framesOff {
		b := v.frameBase()
		if b.L != nil {
			if f := b.L.frames[frameIndex(b.User != nil, b.Flash != "")]; f != nil {
				return f.write(buf, t, &b, data)
			}
		}
	}
	return t.ExecuteTemplate(buf, "layout.html", data)
}

// catalog lets render reach the language of any view, which embeds base.
func (b base) catalog() *catalog { return b.L }

// renderFailed answers a page that could not be rendered with a plain-text
// 500 in the reader's language: the error page itself might not render.
func renderFailed(w http.ResponseWriter, data any) {
	msg := "internal error"
	if v, ok := data.(interface{ catalog() *catalog }); ok && v.catalog() != nil {
		msg = v.catalog().T("error.internal")
	}
	w.Header()["Cache-Control"] = noStore
	http.Error(w, msg, http.StatusInternalServerError)
}

// errorView is the page of an error.
type errorView struct {
	base
	Message string
	Status  int
}

// errorPage answers err as an HTML page: the status from the one code →
// status table, the message from the catalogue by reason, else by code
// (wiki messages are for developers and in English). Unauthenticated requests go to the login
// page instead.
func (s *ui) errorPage(w http.ResponseWriter, r *http.Request, c *uiCtx, err error) {
	code, status := s.classify(r, err)
	if code == wiki.EUnauthenticated {
		s.redirectToLogin(w, r)
		return
	}
	w.Header()["Cache-Control"] = noStore
	setRetryAfter(w, err)
	v := errorView{base: c.base(c.L.T("error.title")), Message: c.L.refusal(err, code), Status: status}
	s.render(w, r, status, "error", v)
}

// redirectToLogin sends an anonymous visitor to the login page, which sends
// them back here afterwards (only for GET: a form post cannot be replayed).
func (s *ui) redirectToLogin(w http.ResponseWriter, r *http.Request) {
	target := "/login"
	if r.Method == http.MethodGet && r.URL.Path != "/" {
		target += "?next=" + url.QueryEscape(r.URL.RequestURI())
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}

// localRedirect returns next when it is a path on this site, else "/": the
// login form's next must not send users elsewhere (//evil.example, /\evil,
// https://…). Control characters are refused too: browsers drop some of
// them from URLs ("/\t/evil" becomes "//evil") and net/http would write
// the others raw into the Location header.
func localRedirect(next string) string {
	if next == "" || next[0] != '/' || strings.HasPrefix(next, "//") || strings.ContainsRune(next, '\\') {
		return "/"
	}
	for i := 0; i < len(next); i++ {
		if next[i] < 0x20 || next[i] == 0x7f {
			return "/"
		}
	}
	if u, err := url.Parse(next); err != nil || u.Scheme != "" || u.Host != "" {
		return "/" // a bad %-escape: not a URL a browser would agree on
	}
	return next
}
