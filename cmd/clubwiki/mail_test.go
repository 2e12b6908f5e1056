package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/kdecole-club/clubwiki/internal/smtpsink"
	"github.com/kdecole-club/clubwiki/wiki"
)

func TestServe_MailFlags(t *testing.T) {
	data := t.TempDir()
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"a bad SMTP URL", []string{"--smtp-url", "http://mail.example", "--mail-from", "w@x.org"}, "smtp://"},
		{"no sender", []string{"--smtp-url", "smtp://localhost:25"}, "--mail-from"},
		{"a bad sender", []string{"--smtp-url", "smtp://localhost:25", "--mail-from", "wiki"}, "--mail-from"},
		{"a bad digest time", []string{"--smtp-url", "smtp://localhost:25", "--mail-from", "w@x.org", "--digest-at", "25:00"}, "--digest-at"},
		{"a bad base URL", []string{"--smtp-url", "smtp://localhost:25", "--mail-from", "w@x.org", "--base-url", "wiki.example"}, "--base-url"},
		{"a long delay", []string{"--smtp-url", "smtp://localhost:25", "--mail-from", "w@x.org", "--notify-delay", "2m"}, "--notify-delay"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := runCLI(t, "", append([]string{"serve", "--addr", "127.0.0.1:0", "--data", data}, c.args...)...)
			if r.code != exitUsage || !strings.Contains(r.stderr, c.want) {
				t.Fatalf("exit %d, stderr:\n%s", r.code, r.stderr)
			}
			if strings.Contains(r.stderr, "secret") {
				t.Errorf("a password in the output")
			}
		})
	}
}

func TestParseDigestAt(t *testing.T) {
	for in, want := range map[string]time.Duration{"07:00": 7 * time.Hour, "0:05": 5 * time.Minute, "23:59": 23*time.Hour + 59*time.Minute} {
		if got, err := parseDigestAt(in); err != nil || got != want {
			t.Errorf("parseDigestAt(%q) = %v, %v", in, got, err)
		}
	}
	for _, in := range []string{"", "7", "7:0", "24:00", "-1:00", "07:60", "07:00:00", "a:bc"} {
		if _, err := parseDigestAt(in); err == nil {
			t.Errorf("parseDigestAt(%q) accepted", in)
		}
	}
}

// TestServe_Mail runs serve with an SMTP server from the environment:
// a save through the API reaches a watcher's mailbox.
func TestServe_Mail(t *testing.T) {
	sink, err := smtpsink.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer sink.Close()
	data := t.TempDir()
	token := func() string {
		a := openData(t, data)
		ctx := t.Context()
		for _, l := range []string{"alice", "bob"} {
			if _, err := a.svc.CreateUser(ctx, wiki.NewUser{Login: l, Email: l + "@club.example", Password: "un mot de passe long"}); err != nil {
				t.Fatal(err)
			}
		}
		bob, _ := a.svc.User(ctx, "bob")
		mode := wiki.NotifyImmediate
		if _, err := a.svc.UpdateMe(ctx, &bob, wiki.MeChange{Notify: &mode}); err != nil {
			t.Fatal(err)
		}
		if err := a.svc.Watch(ctx, &bob, wiki.Watched{Namespace: "usages"}, true); err != nil {
			t.Fatal(err)
		}
		tok, _, err := a.svc.CreateToken(ctx, wiki.System(), "alice", "test")
		if err != nil {
			t.Fatal(err)
		}
		a.Close()
		return tok
	}()
	t.Setenv("CLUBWIKI_SMTP_URL", sink.URL())
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--data", data, "--mail-from", "wiki@club.example",
			"--base-url", "https://wiki.example", "--notify-delay", "0"}, strings.NewReader(""), io.Discard, pw)
		pw.Close()
	}()
	var stderr bytes.Buffer
	buf := make([]byte, 4096)
	urlRE := regexp.MustCompile(`url=(http://[0-9.:]+)/`)
	for !urlRE.MatchString(stderr.String()) {
		n, err := pr.Read(buf)
		stderr.Write(buf[:n])
		if err != nil {
			t.Fatalf("serve stopped: %v\n%s", err, stderr.String())
		}
	}
	go io.Copy(io.Discard, pr)
	base := urlRE.FindStringSubmatch(stderr.String())[1]
	req, _ := http.NewRequest("PUT", base+"/api/pages/usages/agenda-partage", strings.NewReader(`{"markdown":"# Agenda partagé\n\nUn.\n"}`))
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("save: %s", resp.Status)
	}
	msgs := sink.Wait(1, time.Minute)
	if len(msgs) != 1 || msgs[0].To[0] != "bob@club.example" || !strings.Contains(msgs[0].Subject, "Agenda partagé") {
		t.Fatalf("mails: %+v", msgs)
	}
	if !strings.Contains(msgs[0].Text, "https://wiki.example/diff/usages/agenda-partage?from=0&to=1") {
		t.Errorf("no diff link under --base-url:\n%s", msgs[0].Text)
	}
	cancel()
	if code := <-done; code != exitOK {
		t.Errorf("serve exit %d", code)
	}
}
