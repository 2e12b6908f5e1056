package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/oauth2-proxy/mockoidc"

	"github.com/kdecole-club/clubwiki/wiki"
)

func TestOIDCFlags_Client(t *testing.T) {
	a := openData(t, t.TempDir())
	defer a.Close()
	ctx := context.Background()
	secretFile := filepath.Join(t.TempDir(), "secret")
	if err := os.WriteFile(secretFile, []byte("s3cr3t-du-client\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	ok := oidcFlags{issuer: "https://ent.example/realms/lycees", clientID: "wiki", secretFile: secretFile,
		groups: "ent-lyco=e-lyco, acad-nantes=Academie-Nantes", role: "reader", groupsClaim: "groups", scopes: "openid profile", timeout: 1e9}
	t.Run("none without an issuer", func(t *testing.T) {
		c, err := (&oidcFlags{role: "reader"}).client(ctx, a.svc, "", "127.0.0.1:8080")
		if c != nil || err != nil {
			t.Fatalf("client = %v, %v", c, err)
		}
	})
	t.Run("configured", func(t *testing.T) {
		f := ok
		f.create = true
		c, err := f.client(ctx, a.svc, "https://wiki.example/", "127.0.0.1:8080")
		if err != nil {
			t.Fatal(err)
		}
		p := c.Policy()
		if !p.Create || p.Role != wiki.RoleReader || p.Groups["ent-lyco"] != "e-lyco" || p.Groups["acad-nantes"] != "academie-nantes" || len(p.Groups) != 2 {
			t.Fatalf("policy = %+v", p)
		}
	})
	for name, change := range map[string]func(f *oidcFlags){
		"client id without issuer": func(f *oidcFlags) { *f = oidcFlags{clientID: "x", role: "reader"} },
		"unknown wiki group":       func(f *oidcFlags) { f.groups = "ent-lyco=pas-un-groupe" },
		"malformed mapping":        func(f *oidcFlags) { f.groups = "ent-lyco" },
		"admin role":               func(f *oidcFlags) { f.role = "admin" },
		"no secret":                func(f *oidcFlags) { f.secretFile = "" },
		"issuer not a URL":         func(f *oidcFlags) { f.issuer = "ent.example" },
	} {
		t.Run(name, func(t *testing.T) {
			f := ok
			change(&f)
			_, err := f.client(ctx, a.svc, "", "127.0.0.1:8080")
			var ue usageError
			if err == nil || !errors.As(err, &ue) || strings.Contains(err.Error(), "s3cr3t") {
				t.Fatalf("err = %v", err)
			}
		})
	}
	t.Run("secret file missing", func(t *testing.T) {
		f := ok
		f.secretFile = filepath.Join(t.TempDir(), "absent")
		if _, err := f.client(ctx, a.svc, "", "127.0.0.1:8080"); err == nil {
			t.Fatal("accepted")
		}
	})
}

// TestRun_ServeOIDC: serve with a provider started by the test, the secret
// in the environment: the login page offers the ENT, and the secret is
// printed nowhere.
func TestRun_ServeOIDC(t *testing.T) {
	idp, err := mockoidc.Run()
	if err != nil {
		t.Fatal(err)
	}
	defer idp.Shutdown()
	t.Setenv("CLUBWIKI_OIDC_CLIENT_SECRET", idp.ClientSecret)
	ctx, cancel := context.WithCancel(t.Context())
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	go func() {
		code := run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--data", t.TempDir(), "--oidc-issuer", idp.Issuer(),
			"--oidc-client-id", idp.ClientID, "--oidc-groups", "ent-lyco=e-lyco", "--oidc-create"}, strings.NewReader(""), io.Discard, pw)
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
	go io.Copy(io.Discard, pr)
	defer func() {
		cancel()
		<-done
	}()
	if !strings.Contains(stderr.String(), "single sign-on is on") || strings.Contains(stderr.String(), idp.ClientSecret) {
		t.Fatalf("stderr:\n%s", stderr.String())
	}
	base := regexp.MustCompile(`url=(http://[^ ]+)/`).FindStringSubmatch(stderr.String())
	if base == nil {
		t.Fatalf("no URL in:\n%s", stderr.String())
	}
	resp, err := http.Get(base[1] + "/login")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if !strings.Contains(string(body), `id="sso"`) {
		t.Fatalf("no ENT button on the login page:\n%s", body)
	}
}
