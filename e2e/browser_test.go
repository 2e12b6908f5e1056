package e2e

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/storage"
	"github.com/chromedp/chromedp"

	"github.com/kdecole-club/clubwiki/assets"
	"github.com/kdecole-club/clubwiki/render"
	"github.com/kdecole-club/clubwiki/search"
	"github.com/kdecole-club/clubwiki/store"
	domain "github.com/kdecole-club/clubwiki/wiki"
	"github.com/kdecole-club/clubwiki/wiki/textdiff"
	"github.com/kdecole-club/clubwiki/wiki/web"
)

// chromium returns the path of Debian's Chromium, preferring its headless
// shell (package chromium-headless-shell): it draws nothing and idles at a
// fifth of the full browser's CPU. Then come the full browser, chromium or
// chromium-browser. CLUBWIKI_CHROMIUM, when set, names the binary to use
// instead (e.g. CLUBWIKI_CHROMIUM=/usr/bin/chromium, to run the tests with
// the full browser where both are installed); it must exist. Without a
// browser the tests skip, except in CI (CI set), where they fail.
func chromium(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("CLUBWIKI_CHROMIUM"); p != "" {
		found, err := exec.LookPath(p)
		if err != nil {
			t.Fatalf("CLUBWIKI_CHROMIUM=%s: %v", p, err)
		}
		return found
	}
	for _, name := range []string{"chromium-headless-shell", "chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "" {
		t.Skip("Chromium is not installed (apt-get install -y chromium-headless-shell); set CI to make this a failure")
	}
	t.Fatal("Chromium is not installed, and CI is set: install it with apt-get install -y chromium-headless-shell")
	return ""
}

// wikiServer starts an in-process wiki with the seed pages and an editor.
func wikiServer(t *testing.T) string {
	t.Helper()
	base, _, _ := wikiServerWith(t)
	return base
}

// wikiServerWith starts the wiki of wikiServer with a search index kept in
// step by a follower, as serve does, and returns its service and editor.
func wikiServerWith(t *testing.T) (string, *domain.Service, *domain.User) {
	t.Helper()
	return wikiServerEvery(t, 0)
}

// wikiServerEvery is wikiServerWith with an open editor's heartbeat every
// presence (0: the product's default, 5 s). A heartbeat costs the browser
// and the server some work, so only the test of presence asks for a short
// one.
func wikiServerEvery(t *testing.T, presence time.Duration) (string, *domain.Service, *domain.User) {
	t.Helper()
	// No fsync: the browser tests are about the pages; the crash test
	// covers durability, with the binary.
	db, err := store.Open(filepath.Join(t.TempDir(), "wiki.db"), store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	svc := domain.NewService(db, render.New(render.Options{}), textdiff.New(),
		domain.Config{BcryptCost: 4, Seed: assets.Seed()})
	ctx := context.Background()
	if err := svc.Init(ctx); err != nil {
		t.Fatal(err)
	}
	u, err := svc.CreateUser(ctx, domain.NewUser{Login: "camille", Name: "Camille Martin", Password: "mot-de-passe-solide"})
	if err != nil {
		t.Fatal(err)
	}
	idx, _, err := search.Open(filepath.Join(t.TempDir(), "index"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = idx.Close() })
	svc.SetSearch(idx)
	caughtUp := func() (bool, error) {
		want, err := db.LastSeq(ctx)
		if err != nil {
			return false, err
		}
		got, err := idx.LastSeq()
		return got >= want, err
	}
	follow, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	f := &search.Follower{Index: idx, Source: db, Renderer: render.New(render.Options{}), Watch: db.Watch}
	go func() { done <- f.Run(follow) }()
	t.Cleanup(func() { stop(); <-done })
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	// The draft timer is short, so that a test waits for a draft on the
	// server a fraction of a second rather than the seconds people are
	// given; so is the heartbeat when the test asks.
	ts := httptest.NewServer(web.New(svc, web.Options{Logger: log, LoginDelay: -1,
		PresenceEvery: presence, DraftEvery: editorEvery}))
	t.Cleanup(ts.Close)
	indexes.Store(ts.URL, caughtUp)
	t.Cleanup(func() { indexes.Delete(ts.URL) })
	return ts.URL, svc, &u
}

// indexes holds, by the address of each test's wiki, whether its search
// index has applied every change of its store.
var indexes sync.Map // string -> func() (bool, error)

// waitIndexed waits until the search index of the wiki at base has applied
// every change saved so far: search, the axis pages' views and the facets
// read the index, which follows the store a moment behind. A test that
// saves through the service and then opens such a page waits for it
// first, as a member would find the page by searching again.
func waitIndexed(t *testing.T, base string) {
	t.Helper()
	f, ok := indexes.Load(base)
	if !ok {
		t.Fatalf("no wiki at %s", base)
	}
	for deadline := time.Now().Add(patience); ; time.Sleep(10 * time.Millisecond) {
		done, err := f.(func() (bool, error))()
		if err != nil {
			t.Fatalf("waiting for the index: %v", err)
		}
		if done {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the search index did not catch up with the store in %v", patience)
		}
	}
}

// editorEvery is the browser tests' time between an editor's heartbeats
// and before its draft goes to the server.
const editorEvery = 150 * time.Millisecond

// browser is the one headless Chromium that the package's browser tests
// share, started by the first of them: a start costs about 2 s of CPU,
// more than some tests. Each test still gets a fresh profile: its own
// browser context, as an incognito window, with its own cookies and storage
// (the in-process servers all listen on 127.0.0.1, and cookies do not
// tell ports apart).
var browser struct {
	once sync.Once
	ctx  context.Context // the first tab; its children open new ones
	err  error
	stop func() // ends the browser and removes its profile folder
}

// sharedBrowser starts the shared browser on first use.
func sharedBrowser(execPath string) (context.Context, error) {
	browser.once.Do(func() {
		dir, err := os.MkdirTemp("", "clubwiki-chromium-")
		if err != nil {
			browser.err = err
			return
		}
		opts := append(chromedp.DefaultExecAllocatorOptions[:],
			chromedp.ExecPath(execPath),
			chromedp.Headless, chromedp.NoSandbox,
			chromedp.Flag("disable-gpu", true),
			// Composite in the browser process, without a GPU process:
			// a fifth less CPU for the package's browser tests.
			chromedp.Flag("in-process-gpu", true),
			chromedp.Flag("disable-gpu-compositing", true),
			chromedp.Flag("disable-software-rasterizer", true),
			// chromedp's defaults, and RenderDocument: with it, each
			// navigation makes a new frame in the renderer, a quarter
			// more CPU per page load (about 95 ms against 72 here).
			chromedp.Flag("disable-features", "Translate,BlinkGenPropertyTrees,RenderDocument"),
			// Composite on the renderer's main thread: a page load then
			// costs a quarter less CPU (72 ms against 52 here), and no
			// test measures scrolling or animation smoothness.
			chromedp.Flag("disable-threaded-compositing", true),
			chromedp.Flag("disable-background-networking", true),
			chromedp.Flag("disable-component-update", true),
			chromedp.Flag("disable-sync", true),
			chromedp.Flag("no-first-run", true),
			// Every tab asks for English, whichever the binary: the
			// headless shell sends no Accept-Language (the wiki then
			// speaks French, its default) and the full browser en-US.
			// A test that reads French says so: it picks French with
			// the footer's switcher, which is then a real switch, or
			// sets the language's cookie (readsIn).
			chromedp.Flag("accept-lang", "en"),
			chromedp.UserDataDir(dir),
			chromedp.WindowSize(1280, 900),
		)
		alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
		ctx, cancel := chromedp.NewContext(alloc)
		browser.ctx = ctx
		browser.stop = func() { cancel(); cancelAlloc(); os.RemoveAll(dir) }
		if err := chromedp.Do(ctx); err != nil { // starts the browser
			browser.err = fmt.Errorf("starting Chromium: %w", err)
		}
	})
	return browser.ctx, browser.err
}

// stopBrowser ends the shared browser, if a test started it.
func stopBrowser() {
	if browser.stop != nil {
		browser.stop()
	}
}

// newBrowser gives the test a tab of the shared browser, in a browser
// context of its own, with no cookies and no stored data, closed or given
// back to the pool with the test.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	shared, err := sharedBrowser(chromium(t))
	if err != nil {
		t.Fatal(err)
	}
	tb := tabs.get()
	if tb == nil {
		tb = &tab{}
		tb.ctx, tb.close = chromedp.NewContext(shared, chromedp.WithNewBrowserContext())
		if err := chromedp.Do(tb.ctx); err != nil { // opens the tab, without the deadline below
			tb.close()
			t.Fatalf("opening a tab: %v", err)
		}
	}
	t.Cleanup(func() {
		if t.Failed() { // what the tab holds may tell why: keep nothing of it
			tb.close()
			return
		}
		tabs.put(tb)
	})
	ctx, cancelT := context.WithTimeout(tb.ctx, 2*time.Minute)
	t.Cleanup(cancelT) // runs first: listeners on ctx stop before the tab is reused
	return ctx
}

// tabs keeps the tabs that finished tests gave back, for the next tests: a
// new tab starts a renderer process, about half a second of CPU, and the
// package opens about forty. A tab is reset before it is reused (see
// tab.reset); a tab whose reset fails, or whose test failed, is closed.
var tabs tabPool

type tab struct {
	ctx   context.Context
	close context.CancelFunc
}

type tabPool struct {
	mu   sync.Mutex
	free []*tab
}

func (p *tabPool) get() *tab {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.free) == 0 {
		return nil
	}
	tb := p.free[len(p.free)-1]
	p.free = p.free[:len(p.free)-1]
	return tb
}

func (p *tabPool) put(tb *tab) {
	if err := tb.reset(); err != nil {
		tb.close()
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.free = append(p.free, tb)
}

// reset leaves the tab as a new one: on a blank page with no history, at
// the default viewport, and its browser context without cookies or stored
// data (local and session storage, IndexedDB, caches) for any origin the
// tab visited. The test servers listen on ports the system may give again
// to a later test, so the data of a closed server's origin would otherwise
// reach the next one.
func (tb *tab) reset() error {
	ctx, cancel := context.WithTimeout(tb.ctx, 10*time.Second)
	defer cancel()
	acceptDialogs(ctx) // « leave this page? », from an editor left with changes
	return chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		hist, err := cdp.Call(ctx, tg, page.GetNavigationHistory, cdp.Empty{})
		if err != nil {
			return err
		}
		origins := map[string]bool{}
		for _, e := range hist.Entries {
			if u, err := url.Parse(e.URL); err == nil && (u.Scheme == "http" || u.Scheme == "https") {
				origins[u.Scheme+"://"+u.Host] = true
			}
		}
		if _, err := cdp.Call(ctx, tg, page.Navigate, page.NavigateParams{URL: "about:blank"}); err != nil {
			return err
		}
		for o := range origins {
			if _, err := cdp.Call(ctx, tg, storage.ClearDataForOrigin, storage.ClearDataForOriginParams{Origin: o, StorageTypes: "all"}); err != nil {
				return err
			}
		}
		if _, err := chromedp.CallBrowser(ctx, storage.ClearCookies, storage.ClearCookiesParams{BrowserContextID: chromedp.FromContext(tb.ctx).BrowserContextID}); err != nil {
			return err
		}
		if _, err := cdp.Call(ctx, tg, emulation.ClearDeviceMetricsOverride, cdp.Empty{}); err != nil {
			return err
		}
		_, err = cdp.Call(ctx, tg, page.ResetNavigationHistory, cdp.Empty{})
		return err
	}))
}

// screenshot saves a PNG of the viewport under docs/screenshots when
// CLUBWIKI_SCREENSHOTS=1, so that ordinary runs leave the tree clean.
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	if os.Getenv("CLUBWIKI_SCREENSHOTS") != "1" {
		return
	}
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join("..", "docs", "screenshots", name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// do runs steps and fails the test with what it was doing.
func step(t *testing.T, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// wantLocation waits until the tab's path and query are want. It polls
// from Go: a poll inside the page dies with the page when it navigates.
func wantLocation(t *testing.T, ctx context.Context, want string) {
	t.Helper()
	var loc string
	for deadline := time.Now().Add(patience); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		l, err := chromedp.Run(ctx, chromedp.Location())
		if err != nil {
			continue
		}
		if loc = l; strings.HasSuffix(loc, want) && strings.Count(loc, "/") == strings.Count(want, "/")+2 {
			return
		}
	}
	t.Fatalf("location = %s, want %s", loc, want)
}

func jsString(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

// patience is how long the browser tests wait for a condition before
// failing: a hang check, not a performance assertion. The waits end as
// soon as the condition holds, so only a failing test waits this long; a
// machine busy with other work (an apt-get install, other test binaries)
// can make a page load take seconds.
const patience = 30 * time.Second

// waitFor waits until a JavaScript condition holds. It polls every 20 ms:
// the headless shell draws no frames while nothing moves, so a poll on
// animation frames would never run.
func waitFor(t *testing.T, ctx context.Context, what, cond string) {
	t.Helper()
	var err error
	// A navigation under way destroys the poll's context: poll again in
	// the new page, a few times (an error that stays, as a wrong
	// expression, fails at once), within the same deadline.
	deadline := time.Now().Add(patience)
	for range 3 {
		left := time.Until(deadline)
		if left <= 0 || ctx.Err() != nil {
			break
		}
		if _, err = chromedp.Run(ctx, chromedp.Poll[bool](cond,
			chromedp.WithPollingInterval(20*time.Millisecond), chromedp.WithPollingTimeout(left))); err == nil {
			return
		}
	}
	t.Fatalf("waiting for %s: %v", what, err)
}

// load runs steps that open another page (a click on a link or on a form's
// button, a key that submits) and waits until that page has loaded. A wait
// for a condition right after the click could be met by the old page, and
// the next navigation would then abort the one under way (net::ERR_ABORTED).
func load(steps ...chromedp.Action[chromedp.Void]) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, _ *chromedp.Target) (chromedp.Void, error) {
		_, err := chromedp.RunResponse(ctx, steps...)
		return chromedp.Void{}, err
	}
}

// chooseLanguage picks the interface's language with the footer's switcher
// and waits for the page it reloads.
func chooseLanguage(t *testing.T, ctx context.Context, lang string) {
	t.Helper()
	step(t, ctx, "choosing "+lang, chromedp.WaitVisible(chromedp.ID("lang-select")),
		chromedp.SetValue(chromedp.ID("lang-select"), lang),
		load(chromedp.Click(chromedp.CSS("footer form.lang button"))))
	waitFor(t, ctx, "the interface in "+lang, `document.documentElement.lang === "`+lang+`"`)
}

// typeAtEnd enters text at the end of a textarea, as a user would after
// clicking below the text, in one input (see insertText).
func typeAtEnd(id, text string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		js := `(() => { const t = document.getElementById(` + jsString(id) + `); t.focus(); t.setSelectionRange(t.value.length, t.value.length); return true; })()`
		if _, err := chromedp.Evaluate[bool](js)(ctx, tg); err != nil {
			return err
		}
		_, err := cdp.Call(ctx, tg, input.InsertText, input.InsertTextParams{Text: text})
		return err
	})
}

// ctrlS presses Ctrl+S in the page.
var ctrlS = chromedp.KeyEvent("s", chromedp.KeyModifiers(chromedp.ModifierCtrl))

func TestBrowser_EditFlow(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests are skipped with -short")
	}
	t.Parallel()
	base := wikiServer(t)
	ctx := newBrowser(t)
	const path = "/wiki/assistance/probleme-de-connexion-a-l-ent"

	signIn(t, ctx, base)
	// Headless Chromium asks for English; the club reads French, chosen
	// with the footer's switcher.
	chooseLanguage(t, ctx, "fr")
	waitFor(t, ctx, "the French interface", `document.documentElement.lang === "fr" && !!document.querySelector(".cards")`)

	step(t, ctx, "the new page form", chromedp.Navigate(base+"/new"),
		chromedp.SetValue(chromedp.ID("ns"), "assistance"),
		chromedp.SendKeys(chromedp.ID("title"), "Problème de connexion à l'ENT"))
	waitFor(t, ctx, "the canonical path", `document.getElementById("new-path-value").textContent === "assistance/probleme-de-connexion-a-l-ent"`)
	step(t, ctx, "going to the editor", load(chromedp.Click(chromedp.CSS("#new-form button[type=submit]"))),
		chromedp.WaitVisible(chromedp.ID("markdown")))

	step(t, ctx, "typing", typeAtEnd("markdown",
		"## Symptôme\n\nLe lundi matin, la connexion échoue. Voir [[club/accueil|la page du club]].\n"))
	waitFor(t, ctx, "the preview", `(() => { const h = document.querySelector("#preview h2"); return !!h && h.textContent === "Symptôme"; })()`)
	screenshot(t, ctx, "editor")
	step(t, ctx, "saving with Ctrl+S", load(ctrlS))
	wantLocation(t, ctx, path)
	waitFor(t, ctx, "the notice", `(document.querySelector(".flash") || {}).textContent === "Page créée."`)

	step(t, ctx, "editing again", chromedp.Navigate(base+"/edit"+strings.TrimPrefix(path, "/wiki")),
		chromedp.WaitVisible(chromedp.ID("markdown")),
		typeAtEnd("markdown", "\n## Solution\n\nVider le cache du navigateur.\n"),
		insertText(chromedp.ID("summary"), "ajout de la solution"))
	waitFor(t, ctx, "the preview", `document.querySelectorAll("#preview h2").length === 2`)
	step(t, ctx, "saving with Ctrl+S", load(ctrlS))
	wantLocation(t, ctx, path)
	waitFor(t, ctx, "the notice", `(document.querySelector(".flash") || {}).textContent === "Modification enregistrée."`)
	waitFor(t, ctx, "the rendered page", `document.querySelector("main h1").textContent === "Problème de connexion à l'ENT" && !!document.querySelector(".toc")`)
	screenshot(t, ctx, "page")

	step(t, ctx, "following the wiki link", load(chromedp.Click(chromedp.CSS(`.content a.wikilink[href="/wiki/club/accueil"]`))))
	wantLocation(t, ctx, "/wiki/club/accueil")

	step(t, ctx, "comparing revisions 1 and 2", chromedp.Navigate(base+"/history"+strings.TrimPrefix(path, "/wiki")),
		chromedp.WaitVisible(chromedp.CSS("table.history")),
		chromedp.Click(chromedp.ID("from-1")), chromedp.Click(chromedp.ID("to-2")),
		load(chromedp.Click(chromedp.CSS("form[action^='/diff/'] button[type=submit]"))),
		chromedp.WaitVisible(chromedp.CSS(".wdiff ins.diff-ins"))) // the word view, by default
	wantLocation(t, ctx, "/diff"+strings.TrimPrefix(path, "/wiki")+"?to=2&from=1") // form order: row by row
	screenshot(t, ctx, "diff")

	step(t, ctx, "reverting to revision 1", chromedp.Navigate(base+"/history"+strings.TrimPrefix(path, "/wiki")),
		load(chromedp.Click(chromedp.CSS(`a[href$="?rev=1"][href^="/revert/"]`))),
		chromedp.WaitVisible(chromedp.CSS("form[action^='/revert/']")),
		load(chromedp.Click(chromedp.CSS("form[action^='/revert/'] button[type=submit]"))))
	wantLocation(t, ctx, path)
	waitFor(t, ctx, "the reverted text", `!document.querySelector(".content").textContent.includes("Vider le cache")`)

	narrow(t, ctx, base, path)

	step(t, ctx, "signing out", load(chromedp.Click(chromedp.CSS("header .account button[type=submit]"))))
	wantLocation(t, ctx, "/login")
}

// narrow checks that pages fit a 360 px wide phone without sideways
// scrolling.
func narrow(t *testing.T, ctx context.Context, base, path string) {
	t.Helper()
	step(t, ctx, "a phone's width", chromedp.EmulateViewport(360, 740))
	slug := strings.TrimPrefix(path, "/wiki")
	for _, u := range []string{path, "/edit" + slug, "/history" + slug, "/diff" + slug + "?from=1&to=2", "/changes", "/"} {
		step(t, ctx, "opening "+u, chromedp.Navigate(base+u), chromedp.WaitVisible(chromedp.CSS("main")))
		w, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
		if err != nil {
			t.Fatal(err)
		}
		if w > 360 {
			t.Errorf("%s at 360 px: scrollWidth %d", u, w)
		}
	}
	if os.Getenv("CLUBWIKI_SCREENSHOTS") == "1" {
		step(t, ctx, "back to the page", chromedp.Navigate(base+path), chromedp.WaitVisible(chromedp.CSS("main")))
		screenshot(t, ctx, "page-360")
	}
	step(t, ctx, "a desktop's width", chromedp.EmulateViewport(1280, 900))
}

// signIn signs camille in on a fresh tab, through the sign-in form.
// TestBrowser_EditFlow and the tests that sign other members in use the
// form; the others may use signInFast.
func signIn(t *testing.T, ctx context.Context, base string) {
	t.Helper()
	step(t, ctx, "signing in", chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(chromedp.ID("login")),
		chromedp.SendKeys(chromedp.ID("login"), "camille"),
		chromedp.SendKeys(chromedp.ID("password"), "mot-de-passe-solide"),
		load(chromedp.Click(chromedp.CSS("main form button[type=submit]"))),
		chromedp.WaitVisible(chromedp.CSS(".cards")))
}

// signInFast signs camille in (see signInAs) and opens the home page.
func signInFast(t *testing.T, ctx context.Context, base string) {
	t.Helper()
	signInAs(t, ctx, base, "camille")
	step(t, ctx, "the home page", chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.CSS(".cards")))
}

// signInAs signs login in for the tab's browser context, whose password
// the tests all set to mot-de-passe-solide: the session comes from the
// server's own POST /login, asked from Go, and its cookie is given to the
// browser as the server set it; the tab stays where it is. The form costs
// the browser two page loads and a few dozen keystrokes, a third of a
// second of CPU, and the package signs in some thirty times;
// TestBrowser_EditFlow and the new member of TestBrowser_Invite still go
// through the form.
func signInAs(t *testing.T, ctx context.Context, base, login string) {
	t.Helper()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.PostForm(base+"/login", url.Values{"login": {login}, "password": {"mot-de-passe-solide"}})
	if err != nil {
		t.Fatalf("signing in as %s: %v", login, err)
	}
	resp.Body.Close()
	var session *http.Cookie
	for _, ck := range resp.Cookies() {
		if ck.Name == "clubwiki_session" && ck.Value != "" {
			session = ck
		}
	}
	if resp.StatusCode != http.StatusSeeOther || session == nil {
		t.Fatalf("signing in as %s: %s, cookies %v", login, resp.Status, resp.Cookies())
	}
	step(t, ctx, "signing in as "+login, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, network.SetCookie, network.SetCookieParams{
			Name: session.Name, Value: session.Value, URL: base + "/", Path: "/",
			HTTPOnly: &session.HttpOnly, SameSite: network.CookieSameSiteLax})
		return err
	}))
}

// readsIn sets the language of the interface for the tab's browser
// context, as the footer's switcher does, without loading a page: for the
// tests that read the pages in that language but are not about choosing
// it.
func readsIn(t *testing.T, ctx context.Context, base, lang string) {
	t.Helper()
	step(t, ctx, "reading in "+lang, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		httpOnly := true // as the wiki sets it
		_, err := cdp.Call(ctx, tg, network.SetCookie, network.SetCookieParams{
			Name: "lang", Value: lang, URL: base + "/", Path: "/", HTTPOnly: &httpOnly, SameSite: network.CookieSameSiteLax})
		return err
	}))
}

// insertText enters text in the element as one input, as a paste or an
// input method does: the page sees the same beforeinput and input events
// as for typing, once, rather than a key down and up per character, which
// cost the browser a few milliseconds each. The tests of what keys do
// (suggestions, shortcuts, Tab) still press them.
func insertText[S chromedp.Selectable](sel S, text string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		if _, err := chromedp.Focus(sel)(ctx, tg); err != nil {
			return err
		}
		_, err := cdp.Call(ctx, tg, input.InsertText, input.InsertTextParams{Text: text})
		return err
	})
}

// evalString evaluates a JavaScript expression that yields a string.
func evalString(t *testing.T, ctx context.Context, js string) string {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
	if err != nil {
		t.Fatalf("evaluating %s: %v", js, err)
	}
	return v
}
