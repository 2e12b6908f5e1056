package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kdecole-club/clubwiki/wiki"
)

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

func TestRun_UserAdd(t *testing.T) {
	t.Run("generated password alone on stdout", func(t *testing.T) {
		data := t.TempDir()
		r := mustRun(t, "", "user", "add", "bob", "--data", data)
		pw := singleLine(t, r.stdout)
		if len(pw) < wiki.MinPasswordBytes || strings.TrimSpace(pw) != pw {
			t.Errorf("generated password %q looks wrong", pw)
		}
		u, err := openData(t, data).svc.Authenticate(t.Context(), "bob", pw)
		if err != nil {
			t.Fatalf("the printed password does not work: %v", err)
		}
		if u.Role != wiki.RoleEditor {
			t.Errorf("default role %q, want editor", u.Role)
		}
	})

	t.Run("password from stdin prints nothing", func(t *testing.T) {
		data := t.TempDir()
		const pw = "mot-de-passe-très-long"
		r := mustRun(t, pw+"\nignored second line\n", "user", "add", "carole", "--password-stdin",
			"--name", "Carole Dupré", "--email", "carole@example.org", "--data", data)
		if r.stdout != "" {
			t.Errorf("stdout %q, want nothing", r.stdout)
		}
		a := openData(t, data)
		u, err := a.svc.Authenticate(t.Context(), "carole", pw)
		if err != nil {
			t.Fatalf("the password from stdin does not work: %v", err)
		}
		if u.Name != "Carole Dupré" || u.Email != "carole@example.org" {
			t.Errorf("user %+v: name or e-mail not kept", u)
		}
		if _, err := a.svc.Authenticate(t.Context(), "carole", "ignored second line"); err == nil {
			t.Error("the second line of stdin became the password")
		}
	})

	t.Run("password from stdin with CRLF", func(t *testing.T) {
		data := t.TempDir()
		const pw = "fenêtres-et-retours"
		mustRun(t, pw+"\r\n", "user", "add", "dora", "--password-stdin", "--data", data)
		if _, err := openData(t, data).svc.Authenticate(t.Context(), "dora", pw); err != nil {
			t.Fatalf("the password without its CR does not work: %v", err)
		}
	})

	t.Run("flags after positionals", func(t *testing.T) {
		data := t.TempDir()
		mustRun(t, "", "user", "add", "bob", "--role", "reader", "--data", data)
		u, err := openData(t, data).svc.User(t.Context(), "bob")
		if err != nil {
			t.Fatal(err)
		}
		if u.Role != wiki.RoleReader {
			t.Errorf("role %q, want reader", u.Role)
		}
	})

	t.Run("flags before positionals", func(t *testing.T) {
		data := t.TempDir()
		mustRun(t, "", "user", "add", "--role", "admin", "--data", data, "eve")
		u, err := openData(t, data).svc.User(t.Context(), "eve")
		if err != nil {
			t.Fatal(err)
		}
		if u.Role != wiki.RoleAdmin {
			t.Errorf("role %q, want admin", u.Role)
		}
	})

	t.Run("duplicate user", func(t *testing.T) {
		data := t.TempDir()
		mustRun(t, "", "user", "add", "bob", "--data", data)
		r := runCLI(t, "", "user", "add", "bob", "--data", data)
		if r.code != exitFail {
			t.Fatalf("exit %d, want %d", r.code, exitFail)
		}
		if r.stdout != "" {
			t.Errorf("stdout %q, want nothing (no password for a user that was not created)", r.stdout)
		}
		if !strings.Contains(r.stderr, "bob") || strings.Contains(r.stderr, "Usage:") {
			t.Errorf("stderr should say that bob exists, without the usage; got:\n%s", r.stderr)
		}
		if strings.Contains(r.stderr, "internal") {
			t.Errorf("a duplicate login is not an internal error; stderr:\n%s", r.stderr)
		}
	})

	t.Run("password from stdin too short", func(t *testing.T) {
		data := t.TempDir()
		r := runCLI(t, "court\n", "user", "add", "bob", "--password-stdin", "--data", data)
		if r.code != exitFail || r.stdout != "" {
			t.Fatalf("exit %d stdout %q, want exit 1 and nothing", r.code, r.stdout)
		}
		if _, err := openData(t, data).svc.User(t.Context(), "bob"); wiki.ErrorCode(err) != wiki.ENotFound {
			t.Errorf("user bob exists after a refused password (err %v)", err)
		}
	})

	t.Run("invalid login", func(t *testing.T) {
		r := runCLI(t, "", "user", "add", "Bob Éric", "--data", t.TempDir())
		if r.code != exitFail || r.stdout != "" {
			t.Errorf("exit %d stdout %q, want exit 1 and nothing; stderr:\n%s", r.code, r.stdout, r.stderr)
		}
	})
}

func TestRun_UserPasswd(t *testing.T) {
	data := t.TempDir()
	old := singleLine(t, mustRun(t, "", "user", "add", "bob", "--data", data).stdout)

	t.Run("generated", func(t *testing.T) {
		pw := singleLine(t, mustRun(t, "", "user", "passwd", "bob", "--data", data).stdout)
		if pw == old {
			t.Fatal("the new password equals the old one")
		}
		a := openData(t, data)
		if _, err := a.svc.Authenticate(t.Context(), "bob", pw); err != nil {
			t.Errorf("the new password does not work: %v", err)
		}
		if _, err := a.svc.Authenticate(t.Context(), "bob", old); err == nil {
			t.Error("the old password still works")
		}
		a.Close()
	})

	t.Run("from stdin", func(t *testing.T) {
		const pw = "une-phrase-de-passe-solide"
		r := mustRun(t, pw+"\n", "user", "passwd", "--password-stdin", "bob", "--data", data)
		if r.stdout != "" {
			t.Errorf("stdout %q, want nothing", r.stdout)
		}
		if _, err := openData(t, data).svc.Authenticate(t.Context(), "bob", pw); err != nil {
			t.Errorf("the password from stdin does not work: %v", err)
		}
	})

	t.Run("missing user", func(t *testing.T) {
		r := runCLI(t, "", "user", "passwd", "personne", "--data", data)
		if r.code != exitFail {
			t.Fatalf("exit %d, want %d; stderr:\n%s", r.code, exitFail, r.stderr)
		}
		if r.stdout != "" {
			t.Errorf("stdout %q: a password was printed for a user that does not exist", r.stdout)
		}
		if r.stderr == "" || strings.Contains(r.stderr, "Usage:") {
			t.Errorf("stderr should explain the failure without the usage; got:\n%s", r.stderr)
		}
	})
}

func TestRun_TokenCreate(t *testing.T) {
	data := t.TempDir()
	mustRun(t, "", "user", "add", "bob", "--role", "reader", "--data", data)

	r := mustRun(t, "", "token", "create", "bob", "--label", "script de sauvegarde", "--data", data)
	secret := singleLine(t, r.stdout)
	if !strings.HasPrefix(secret, "cw_") {
		t.Fatalf("token %q does not start with cw_", secret)
	}
	a := openData(t, data)
	u, err := a.svc.AuthenticateToken(t.Context(), secret)
	if err != nil {
		t.Fatalf("the printed token does not work: %v", err)
	}
	if u.Login != "bob" {
		t.Errorf("token owner %q, want bob", u.Login)
	}
	toks, err := a.svc.Tokens(t.Context(), "bob")
	if err != nil {
		t.Fatal(err)
	}
	if len(toks) != 1 || toks[0].Label != "script de sauvegarde" {
		t.Errorf("tokens %+v, want one labelled %q", toks, "script de sauvegarde")
	}
	a.Close()

	second := singleLine(t, mustRun(t, "", "token", "create", "bob", "--data", data).stdout)
	if second == secret {
		t.Error("two tokens have the same secret")
	}

	t.Run("missing user", func(t *testing.T) {
		r := runCLI(t, "", "token", "create", "personne", "--data", data)
		if r.code != exitFail || r.stdout != "" {
			t.Errorf("exit %d stdout %q, want exit 1 and nothing", r.code, r.stdout)
		}
	})
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

func TestRun_DataFolderInUse(t *testing.T) {
	data := t.TempDir()
	held := openData(t, data)
	defer held.Close()
	for _, args := range [][]string{
		{"user", "add", "bob"},
		{"token", "create", "admin"},
		{"check"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			r := runCLI(t, "", append(args, "--data", data)...)
			if r.code != exitFail {
				t.Fatalf("exit %d, want %d", r.code, exitFail)
			}
			if !strings.Contains(r.stderr, "in use") {
				t.Errorf("stderr should say the data folder is in use; got:\n%s", r.stderr)
			}
		})
	}
}

func TestRun_ServeStopsOnCancel(t *testing.T) {
	data := t.TempDir()
	ctx, cancel := context.WithCancel(t.Context())
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	go func() {
		code := run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--data", data}, strings.NewReader(""), io.Discard, pw)
		pw.Close()
		done <- code
	}()
	var stderr bytes.Buffer
	buf := make([]byte, 4096)
	for !strings.Contains(stderr.String(), "clubwiki is serving") {
		n, err := pr.Read(buf)
		stderr.Write(buf[:n])
		if err != nil {
			t.Fatalf("serve stopped before serving: %v\n%s", err, stderr.String())
		}
	}
	if !strings.Contains(stderr.String(), `Created the user "admin"`) {
		t.Errorf("no admin password banner on first start:\n%s", stderr.String())
	}
	cancel()
	go io.Copy(io.Discard, pr)
	if code := <-done; code != exitOK {
		t.Errorf("serve exit %d after cancel, want 0", code)
	}
}

func TestRun_ServeAddressInUse(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	data := t.TempDir()
	r := runCLI(t, "", "serve", "--addr", ln.Addr().String(), "--data", data)
	if r.code != exitFail {
		t.Fatalf("exit %d, want %d; stderr:\n%s", r.code, exitFail, r.stderr)
	}
	if !strings.Contains(r.stderr, "listening on") || strings.Contains(r.stderr, "password") {
		t.Errorf("stderr should only say the address is taken:\n%s", r.stderr)
	}
	a := openData(t, data)
	if _, err := a.svc.User(t.Context(), "admin"); wiki.ErrorCode(err) != wiki.ENotFound {
		t.Errorf("a serve that could not listen created admin (err %v)", err)
	}
}
