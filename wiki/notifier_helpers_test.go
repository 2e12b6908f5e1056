package wiki_test

import (
	"context"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kdecole-club/clubwiki/internal/smtpsink"
	"github.com/kdecole-club/clubwiki/wiki"
	"github.com/kdecole-club/clubwiki/wiki/mail"
)

// setClock is a clock the test sets; its waits are real ones.
type setClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *setClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *setClock) set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

func (c *setClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

// startSink starts a real SMTP server for the test.
func startSink(t testing.TB) *smtpsink.Sink {
	t.Helper()
	sink, err := smtpsink.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sink.Close)
	return sink
}

// sender is the real SMTP adapter towards sink.
func sender(t testing.TB, sink *smtpsink.Sink) *mail.Sender {
	t.Helper()
	cfg, err := mail.ParseURL(sink.URL())
	if err != nil {
		t.Fatal(err)
	}
	cfg.Timeout = 5 * time.Second
	s, err := mail.New(cfg, "wiki@club.example")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// subscribe gives who an address and a mode, and makes them watch raw.
func subscribe(t testing.TB, f *fixture, who *wiki.User, mode wiki.NotifyMode, raw string) {
	t.Helper()
	email := who.Login + "@club.example"
	if _, err := f.svc.UpdateMe(f.ctx, who, wiki.MeChange{Email: &email, Notify: &mode}); err != nil {
		t.Fatal(err)
	}
	if raw != "" {
		w, err := f.svc.WatchTarget(f.ctx, raw)
		if err != nil {
			t.Fatal(err)
		}
		if err := f.db.PutWatch(f.ctx, who.Login, w, true); err != nil {
			t.Fatal(err)
		}
	}
}

// follow brings the notifier's outbox up to the log's end.
func follow(t testing.TB, f *fixture, n *wiki.Notifier) {
	t.Helper()
	fl := &wiki.Follower{Log: f.db, Applier: n, Batch: 100}
	if _, err := fl.CatchUp(f.ctx); err != nil {
		t.Fatal(err)
	}
}

func flush(t testing.TB, ctx context.Context, n *wiki.Notifier) int {
	t.Helper()
	sent, err := n.Flush(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return sent
}

// editAs saves md at path as who on top of the head.
func editAs(t testing.TB, f *fixture, who *wiki.User, path, md string) {
	t.Helper()
	base := 0
	if h, err := f.db.Head(f.ctx, wiki.MustPath(path)); err == nil {
		base = h.Rev
	}
	if _, err := f.svc.Save(f.ctx, who, wiki.SaveRequest{Path: wiki.MustPath(path), Markdown: md, BaseRev: base, Summary: "petite retouche"}); err != nil {
		t.Fatal(err)
	}
}

// toggleRule hides namespace marches from everyone but admins once hide
// is set.
func toggleRule(hide *atomic.Bool) wiki.ReadRule {
	return func(u *wiki.User, ns string) bool { return ns != "marches" || !hide.Load() || u.Role == wiki.RoleAdmin }
}

// linkIn returns the first URL of text starting with prefix.
func linkIn(text, prefix string) string {
	i := strings.Index(text, prefix)
	if i < 0 {
		return ""
	}
	end := strings.IndexAny(text[i:], " \n\"<>")
	if end < 0 {
		return text[i:]
	}
	return text[i : i+end]
}
