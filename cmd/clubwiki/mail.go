package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/kdecole-club/clubwiki/wiki"
	"github.com/kdecole-club/clubwiki/wiki/mail"
)

// mailConfig is serve's e-mail settings; without an SMTP URL no mail is
// sent and notifications are off.
type mailConfig struct {
	SMTPURL  string
	From     string
	BaseURL  string
	DigestAt string        // HH:MM, Europe/Paris
	Delay    time.Duration // how long immediate changes wait to be grouped; 0 sends at once
}

// mailFlags adds the e-mail options to serve's flags.
func mailFlags(fs *flag.FlagSet, m *mailConfig) {
	fs.StringVar(&m.SMTPURL, "smtp-url", os.Getenv("CLUBWIKI_SMTP_URL"), "SMTP server of notifications: smtp://[user:pass@]host:port (STARTTLS when offered) or smtps://… (TLS); none: no mail")
	fs.StringVar(&m.From, "mail-from", envOr("CLUBWIKI_MAIL_FROM", ""), "sender address of notifications")
	fs.StringVar(&m.BaseURL, "base-url", envOr("CLUBWIKI_BASE_URL", ""), "the wiki's public address, for links in mail (default http://<addr>)")
	fs.StringVar(&m.DigestAt, "digest-at", envOr("CLUBWIKI_DIGEST_AT", "07:00"), "time of day of the daily digest (HH:MM, Paris time)")
	delay := wiki.DefaultNotifyDelay
	if v, err := time.ParseDuration(os.Getenv("CLUBWIKI_NOTIFY_DELAY")); err == nil {
		delay = v
	}
	fs.DurationVar(&m.Delay, "notify-delay", delay, "how long a change waits for others before an immediate mail (0: at once)")
}

// parseDigestAt reads HH:MM as a time of day.
func parseDigestAt(s string) (time.Duration, error) {
	h, m, ok := strings.Cut(strings.TrimSpace(s), ":")
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if !ok || err1 != nil || err2 != nil || len(m) != 2 || hh < 0 || hh > 23 || mm < 0 || mm > 59 {
		return 0, usagef("--digest-at wants a time of day such as 07:00, not %q", s)
	}
	return time.Duration(hh)*time.Hour + time.Duration(mm)*time.Minute, nil
}

// notifyConfig checks the settings and makes the notifier's; ok is false
// when no SMTP server is set.
func (m mailConfig) notifyConfig(addr string) (cfg wiki.NotifyConfig, ok bool, err error) {
	if m.SMTPURL == "" {
		return cfg, false, nil
	}
	sc, err := mail.ParseURL(m.SMTPURL)
	if err != nil {
		return cfg, false, usagef("--smtp-url: %v", err)
	}
	if m.From == "" {
		return cfg, false, usagef("--mail-from is needed with --smtp-url: the address notifications come from")
	}
	sender, err := mail.New(sc, m.From)
	if err != nil {
		return cfg, false, usagef("%v", err)
	}
	base := strings.TrimRight(m.BaseURL, "/")
	if base == "" {
		base = "http://" + addr
	}
	if u, err := url.Parse(base); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return cfg, false, usagef("--base-url wants the wiki's address such as https://wiki.example.org, not %q", m.BaseURL)
	}
	at, err := parseDigestAt(m.DigestAt)
	if err != nil {
		return cfg, false, err
	}
	if m.Delay < 0 || m.Delay > 50*time.Second {
		return cfg, false, usagef("--notify-delay must be from 0 to 50s: a mail goes within a minute")
	}
	delay := m.Delay
	if delay == 0 {
		delay = -1 // at once
	}
	return wiki.NotifyConfig{Mailer: sender, BaseURL: base, DigestAt: at, Delay: delay}, true, nil
}

// startNotifier runs the notifier when mail is configured; stop ends it
// and waits, before the store closes.
func startNotifier(ctx context.Context, a *app, log *slog.Logger, cfg wiki.NotifyConfig, on bool, smtp string) (stop func()) {
	if !on {
		log.Info("no --smtp-url: e-mail notifications are off")
		return func() {}
	}
	cfg.Logger = log
	n := a.svc.NewNotifier(cfg)
	// On the first start the cursor goes to the log's end before the
	// first request: a save from then on is never skipped.
	if _, err := n.Cursor(ctx); err != nil {
		log.Error("notifications: reading where they stand", "error", err)
	}
	ctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	var wg sync.WaitGroup
	wg.Go(func() { _ = n.Run(ctx) })
	log.Info("e-mail notifications are on", "smtp", redactURL(smtp), "base_url", cfg.BaseURL)
	return func() {
		cancel()
		wg.Wait()
	}
}

// redactURL hides the password of an SMTP URL in the logs.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unreadable)"
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return fmt.Sprint(u)
}
