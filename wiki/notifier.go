package wiki

import (
	"cmp"
	"context"
	"io"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// Defaults and bounds of the notifier.
const (
	// DefaultNotifyDelay is how long a member's first waiting change
	// waits for others before an immediate mail carries them all: quick
	// edits in a row make one mail, and every change is mailed within
	// a minute.
	DefaultNotifyDelay = 15 * time.Second
	// DefaultDigestAt is when the daily digest goes: 07:00.
	DefaultDigestAt = 7 * time.Hour
	// notifyBatch is how many changes one Apply reads: with every
	// subscriber of a namespace, it bounds the notices one transaction
	// writes.
	notifyBatch = 100
	// outboxRead is how many notices one round of sending reads.
	outboxRead = 5000
	// mailNotices is the most changes one mail details; the others due
	// are counted in it, with a link to the watchlist: a flood of changes
	// makes one mail per member and round, of a bounded size.
	mailNotices = 100
	// outboxPerLogin is the most notices of one member a round reads.
	outboxPerLogin = 1000
	// sendTick is how often the sender looks for what is due.
	sendTick = time.Second
	// applyEvery is the least time between two reads of the log: under
	// a stream of saves the notifier writes its outbox a few times a
	// second, not once per save, and leaves the store's writer to saves.
	applyEvery = 250 * time.Millisecond
)

// NotifyConfig is what a Notifier needs.
type NotifyConfig struct {
	Mailer  Mailer
	BaseURL string // the wiki's address for links, without a trailing slash
	// Delay: see DefaultNotifyDelay; negative sends at once.
	Delay time.Duration
	// DigestAt is the time of day of the digest, from midnight in
	// Location (default Europe/Paris, else UTC).
	DigestAt time.Duration
	Location *time.Location
	Clock    Clock // default the system's
	Logger   *slog.Logger
	// RetryFirst and RetryMax bound the waits after failed sends, doubled
	// at each failure in a row; defaults 1 s and 10 min.
	RetryFirst, RetryMax time.Duration
}

// Notifier mails members the changes to what they watch. It follows the
// change log with a Follower, as an Applier whose cursor is written with
// the notices it queues in the store's outbox; a sender mails what is
// due from the outbox and removes it once the mail server took it. A
// save never waits for either.
type Notifier struct {
	s    *Service
	cfg  NotifyConfig
	wake chan struct{}

	mu        sync.Mutex // one send round at a time
	failures  int
	next      time.Time
	lastApply atomic.Int64 // UnixNano of the last Apply, for Tend
}

// NewNotifier returns the notifier of s; from then on s reports that
// mail is on (MailEnabled).
func (s *Service) NewNotifier(cfg NotifyConfig) *Notifier {
	if cfg.Delay == 0 {
		cfg.Delay = DefaultNotifyDelay
	}
	if cfg.DigestAt <= 0 || cfg.DigestAt >= 24*time.Hour {
		cfg.DigestAt = DefaultDigestAt
	}
	if cfg.Location == nil {
		loc, err := time.LoadLocation("Europe/Paris")
		cfg.Location = cmp.Or(loc, time.UTC)
		_ = err
	}
	if cfg.Clock == nil {
		cfg.Clock = realClock{}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	cfg.RetryMax = cmp.Or(cfg.RetryMax, 10*time.Minute)
	s.mailOn.Store(true)
	s.tickets.set(cfg.Mailer, cfg.BaseURL)
	return &Notifier{s: s, cfg: cfg, wake: make(chan struct{}, 1)}
}

// MailEnabled reports whether the wiki sends mail (a Notifier was made).
func (s *Service) MailEnabled() bool { return s.mailOn.Load() }

// Cursor implements Applier. A notifier that never ran starts at the
// log's end: members are told of changes from then on, not of the whole
// history of the pages they watch.
func (n *Notifier) Cursor(ctx context.Context) (uint64, error) {
	c, err := n.s.store.NotifyCursor(ctx)
	if err != nil || c > 0 {
		return c, err
	}
	last, err := n.s.store.LastSeq(ctx)
	if err != nil || last == 0 {
		return 0, err
	}
	return last, n.s.store.QueueNotices(ctx, last, nil)
}

// Apply implements Applier: it queues a notice for every subscriber of
// each page change but its author, and moves the cursor with them. What
// the member may read is checked when the mail is made, not here: a
// member who loses access meanwhile gets nothing.
func (n *Notifier) Apply(ctx context.Context, changes []Change) (uint64, error) {
	upto := changes[len(changes)-1].Seq
	var paths []Path
	for _, ch := range changes {
		if ch.Kind.IsPage() && !slices.Contains(paths, ch.Path) {
			paths = append(paths, ch.Path)
		}
	}
	var notices []Notice
	if len(paths) > 0 {
		subs, err := n.s.store.Subscribers(ctx, paths)
		if err != nil {
			return 0, err
		}
		now := n.cfg.Clock.Now().UTC()
		for _, ch := range changes {
			for _, sub := range subs {
				if !ch.Kind.IsPage() || sub.Login == ch.Author || !slices.Contains(sub.Paths, ch.Path) {
					continue
				}
				notices = append(notices, Notice{Login: sub.Login, Seq: ch.Seq, Path: ch.Path, Rev: ch.Rev,
					Author: ch.Author, Title: ch.Title, Summary: ch.Summary, Time: ch.Time, Queued: now})
			}
		}
	}
	n.lastApply.Store(n.cfg.Clock.Now().UnixNano())
	if err := n.s.store.QueueNotices(ctx, upto, notices); err != nil {
		return 0, err
	}
	if len(notices) > 0 {
		n.poke()
	}
	return upto, nil
}

// Tend implements Keeper: at most one read of the log per applyEvery.
func (n *Notifier) Tend(context.Context) (bool, time.Duration) {
	since := n.cfg.Clock.Now().Sub(time.Unix(0, n.lastApply.Load()))
	if since >= 0 && since < applyEvery {
		return false, applyEvery - since
	}
	return true, 0
}

// Prepare, CaughtUp and Wakeups implement Keeper: the notifier has no
// state to look after besides its outbox.
func (n *Notifier) Prepare(context.Context) error { return nil }
func (n *Notifier) CaughtUp()                     {}
func (n *Notifier) Wakeups() <-chan struct{}      { return nil }

func (n *Notifier) poke() {
	select {
	case n.wake <- struct{}{}:
	default:
	}
}

// Run follows the change log and sends what is due until ctx ends.
func (n *Notifier) Run(ctx context.Context) error {
	f := &Follower{Log: n.s.store, Applier: n, Watch: n.s.store.Watch, Batch: notifyBatch,
		Clock: n.cfg.Clock, Logger: n.cfg.Logger, Name: "notifications"}
	var wg sync.WaitGroup
	wg.Go(func() { _ = f.Run(ctx) })
	defer wg.Wait()
	for {
		n.round(ctx)
		select {
		case <-ctx.Done():
			return nil
		case <-n.wake:
		case <-n.cfg.Clock.After(sendTick):
		}
	}
}

// round sends what is due unless a failure's wait still runs; a failure
// is logged, and the next attempt waits twice as long as the last.
func (n *Notifier) round(ctx context.Context) {
	n.mu.Lock()
	wait := n.cfg.Clock.Now().Before(n.next)
	n.mu.Unlock()
	if wait {
		return
	}
	start := n.cfg.Clock.Now()
	sent, err := n.Flush(ctx)
	if sent > 0 {
		n.cfg.Logger.Debug("notifications: mails sent", "mails", sent, "took", n.cfg.Clock.Now().Sub(start))
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	if err == nil {
		n.failures, n.next = 0, time.Time{}
		return
	}
	if ctx.Err() != nil {
		return
	}
	n.failures++
	d := RetryDelay(n.cfg.RetryFirst, n.cfg.RetryMax, n.failures)
	n.next = n.cfg.Clock.Now().Add(d)
	n.cfg.Logger.Error("notifications: sending mail failed, will try again", "error", err, "in", d)
}

// Flush mails every member what is due for them now and returns how
// many mails went. What was sent, or is not to be sent, leaves the outbox
// in one write at the end of the round: a round costs the store one
// write, whatever the number of mails, which keeps the notifier from
// queueing behind saves for the store's one writer. A crash between a
// mail and that write sends the round's mails again (each with the same
// Message-ID); it loses none. It stops at the first failure to send: what
// was not sent stays for the next attempt.
func (n *Notifier) Flush(ctx context.Context) (int, error) {
	notices, err := n.s.store.Outbox(ctx, outboxPerLogin, outboxRead)
	if err != nil {
		return 0, err
	}
	now := n.cfg.Clock.Now()
	sent := 0
	var done []Notice
	for len(notices) > 0 && err == nil {
		end := 1
		for end < len(notices) && notices[end].Login == notices[0].Login {
			end++
		}
		var drop []Notice
		var ok bool
		drop, ok, err = n.sendDue(ctx, notices[:end], now)
		notices = notices[end:]
		done = append(done, drop...)
		if ok {
			sent++
		}
	}
	if len(done) > 0 {
		if derr := n.s.store.DropNotices(ctx, done); derr != nil && err == nil {
			err = derr
		}
	}
	return sent, err
}

// sendDue mails one member what of their notices is due; it returns what
// leaves the outbox (sent, or not to be sent) and whether a mail went.
func (n *Notifier) sendDue(ctx context.Context, mine []Notice, now time.Time) ([]Notice, bool, error) {
	login := mine[0].Login
	u, err := n.s.store.User(ctx, login)
	if ErrorCode(err) == ENotFound {
		return mine, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	set, err := n.s.store.NotifySettings(ctx, login)
	if err != nil {
		return nil, false, err
	}
	if !set.On() || u.Email == "" {
		return mine, false, nil
	}
	due := n.due(mine, set.Mode, now)
	if len(due) == 0 {
		return nil, false, nil
	}
	// The gate, at the time of sending: what the member may not read
	// now is dropped unsent, and a member refused altogether gets nothing.
	readable, err := n.s.readable(ctx, &u)
	if c := ErrorCode(err); c == EUnauthenticated || c == EForbidden {
		return mine, false, nil
	} else if err != nil {
		return nil, false, err
	}
	var keep []Notice
	for _, x := range due {
		if readable.Has(x.Path.Namespace()) && x.Author != login {
			keep = append(keep, x)
		}
	}
	if len(keep) > 0 {
		shown := keep[:min(len(keep), mailNotices)]
		m, err := n.compose(ctx, u, set, shown, keep[len(shown):], set.Mode == NotifyDaily)
		if err != nil {
			return nil, false, err
		}
		if err := n.cfg.Mailer.Send(ctx, m); err != nil {
			return nil, false, Internal(err, "mailing "+login)
		}
	}
	return due, len(keep) > 0, nil
}

// due returns the notices to send now: for immediate mail, all of them
// once the oldest has waited Delay; for the digest,
// those queued before the last digest time.
func (n *Notifier) due(mine []Notice, mode NotifyMode, now time.Time) []Notice {
	if mode == NotifyDaily {
		cut := n.lastDigest(now)
		var out []Notice
		for _, x := range mine {
			if x.Queued.Before(cut) {
				out = append(out, x)
			}
		}
		return out
	}
	oldest := mine[0].Queued
	for _, x := range mine {
		if x.Queued.Before(oldest) {
			oldest = x.Queued
		}
	}
	if n.cfg.Delay > 0 && now.Sub(oldest) < n.cfg.Delay {
		return nil
	}
	return mine
}

// lastDigest is the latest digest time at or before now.
func (n *Notifier) lastDigest(now time.Time) time.Time {
	t := now.In(n.cfg.Location)
	h, m := int(n.cfg.DigestAt/time.Hour), int(n.cfg.DigestAt%time.Hour/time.Minute)
	at := time.Date(t.Year(), t.Month(), t.Day(), h, m, 0, 0, n.cfg.Location)
	if at.After(now) {
		at = time.Date(t.Year(), t.Month(), t.Day()-1, h, m, 0, 0, n.cfg.Location)
	}
	return at
}
