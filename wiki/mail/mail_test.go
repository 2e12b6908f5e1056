package mail_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/kdecole-club/clubwiki/internal/smtpsink"
	"github.com/kdecole-club/clubwiki/wiki"
	"github.com/kdecole-club/clubwiki/wiki/mail"
)

func TestParseURL(t *testing.T) {
	good := []struct {
		raw  string
		want mail.Config
	}{
		{"smtp://localhost", mail.Config{Host: "localhost", Port: 25, Security: mail.StartTLS}},
		{"smtp://mail.example.org:587", mail.Config{Host: "mail.example.org", Port: 587, Security: mail.StartTLS}},
		{"smtps://u%40x:p%3Ass@mail.example.org", mail.Config{Host: "mail.example.org", Port: 465, Username: "u@x", Password: "p:ss", Security: mail.ImplicitTLS}},
		{"smtp://club@[::1]:2525/", mail.Config{Host: "::1", Port: 2525, Username: "club", Security: mail.StartTLS}},
		{"SMTPS://mail.example.org", mail.Config{Host: "mail.example.org", Port: 465, Security: mail.ImplicitTLS}}, // schemes ignore case
	}
	for _, g := range good {
		t.Run(g.raw, func(t *testing.T) {
			got, err := mail.ParseURL(g.raw)
			if err != nil || got != g.want {
				t.Errorf("ParseURL(%q) = %+v, %v; want %+v", g.raw, got, err, g.want)
			}
		})
	}
	for _, raw := range []string{"", "http://host", "smtp://", "smtp://host:0", "smtp://host:99999", "smtp://host:x",
		"smtp://host:", "smtp://host/path", "smtp://host?x=1", "smtp://:pw@host", "mailto:a@b", "smtp:host",
		"smtps://u:secret@host:bad"} {
		t.Run("bad "+raw, func(t *testing.T) {
			_, err := mail.ParseURL(raw)
			if err == nil {
				t.Fatalf("ParseURL(%q) accepted", raw)
			}
			if strings.Contains(err.Error(), "secret") {
				t.Errorf("the error shows the password: %v", err)
			}
		})
	}
}

func FuzzParseURL(f *testing.F) {
	for _, s := range []string{"smtp://localhost:25", "smtps://u:p@h:465", "smtp://[::1]:1", "smtp://h:", "x://y"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		c, err := mail.ParseURL(raw)
		if err != nil {
			return
		}
		if c.Host == "" || c.Port < 1 || c.Port > 65535 {
			t.Fatalf("ParseURL(%q) = %+v: no host or a bad port", raw, c)
		}
		if c.Password != "" && c.Username == "" {
			t.Fatalf("ParseURL(%q): a password without a user", raw)
		}
		// Schemes are case-insensitive (RFC 3986, 3.1): SMTP:// is smtp://.
		if lower := strings.ToLower(strings.TrimSpace(raw)); !strings.HasPrefix(lower, "smtp://") && !strings.HasPrefix(lower, "smtps://") {
			t.Fatalf("ParseURL(%q) accepted another scheme", raw)
		}
	})
}

func TestSender_Send(t *testing.T) {
	sink, err := smtpsink.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sink.Close)
	cfg, err := mail.ParseURL(sink.URL())
	if err != nil {
		t.Fatal(err)
	}
	s, err := mail.New(cfg, "wiki@club.example")
	if err != nil {
		t.Fatal(err)
	}
	m := wiki.Mail{To: "camille@club.example", Subject: "[clubwiki] « Écoles et élèves » modifiée",
		Text: "Bonjour,\nl'école a changé.\n", HTML: "<p>Bonjour, <ins>l'école</ins></p>",
		ID: "abc123", Unsubscribe: "https://wiki.example/unsubscribe?u=camille&s=sig"}
	t.Run("delivers both parts and the headers", func(t *testing.T) {
		if err := s.Send(context.Background(), m); err != nil {
			t.Fatal(err)
		}
		got := sink.Wait(1, 5*time.Second)
		if len(got) != 1 {
			t.Fatalf("%d messages", len(got))
		}
		g := got[0]
		if g.Subject != m.Subject || g.Text != m.Text || g.HTML != m.HTML {
			t.Errorf("subject %q text %q html %q", g.Subject, g.Text, g.HTML)
		}
		if g.From != "wiki@club.example" || len(g.To) != 1 || g.To[0] != m.To {
			t.Errorf("envelope %s → %v", g.From, g.To)
		}
		if h := g.Header.Get("List-Unsubscribe"); h != "<"+m.Unsubscribe+">" {
			t.Errorf("List-Unsubscribe %q", h)
		}
		if h := g.Header.Get("List-Unsubscribe-Post"); h != "List-Unsubscribe=One-Click" {
			t.Errorf("List-Unsubscribe-Post %q", h)
		}
		if h := g.Header.Get("Message-Id"); h != "<abc123@club.example>" {
			t.Errorf("Message-ID %q", h)
		}
		if !strings.HasPrefix(g.Header.Get("Content-Type"), "multipart/alternative") {
			t.Errorf("Content-Type %q", g.Header.Get("Content-Type"))
		}
	})
	t.Run("a server that is down is an error", func(t *testing.T) {
		sink.Down()
		defer sink.Up()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := s.Send(ctx, m); err == nil {
			t.Fatal("sent to a server that is down")
		}
	})
	t.Run("a bad sender address is refused", func(t *testing.T) {
		if _, err := mail.New(cfg, "not an address"); err == nil {
			t.Fatal("accepted")
		}
	})
}
