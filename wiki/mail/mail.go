// Package mail sends the wiki's mail over SMTP with go-mail: the adapter
// of the wiki.Mailer port.
package mail

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/kdecole-club/clubwiki/wiki"
)

// Security is how a connection to the SMTP server is protected.
type Security int

// The ways of protecting a connection.
const (
	// StartTLS upgrades the connection when the server offers STARTTLS,
	// and goes on in plain SMTP when it does not (smtp://).
	StartTLS Security = iota
	// ImplicitTLS speaks TLS from the first byte (smtps://).
	ImplicitTLS
)

// Config is where and how to send.
type Config struct {
	Host     string
	Port     int
	Username string
	Password string
	Security Security
	// Timeout bounds a connection and its commands; default 30 s.
	Timeout time.Duration
}

// ParseURL reads smtp://[user:pass@]host[:port] (port 25 by default,
// STARTTLS when offered) or smtps://[user:pass@]host[:port] (port 465,
// implicit TLS). Nothing else is accepted: no path, no query.
func ParseURL(raw string) (Config, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return Config{}, fmt.Errorf("the SMTP URL %q does not parse: write smtp://user:pass@host:port", redact(raw))
	}
	var c Config
	switch u.Scheme {
	case "smtp":
		c.Security, c.Port = StartTLS, 25
	case "smtps":
		c.Security, c.Port = ImplicitTLS, 465
	default:
		return Config{}, fmt.Errorf("the SMTP URL must start with smtp:// or smtps://, not %q", u.Scheme)
	}
	if u.Opaque != "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" {
		return Config{}, fmt.Errorf("the SMTP URL %q has more than user, password, host and port", redact(raw))
	}
	c.Host = u.Hostname()
	if c.Host == "" || strings.ContainsAny(c.Host, " /\\@") {
		return Config{}, fmt.Errorf("the SMTP URL %q has no host", redact(raw))
	}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return Config{}, fmt.Errorf("the SMTP URL's port %q is not a number from 1 to 65535", p)
		}
		c.Port = n
	} else if strings.HasSuffix(u.Host, ":") {
		return Config{}, fmt.Errorf("the SMTP URL's port is empty")
	}
	if u.User != nil {
		c.Username = u.User.Username()
		c.Password, _ = u.User.Password()
		if c.Username == "" {
			return Config{}, fmt.Errorf("the SMTP URL has a password but no user name")
		}
	}
	return c, nil
}

// redact hides a password in an SMTP URL for messages.
func redact(raw string) string {
	if u, err := url.Parse(raw); err == nil && u.User != nil {
		if _, ok := u.User.Password(); ok {
			u.User = url.UserPassword(u.User.Username(), "xxxxx")
			return u.String()
		}
	}
	if i := strings.LastIndexByte(raw, '@'); i >= 0 {
		return "…" + raw[i:]
	}
	return raw
}

// Sender sends mail from one address through one SMTP server, one
// connection per mail: notifications are few and far between.
type Sender struct {
	cfg  Config
	from string
}

// New returns a Sender from from, an address alone.
func New(cfg Config, from string) (*Sender, error) {
	addr, err := wiki.CheckEmail(from)
	if err != nil || addr == "" {
		return nil, fmt.Errorf("the sender address %q is not an e-mail address (--mail-from)", from)
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 30 * time.Second
	}
	return &Sender{cfg: cfg, from: addr}, nil
}

// client makes the go-mail client of one delivery.
func (s *Sender) client() (*gomail.Client, error) {
	opts := []gomail.Option{gomail.WithPort(s.cfg.Port), gomail.WithTimeout(s.cfg.Timeout)}
	if s.cfg.Security == ImplicitTLS {
		opts = append(opts, gomail.WithSSL())
	} else {
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
	}
	if s.cfg.Username != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(s.cfg.Username), gomail.WithPassword(s.cfg.Password))
	}
	return gomail.NewClient(s.cfg.Host, opts...)
}

// Send implements wiki.Mailer: one message, text with an HTML
// alternative, with List-Unsubscribe and one-click List-Unsubscribe-Post.
func (s *Sender) Send(ctx context.Context, m wiki.Mail) error {
	msg := gomail.NewMsg()
	if err := msg.From(s.from); err != nil {
		return fmt.Errorf("sender %q: %w", s.from, err)
	}
	if err := msg.To(m.To); err != nil {
		return fmt.Errorf("recipient %q: %w", m.To, err)
	}
	msg.Subject(m.Subject)
	msg.SetDate()
	if m.ID != "" {
		msg.SetMessageIDWithValue(m.ID + "@" + domainOf(s.from))
	}
	if m.Unsubscribe != "" {
		msg.SetGenHeader(gomail.HeaderListUnsubscribe, "<"+m.Unsubscribe+">")
		msg.SetGenHeader(gomail.HeaderListUnsubscribePost, "List-Unsubscribe=One-Click")
	}
	msg.SetGenHeader(gomail.Header("Auto-Submitted"), "auto-generated")
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	c, err := s.client()
	if err != nil {
		return err
	}
	return c.DialAndSendWithContext(ctx, msg)
}

func domainOf(addr string) string {
	if i := strings.LastIndexByte(addr, '@'); i >= 0 {
		return addr[i+1:]
	}
	return "clubwiki"
}

// Addr returns host:port, for the logs.
func (c Config) Addr() string { return net.JoinHostPort(c.Host, strconv.Itoa(c.Port)) }
