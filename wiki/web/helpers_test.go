package web

import (
	"bytes"
	"context"
	"encoding/json"
	"github.com/kdecole-club/clubwiki/internal/testgc"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kdecole-club/clubwiki/render"
	"github.com/kdecole-club/clubwiki/store"
	"github.com/kdecole-club/clubwiki/wiki"
	"github.com/kdecole-club/clubwiki/wiki/textdiff"
	"golang.org/x/crypto/bcrypt"
)

// TestMain runs the package's tests with the collector's pace of testgc:
// the tests make hundreds of servers and thousands of answers.
//
// Every test calls t.Parallel: each makes its own wiki and server (store
// in its own folder, own limiters and caches), and what the process
// shares (catalogues, frames, templates, static files, the renderer, the
// password hash) is only read. A test that changes one of those gives its
// server a copy (TestUI_FrameAsLayout). Run in parallel, the package keeps
// both cores busy rather than one.
func TestMain(m *testing.M) { testgc.Main(m) }

// testEnv is a real wiki (bbolt store in a temporary folder, real renderer
// and differ) behind a Server, with an editor's and a reader's token.
type testEnv struct {
	t      testing.TB
	svc    *wiki.Service
	store  wiki.Store // what the service uses, a wrapper when asked for
	srv    *Server
	editor string // API token of an editor
	reader string // API token of a reader
	logs   *syncBuffer
}

type envOptions struct {
	maxPageBytes int
	maxFileBytes int64
	wrapStore    func(wiki.Store) wiki.Store
	wrapDiffer   func(wiki.Differ) wiki.Differ
	wrapRenderer func(wiki.Renderer) wiki.Renderer
	readRule     wiki.ReadRule
	cacheBytes   int           // the service's one cache budget (wiki.Config.CacheBytes)
	feedTime     time.Duration // wiki.Config.FeedTime, the default when 0
	server       Options
}

func newTestEnv(t testing.TB) *testEnv { return newTestEnvWith(t, envOptions{}) }

func newTestEnvWith(t testing.TB, o envOptions) *testEnv {
	t.Helper()
	// Tests skip fsync: they run in one process, where what a commit
	// wrote is read back without it, and the store's own tests and the
	// e2e crash test cover durability. Benchmarks measure it.
	_, bench := t.(*testing.B)
	db, err := store.Open(filepath.Join(t.TempDir(), "wiki.db"), store.Options{NoSync: !bench})
	if err != nil {
		t.Fatalf("store.Open: %v", err)
	}
	t.Cleanup(func() { _ = db.Close() })
	var st wiki.Store = db
	if o.wrapStore != nil {
		st = o.wrapStore(db)
	}
	var differ wiki.Differ = textdiff.New()
	if o.wrapDiffer != nil {
		differ = o.wrapDiffer(differ)
	}
	var renderer wiki.Renderer = sharedRenderer()
	if o.wrapRenderer != nil {
		renderer = o.wrapRenderer(renderer)
	}
	svc := wiki.NewService(st, renderer, differ,
		wiki.Config{BcryptCost: testBcryptCost, MaxPageBytes: o.maxPageBytes, MaxFileBytes: o.maxFileBytes, ReadRule: o.readRule, CacheBytes: o.cacheBytes,
			FeedTime: o.feedTime})
	ctx := context.Background()
	if err := svc.Init(ctx); err != nil {
		t.Fatalf("Init: %v", err)
	}
	e := &testEnv{t: t, svc: svc, store: st, logs: &syncBuffer{}}
	e.editor = e.user(ctx, "edith", wiki.RoleEditor)
	e.reader = e.user(ctx, "remi", wiki.RoleReader)
	if o.server.Logger == nil {
		o.server.Logger = slog.New(slog.NewTextHandler(e.logs, nil))
	}
	if o.server.WriteLimit == (WriteLimit{}) {
		// Tests write far faster than people: only the limiter's own
		// tests limit writes (ratelimit_test.go).
		o.server.WriteLimit = WriteLimit{Rate: -1}
	}
	e.srv = New(svc, o.server)
	return e
}

// user creates a user and returns a fresh API token of theirs.
func (e *testEnv) user(ctx context.Context, login string, role wiki.Role) string {
	e.t.Helper()
	e.addUser(ctx, login, role)
	tok, _, err := e.svc.CreateToken(ctx, wiki.System(), login, "tests")
	if err != nil {
		e.t.Fatalf("CreateToken %s: %v", login, err)
	}
	return tok
}

// sharedRenderer is the test wikis' renderer, built once per process:
// building one is costly, and a Renderer holds no state of its own (it is
// made to be shared by concurrent requests).
var sharedRenderer = sync.OnceValue(func() *render.Renderer { return render.New(render.Options{}) })

// testPassword is the password of the users the helpers create.
const testPassword = "mot-de-passe-solide"

// testPasswordHash is testPassword hashed at the cost the tests' service
// uses (wiki.Config.BcryptCost), made once per process: even at bcrypt's
// least cost a hash was most of what making a test wiki cost, and no test
// of this package is about how users are created (the API's are, and go
// through wiki.Service.CreateUser).
var testPasswordHash = sync.OnceValue(func() []byte {
	h, err := bcrypt.GenerateFromPassword([]byte(testPassword), testBcryptCost)
	if err != nil {
		panic(err)
	}
	return h
})

// testBcryptCost is the cost of the tests' password hashes: the least.
const testBcryptCost = bcrypt.MinCost

// addUser adds a member with testPassword: the user svc.CreateUser
// makes of that login and role, written to the store with the shared
// hash.
func (e *testEnv) addUser(ctx context.Context, login string, role wiki.Role) {
	e.t.Helper()
	u := wiki.User{Login: login, Role: role, PasswordHash: testPasswordHash(), Created: time.Now().UTC()}
	if err := e.store.CreateUser(ctx, u); err != nil {
		e.t.Fatalf("CreateUser %s: %v", login, err)
	}
}

// do sends a request through the handler. body is nil, a string sent as is,
// or a value sent as JSON.
func (e *testEnv) do(method, target, token string, body any) *httptest.ResponseRecorder {
	e.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			e.t.Fatalf("encoding the request body: %v", err)
		}
		rd = bytes.NewReader(j)
	}
	req := newRequest(method, target, rd)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return serve(e.srv, req)
}

func newRequest(method, target string, body io.Reader) *http.Request {
	return httptest.NewRequest(method, target, body)
}

func serve(h http.Handler, r *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	return rec
}

// savedT is the answer of a save as the tests read it. The tests decode
// into their own types, with plain strings, so that they check the wire
// format rather than the server's structs.
type savedT struct {
	Path   string `json:"path"`
	Rev    int    `json:"rev"`
	Merged *bool  `json:"merged"`
}

// save PUTs a page as the editor and checks the status.
func (e *testEnv) save(path, markdown string, baseRev, wantStatus int) savedT {
	e.t.Helper()
	target := (&url.URL{Path: "/api/pages/" + path}).EscapedPath()
	rec := e.do("PUT", target, e.editor, map[string]any{"markdown": markdown, "base_rev": baseRev, "summary": "test"})
	wantStatusCode(e.t, rec, wantStatus)
	return decode[savedT](e.t, rec)
}

func wantStatusCode(t testing.TB, rec *httptest.ResponseRecorder, want int) {
	t.Helper()
	if rec.Code != want {
		t.Fatalf("status = %d, want %d; body: %s", rec.Code, want, rec.Body.String())
	}
}

// decode decodes a JSON answer, checking its content type.
func decode[T any](t testing.TB, rec *httptest.ResponseRecorder) T {
	t.Helper()
	if ct := rec.Header().Get("Content-Type"); ct != "application/json; charset=utf-8" {
		t.Fatalf("Content-Type = %q, want JSON; body: %s", ct, rec.Body.String())
	}
	var v T
	if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil {
		t.Fatalf("decoding %s: %v", rec.Body.String(), err)
	}
	return v
}

// apiError is the decoded error shape, extras included.
type apiError struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
		Reason  string `json:"reason"`
	} `json:"error"`
	HeadRev          *int    `json:"head_rev"`
	ConflictMarkdown *string `json:"conflict_markdown"`
}

// wantError checks status and error code of an answer and returns it.
func wantError(t testing.TB, rec *httptest.ResponseRecorder, status int, code string) apiError {
	t.Helper()
	wantStatusCode(t, rec, status)
	e := decode[apiError](t, rec)
	if e.Error.Code != code {
		t.Fatalf("error code = %q, want %q; body: %s", e.Error.Code, code, rec.Body.String())
	}
	if e.Error.Message == "" {
		t.Fatalf("error without a message: %s", rec.Body.String())
	}
	return e
}

// syncBuffer is a bytes.Buffer safe for the logger's concurrent writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// historyT is a history answer as the tests read it.
type historyT struct {
	Path      string `json:"path"`
	Revisions []struct {
		Rev     int    `json:"rev"`
		Author  string `json:"author"`
		Time    string `json:"time"`
		Summary string `json:"summary"`
		Minor   bool   `json:"minor"`
		Size    int    `json:"size"`
		Deleted bool   `json:"deleted"`
	} `json:"revisions"`
}

// history reads the history of a page as the reader.
func (e *testEnv) history(path string) historyT {
	e.t.Helper()
	rec := e.do("GET", "/api/history/"+path, e.reader, nil)
	wantStatusCode(e.t, rec, http.StatusOK)
	return decode[historyT](e.t, rec)
}
