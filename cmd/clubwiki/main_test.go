package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/kdecole-club/clubwiki/wiki"
)

// The commands hash passwords at bcrypt's minimum cost here: the tests
// check what is stored and who may sign in, not the hash's strength, and
// the default cost made bcrypt half of this package's CPU time. The
// e2e tests run the built binary, at the default cost. The store skips
// fsync for the same reason (config.go's noSync). The search follower
// lets saves settle for 10 ms rather than 300, and retries after a failure
// (a full disk) from 10 ms rather than a second: the tests wait for the
// index to catch up, and would otherwise wait out those delays.
//
// Serve's paging of the executable (mapped.PageExecutable) is counted, not
// done: done, it drops this test binary's code from memory and from the
// page cache, and the tests after it run faulting it back from the disk a
// page at a time.
func init() {
	bcryptCost, noSync = bcrypt.MinCost, true
	searchSettle, searchRetryEvery = 10*time.Millisecond, 10*time.Millisecond
	pageExecutable = func() error { executablePaged.Add(1); return nil }
}

// executablePaged counts serve's calls of pageExecutable.
var executablePaged atomic.Int64

// result is what one run of the command line produced.
type result struct {
	code           int
	stdout, stderr string
}

// runCLI calls run as main would, with stdin as the standard input.
func runCLI(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(t.Context(), args, strings.NewReader(stdin), &out, &errb)
	return result{code: code, stdout: out.String(), stderr: errb.String()}
}

// mustRun runs the command line and fails the test unless it exits 0.
func mustRun(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	r := runCLI(t, stdin, args...)
	if r.code != exitOK {
		t.Fatalf("clubwiki %s: exit %d, stderr:\n%s", strings.Join(args, " "), r.code, r.stderr)
	}
	return r
}

// openData opens a data folder the way the commands do, for checking what a
// command left in it.
func openData(t *testing.T, dir string) *app {
	t.Helper()
	a, err := openApp(t.Context(), config{Data: dir, MaxPageBytes: wiki.DefaultMaxPageBytes})
	if err != nil {
		t.Fatalf("opening %s: %v", dir, err)
	}
	t.Cleanup(func() { a.Close() })
	return a
}

// singleLine returns the only line of s, failing when s is not exactly one
// non-empty line ending with a newline.
func singleLine(t *testing.T, s string) string {
	t.Helper()
	line, ok := strings.CutSuffix(s, "\n")
	if !ok || line == "" || strings.Contains(line, "\n") {
		t.Fatalf("want exactly one line on stdout, got %q", s)
	}
	return line
}

func TestRun_UsageErrors(t *testing.T) {
	data := t.TempDir()
	tests := []struct {
		name string
		args []string
	}{
		{"no command", nil},
		{"unknown command", []string{"frobnicate"}},
		{"user without subcommand", []string{"user", "--data", data}},
		{"unknown user subcommand", []string{"user", "remove", "bob", "--data", data}},
		{"user add without login", []string{"user", "add", "--data", data}},
		{"user passwd without login", []string{"user", "passwd", "--data", data}},
		{"token create without login", []string{"token", "create", "--data", data}},
		{"token without create", []string{"token", "--data", data}},
		{"bad role", []string{"user", "add", "bob", "--role", "chef", "--data", data}},
		{"user add extra argument", []string{"user", "add", "bob", "alice", "--data", data}},
		{"check extra argument", []string{"check", "now", "--data", data}},
		{"export without dir", []string{"export", "--data", data}},
		{"serve extra argument", []string{"serve", "later", "--data", data, "--addr", "127.0.0.1:0"}},
		{"unknown flag", []string{"check", "--colour", "--data", data}},
		{"flags after -- are arguments", []string{"user", "add", "--data", data, "--", "carl", "--role", "reader"}},
		{"flag without value", []string{"user", "add", "bob", "--data", data, "--role"}},
		{"page limit not positive", []string{"check", "--data", data, "--max-page-bytes", "0"}},
		{"no trusted proxy", []string{"serve", "--data", data, "--addr", "127.0.0.1:0", "--behind-proxy", "--trusted-proxies", "0"}},
		{"negative write rate", []string{"serve", "--data", data, "--addr", "127.0.0.1:0", "--write-rate", "-1"}},
		{"no write burst", []string{"serve", "--data", data, "--addr", "127.0.0.1:0", "--write-burst", "0"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runCLI(t, "", tt.args...)
			if r.code != exitUsage {
				t.Errorf("exit %d, want %d; stderr:\n%s", r.code, exitUsage, r.stderr)
			}
			if r.stdout != "" {
				t.Errorf("stdout %q, want nothing", r.stdout)
			}
			if !strings.HasPrefix(r.stderr, "clubwiki: ") || !strings.Contains(r.stderr, "Usage:") {
				t.Errorf("stderr should name the mistake and show the usage, got:\n%s", r.stderr)
			}
		})
	}
	// A usage error is found before the data folder is touched: bad
	// invocations do not create anything.
	t.Run("bad role creates no user", func(t *testing.T) {
		a := openData(t, data)
		if _, err := a.svc.User(t.Context(), "bob"); wiki.ErrorCode(err) != wiki.ENotFound {
			t.Errorf("user bob after usage errors: err %v, want not found", err)
		}
	})
}

func TestRun_Help(t *testing.T) {
	r := runCLI(t, "", "help")
	if r.code != exitOK || !strings.Contains(r.stdout, "clubwiki serve") {
		t.Errorf("help: exit %d, stdout %q", r.code, r.stdout)
	}
}

func TestRun_Check(t *testing.T) {
	t.Run("fresh folder", func(t *testing.T) {
		data := filepath.Join(t.TempDir(), "not", "yet", "there")
		r := mustRun(t, "", "check", "--data", data)
		if !strings.HasSuffix(r.stdout, "ok\n") {
			t.Errorf("stdout %q, want a report ending with ok", r.stdout)
		}
		if _, err := os.Stat(filepath.Join(data, dbFile)); err != nil {
			t.Errorf("check did not create the data folder: %v", err)
		}
	})

	t.Run("not a store", func(t *testing.T) {
		data := t.TempDir()
		junk := bytes.Repeat([]byte("ceci n'est pas une base "), 1000)
		if err := os.WriteFile(filepath.Join(data, dbFile), junk, 0o600); err != nil {
			t.Fatal(err)
		}
		r := runCLI(t, "", "check", "--data", data)
		if r.code != exitFail {
			t.Errorf("exit %d on a file that is not a store, want %d; stderr:\n%s", r.code, exitFail, r.stderr)
		}
	})
}

func TestRun_Export(t *testing.T) {
	data := t.TempDir()
	out := filepath.Join(t.TempDir(), "export")
	r := mustRun(t, "", "export", out, "--data", data)

	home, err := os.ReadFile(filepath.Join(out, "club", "accueil.md"))
	if err != nil {
		t.Fatalf("export wrote no club/accueil.md: %v", err)
	}
	a := openData(t, data)
	p, err := wiki.ParsePath("club/accueil")
	if err != nil {
		t.Fatal(err)
	}
	pv, err := a.svc.Page(t.Context(), wiki.System(), p, 0)
	if err != nil {
		t.Fatal(err)
	}
	if string(home) != pv.Markdown {
		t.Errorf("club/accueil.md differs from the page's Markdown:\n%q\nwant\n%q", home, pv.Markdown)
	}
	heads, total, err := a.svc.Pages(t.Context(), wiki.System(), "", 500, 0)
	if err != nil {
		t.Fatal(err)
	}
	if total != len(heads) || total < 2 {
		t.Fatalf("the fresh wiki has %d pages (%d listed), want the seed pages", total, len(heads))
	}
	for _, h := range heads {
		name := filepath.Join(out, filepath.FromSlash(h.Path.String())+".md")
		if _, err := os.Stat(name); err != nil {
			t.Errorf("page %s not exported: %v", h.Path, err)
		}
		if !strings.Contains(r.stdout, h.Path.String()+"\n") {
			t.Errorf("stdout does not list %s", h.Path)
		}
	}
}

func TestRun_DataFromEnvironment(t *testing.T) {
	data := filepath.Join(t.TempDir(), "depuis-env")
	t.Setenv("CLUBWIKI_DATA", data)
	pw := singleLine(t, mustRun(t, "", "user", "add", "bob").stdout)
	if _, err := os.Stat(filepath.Join(data, dbFile)); err != nil {
		t.Fatalf("CLUBWIKI_DATA was not used: %v", err)
	}
	if _, err := openData(t, data).svc.Authenticate(t.Context(), "bob", pw); err != nil {
		t.Errorf("user not created in CLUBWIKI_DATA: %v", err)
	}

	t.Run("flag wins over environment", func(t *testing.T) {
		other := t.TempDir()
		mustRun(t, "", "user", "add", "carole", "--data", other)
		if _, err := openData(t, other).svc.User(t.Context(), "carole"); err != nil {
			t.Errorf("--data was not used: %v", err)
		}
	})
}
