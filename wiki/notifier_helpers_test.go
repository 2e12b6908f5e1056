package wiki_test

import (
	"context"
	"log/slog"
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

// quickClock is the system's clock with waits of at most tick: the
// notifier's rounds, every second with the system's clock, come every
// tick, so that a test sees several retries of a failed send in a moment.
// The waits after failures stay those of the configuration.
type quickClock struct{ tick time.Duration }

func (quickClock) Now() time.Time                           { return time.Now() }
func (c quickClock) After(d time.Duration) <-chan time.Time { return time.After(min(d, c.tick)) }

// countingMailer counts the sends of its Mailer that failed and that
// went, so that a test can wait for attempts rather than sleep.
type countingMailer struct {
	wiki.Mailer
	mu           sync.Mutex
	failed, sent int
	changed      chan struct{} // closed and replaced at each send
}

func newCountingMailer(m wiki.Mailer) *countingMailer {
	return &countingMailer{Mailer: m, changed: make(chan struct{})}
}

func (m *countingMailer) Send(ctx context.Context, mail wiki.Mail) error {
	err := m.Mailer.Send(ctx, mail)
	m.mu.Lock()
	defer m.mu.Unlock()
	if err != nil {
		m.failed++
	} else {
		m.sent++
	}
	close(m.changed)
	m.changed = make(chan struct{})
	return err
}

// counts returns how many sends failed and went.
func (m *countingMailer) counts() (failed, sent int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.failed, m.sent
}

// waitFor waits until cond holds of the counts, failing the test after a
// generous bound.
func (m *countingMailer) waitFor(t testing.TB, what string, cond func(failed, sent int) bool) {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		m.mu.Lock()
		ok, ch := cond(m.failed, m.sent), m.changed
		m.mu.Unlock()
		if ok {
			return
		}
		select {
		case <-ch:
		case <-deadline:
			failed, sent := m.counts()
			t.Fatalf("still not %s after 10 s: %d sends failed, %d went", what, failed, sent)
		}
	}
}

// logEvents is a slog.Handler that counts the messages logged, so that a
// test can wait for what a background task says it did.
type logEvents struct {
	mu      sync.Mutex
	seen    map[string]int
	changed chan struct{} // closed and replaced at each message
}

func newLogEvents() *logEvents {
	return &logEvents{seen: map[string]int{}, changed: make(chan struct{})}
}

func (l *logEvents) Enabled(context.Context, slog.Level) bool { return true }
func (l *logEvents) WithAttrs([]slog.Attr) slog.Handler       { return l }
func (l *logEvents) WithGroup(string) slog.Handler            { return l }
func (l *logEvents) Handle(_ context.Context, r slog.Record) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.seen[r.Message]++
	close(l.changed)
	l.changed = make(chan struct{})
	return nil
}

// waitFor waits until msg is logged, failing the test after a generous
// bound.
func (l *logEvents) waitFor(t testing.TB, msg string) {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		l.mu.Lock()
		n, ch := l.seen[msg], l.changed
		l.mu.Unlock()
		if n > 0 {
			return
		}
		select {
		case <-ch:
		case <-deadline:
			t.Fatalf("%q not logged after 10 s", msg)
		}
	}
}
