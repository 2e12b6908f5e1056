package main

import (
	"strings"
	"testing"

	"github.com/kdecole-club/clubwiki/wiki"
)

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
	toks, err := a.svc.Tokens(t.Context(), wiki.System(), "bob")
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
