package wiki_test

import (
	"context"
	"fmt"
	"html"
	"log/slog"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kdecole-club/clubwiki/wiki"
)

const base = "https://wiki.example"

var t0 = time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC) // 12:00 in Paris

func TestNotifier_Immediate(t *testing.T) {
	f := newFixture(t, wiki.Config{})
	sink := startSink(t)
	clock := &setClock{now: t0}
	bruno := f.user(t, "bruno", wiki.RoleEditor)
	subscribe(t, f, bruno, wiki.NotifyImmediate, "usages/cahier")
	f.save(t, "usages/cahier", "# Cahier de textes\n\nLes élèves notent l'école et les devoirs.\n", 0)
	n := f.svc.NewNotifier(wiki.NotifyConfig{Mailer: sender(t, sink), BaseURL: base, Clock: clock})
	follow(t, f, n) // the notifier starts: what came before is not mailed
	f.save(t, "usages/cahier", "# Cahier de textes\n\nLes élèves notent l'école et leurs devoirs.\n", 1)
	follow(t, f, n)
	if got := flush(t, f.ctx, n); got != 0 {
		t.Fatalf("%d mails before the delay", got)
	}
	t.Run("quick changes wait and go in one mail", func(t *testing.T) {
		f.save(t, "usages/cahier", "# Cahier de textes\n\nLes élèves notent l'école et leurs devoirs chaque jour.\n", 2)
		clock.set(t0.Add(5 * time.Second))
		follow(t, f, n)
		if got := flush(t, f.ctx, n); got != 0 {
			t.Fatalf("%d mails before the delay", got)
		}
		clock.set(t0.Add(wiki.DefaultNotifyDelay + time.Second))
		if got := flush(t, f.ctx, n); got != 1 {
			t.Fatalf("%d mails, want 1", got)
		}
		msgs := sink.Wait(1, 5*time.Second)
		if len(msgs) != 1 {
			t.Fatalf("%d mails received", len(msgs))
		}
		m := msgs[0]
		if m.To[0] != "bruno@club.example" || !strings.Contains(m.Subject, "Cahier de textes") {
			t.Errorf("to %v subject %q", m.To, m.Subject)
		}
		if !strings.Contains(m.Text, "révision 2") || !strings.Contains(m.Text, "révision 3") || strings.Contains(m.Text, "révision 1") {
			t.Errorf("the mail does not list the two changes:\n%s", m.Text)
		}
		if !strings.Contains(m.Text, "{+leurs+}") || !strings.Contains(m.Text, "[-les-]") || !strings.Contains(m.Text, "{+ chaque jour+}") {
			t.Errorf("no word diff in the text:\n%s", m.Text)
		}
		if !strings.Contains(m.HTML, ">leurs</ins>") || !strings.Contains(m.HTML, base+"/diff/usages/cahier?from=1&amp;to=3") {
			t.Errorf("no word diff or diff link in the HTML:\n%s", m.HTML)
		}
		unsub := linkIn(m.Text, base+"/unsubscribe?")
		if unsub == "" || m.Header.Get("List-Unsubscribe") != "<"+unsub+">" {
			t.Errorf("unsubscribe link %q, header %q", unsub, m.Header.Get("List-Unsubscribe"))
		}
		if !strings.Contains(html.UnescapeString(m.HTML), unsub) {
			t.Errorf("the HTML part has no unsubscribe link")
		}
	})
	t.Run("nothing is sent twice", func(t *testing.T) {
		clock.set(t0.Add(time.Hour))
		follow(t, f, n)
		if got := flush(t, f.ctx, n); got != 0 {
			t.Fatalf("%d more mails", got)
		}
	})
	t.Run("own edits are not mailed", func(t *testing.T) {
		editAs(t, f, bruno, "usages/cahier", "# Cahier de textes\n\nModifié par Bruno lui-même.\n")
		follow(t, f, n)
		clock.set(t0.Add(2 * time.Hour))
		if got := flush(t, f.ctx, n); got != 0 {
			t.Fatalf("%d mails of one's own edit", got)
		}
	})
	t.Run("unwatched pages are not mailed", func(t *testing.T) {
		f.save(t, "usages/autre", "# Autre\n", 0)
		follow(t, f, n)
		clock.set(t0.Add(3 * time.Hour))
		if got := flush(t, f.ctx, n); got != 0 {
			t.Fatalf("%d mails of an unwatched page", got)
		}
	})
}

func TestNotifier_Unsubscribe(t *testing.T) {
	f := newFixture(t, wiki.Config{})
	sink := startSink(t)
	clock := &setClock{now: t0}
	n := f.svc.NewNotifier(wiki.NotifyConfig{Mailer: sender(t, sink), BaseURL: base, Clock: clock, Delay: -1})
	follow(t, f, n) // the notifier starts: what came before is not mailed
	bruno := f.user(t, "bruno", wiki.RoleEditor)
	subscribe(t, f, bruno, wiki.NotifyImmediate, "usages")
	f.save(t, "usages/cahier", "# Cahier\n", 0)
	follow(t, f, n)
	flush(t, f.ctx, n)
	msgs := sink.Wait(1, 5*time.Second)
	if len(msgs) != 1 {
		t.Fatalf("%d mails", len(msgs))
	}
	u, err := url.Parse(linkIn(msgs[0].Text, base+"/unsubscribe?"))
	if err != nil {
		t.Fatal(err)
	}
	login, sig := u.Query().Get("u"), u.Query().Get("s")
	t.Run("a forged link is refused", func(t *testing.T) {
		last := "A"
		if strings.HasSuffix(sig, "A") {
			last = "B"
		}
		for _, bad := range [][2]string{{login, sig[:len(sig)-1] + last}, {"camille", sig}, {login, ""}, {"", sig}} {
			if err := f.svc.Unsubscribe(f.ctx, bad[0], bad[1]); wiki.ErrorCode(err) != wiki.EUnauthenticated {
				t.Errorf("Unsubscribe(%q, %q) = %v", bad[0], bad[1], err)
			}
		}
		if me, _ := f.svc.Me(f.ctx, bruno); me.Notify.Mode != wiki.NotifyImmediate {
			t.Fatalf("mode %q after forged links", me.Notify.Mode)
		}
	})
	t.Run("the link turns mail off and nothing more is sent", func(t *testing.T) {
		if err := f.svc.Unsubscribe(f.ctx, login, sig); err != nil {
			t.Fatal(err)
		}
		if me, _ := f.svc.Me(f.ctx, bruno); me.Notify.Mode != wiki.NotifyOff {
			t.Fatalf("mode %q", me.Notify.Mode)
		}
		f.save(t, "usages/cahier", "# Cahier\n\nSuite.\n", 1)
		follow(t, f, n)
		if got := flush(t, f.ctx, n); got != 0 {
			t.Fatalf("%d mails after unsubscribing", got)
		}
	})
}

func TestNotifier_Access(t *testing.T) {
	var hide atomic.Bool
	f := newFixture(t, wiki.Config{ReadRule: toggleRule(&hide)})
	sink := startSink(t)
	n := f.svc.NewNotifier(wiki.NotifyConfig{Mailer: sender(t, sink), BaseURL: base, Clock: &setClock{now: t0}, Delay: -1})
	follow(t, f, n) // the notifier starts: what came before is not mailed
	bruno := f.user(t, "bruno", wiki.RoleEditor)
	subscribe(t, f, bruno, wiki.NotifyImmediate, "marches")
	t.Run("a member who lost access gets nothing", func(t *testing.T) {
		f.save(t, "marches/contrat-secret", "# Contrat secret\n\nMontant confidentiel.\n", 0)
		follow(t, f, n) // queued while bruno could read marches
		hide.Store(true)
		if got := flush(t, f.ctx, n); got != 0 {
			t.Fatalf("%d mails to a member kept out", got)
		}
		hide.Store(false)
		if got := flush(t, f.ctx, n); got != 0 {
			t.Fatalf("the dropped notice came back: %d mails", got)
		}
	})
	t.Run("with access again, later changes are mailed", func(t *testing.T) {
		f.save(t, "marches/contrat-secret", "# Contrat secret\n\nMontant revu.\n", 1)
		follow(t, f, n)
		if got := flush(t, f.ctx, n); got != 1 {
			t.Fatalf("%d mails", got)
		}
		for _, m := range sink.Wait(1, 5*time.Second) {
			if strings.Contains(m.Text, "confidentiel") && !strings.Contains(m.Text, "[-confidentiel-]") {
				t.Errorf("unexpected text:\n%s", m.Text)
			}
		}
	})
}

func TestNotifier_Digest(t *testing.T) {
	f := newFixture(t, wiki.Config{})
	sink := startSink(t)
	clock := &setClock{now: t0}
	n := f.svc.NewNotifier(wiki.NotifyConfig{Mailer: sender(t, sink), BaseURL: base, Clock: clock, DigestAt: 7 * time.Hour})
	follow(t, f, n) // the notifier starts: what came before is not mailed
	bruno := f.user(t, "bruno", wiki.RoleEditor)
	subscribe(t, f, bruno, wiki.NotifyDaily, "usages")
	en := "en"
	if _, err := f.svc.UpdateMe(f.ctx, bruno, wiki.MeChange{Lang: &en}); err != nil {
		t.Fatal(err)
	}
	f.save(t, "usages/cahier", "# Cahier\n\nUn.\n", 0)
	f.save(t, "usages/cahier", "# Cahier\n\nUn. Deux.\n", 1)
	f.save(t, "usages/agenda", "# Agenda\n\nLundi.\n", 0)
	follow(t, f, n)
	paris, _ := time.LoadLocation("Europe/Paris")
	for _, at := range []time.Time{t0.Add(time.Hour), time.Date(2026, 5, 5, 6, 59, 0, 0, paris)} {
		clock.set(at)
		if got := flush(t, f.ctx, n); got != 0 {
			t.Fatalf("%d mails at %v, before the digest's time", got, at)
		}
	}
	clock.set(time.Date(2026, 5, 5, 7, 0, 1, 0, paris))
	f.save(t, "usages/agenda", "# Agenda\n\nMardi.\n", 1) // after the digest's time: tomorrow's
	follow(t, f, n)
	if got := flush(t, f.ctx, n); got != 1 {
		t.Fatalf("%d digests, want 1", got)
	}
	m := sink.Wait(1, 5*time.Second)[0]
	if !strings.Contains(m.Subject, "Digest of 2026-05-05") || !strings.Contains(m.Subject, "Cahier") {
		t.Errorf("subject %q", m.Subject)
	}
	cahier, agenda := strings.Index(m.Text, "== Cahier"), strings.Index(m.Text, "== Agenda")
	if cahier < 0 || agenda < cahier || strings.Count(m.Text, "== ") != 2 || strings.Contains(m.Text, "Mardi") {
		t.Errorf("the digest is not grouped by page, or holds a change of after its time:\n%s", m.Text)
	}
	clock.set(time.Date(2026, 5, 5, 23, 0, 0, 0, paris))
	if got := flush(t, f.ctx, n); got != 0 {
		t.Fatalf("a second digest the same day")
	}
	clock.set(time.Date(2026, 5, 6, 7, 0, 0, 0, paris))
	if got := flush(t, f.ctx, n); got != 1 {
		t.Fatalf("%d digests the next day", got)
	}
	if m := sink.Wait(2, 5*time.Second)[1]; !strings.Contains(m.Text, "Mardi") {
		t.Errorf("the next digest lacks the later change:\n%s", m.Text)
	}
}

// TestNotifier_SMTPDown: a save does not wait for a mail server that is
// down; the notifier tries again, mails nothing meanwhile, and once the
// server is back mails the change exactly once.
func TestNotifier_SMTPDown(t *testing.T) {
	t.Parallel() // its own wiki and mail server; it waits for retries, alongside the waiting room's wait
	f := newFixture(t, wiki.Config{})
	sink := startSink(t)
	bruno := f.user(t, "bruno", wiki.RoleEditor)
	subscribe(t, f, bruno, wiki.NotifyImmediate, "usages/cahier")
	sink.Down()
	mailer := newCountingMailer(sender(t, sink))
	logged := newLogEvents()
	n := f.svc.NewNotifier(wiki.NotifyConfig{Mailer: mailer, BaseURL: base, Delay: -1,
		Clock: quickClock{tick: 10 * time.Millisecond}, Logger: slog.New(logged),
		RetryFirst: 20 * time.Millisecond, RetryMax: 200 * time.Millisecond})
	follow(t, f, n) // the notifier starts: what came before is not mailed
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- n.Run(ctx) }()
	defer func() {
		cancel()
		<-done
	}()
	start := time.Now()
	f.save(t, "usages/cahier", "# Cahier\n\nUn.\n", 0)
	if d := time.Since(start); d > time.Second {
		t.Errorf("a save took %v with the mail server down", d)
	}
	// The notifier queued the change and tried to mail it, then tried
	// again after its wait: what it would have mailed, it tried to.
	mailer.waitFor(t, "retried while down", func(failed, _ int) bool { return failed >= 2 })
	if _, sent := mailer.counts(); sent != 0 {
		t.Fatalf("%d sends went through while down", sent)
	}
	if got := len(sink.Messages()); got != 0 {
		t.Fatalf("%d mails while down", got)
	}
	if err := sink.Up(); err != nil {
		t.Fatal(err)
	}
	if got := sink.Wait(1, 10*time.Second); len(got) != 1 || !strings.Contains(got[0].Subject, "Cahier") {
		t.Fatalf("after the server came back: %d mails", len(got))
	}
	// The round that mailed it logs once it has taken the change out of
	// the outbox: from then on nothing is left to mail again.
	logged.waitFor(t, "notifications: mails sent")
	if left, err := f.db.Outbox(f.ctx, 1000, 5000); err != nil || len(left) != 0 {
		t.Fatalf("outbox after the mail: %d notices, %v", len(left), err)
	}
	if got := len(sink.Messages()); got != 1 {
		t.Fatalf("%d mails, want exactly 1", got)
	}
	if _, sent := mailer.counts(); sent != 1 {
		t.Fatalf("%d sends went, want exactly 1", sent)
	}
}

// TestNotifier_Flood: 130 changes due at once make one mail per member,
// detailing 100 and counting the others.
func TestNotifier_Flood(t *testing.T) {
	f := newFixture(t, wiki.Config{})
	sink := startSink(t)
	n := f.svc.NewNotifier(wiki.NotifyConfig{Mailer: sender(t, sink), BaseURL: base, Clock: &setClock{now: t0}, Delay: -1})
	follow(t, f, n)
	subscribe(t, f, f.user(t, "bruno", wiki.RoleEditor), wiki.NotifyImmediate, "usages")
	for i := range 130 {
		f.save(t, fmt.Sprintf("usages/page-%d", i), fmt.Sprintf("# Page %d\n", i), 0)
	}
	follow(t, f, n)
	if got := flush(t, f.ctx, n); got != 1 {
		t.Fatalf("%d mails, want 1", got)
	}
	m := sink.Wait(1, 5*time.Second)[0]
	if c := strings.Count(m.Text, "\n== "); c != 100 || !strings.Contains(m.Text, "… et 30 autre(s) changement(s), dans votre liste de suivi : "+base+"/watchlist") {
		t.Errorf("%d pages detailed; text ends:\n%s", c, m.Text[max(0, len(m.Text)-600):])
	}
	if c := strings.Count(m.Text, "\n  * Page "); c != 30 {
		t.Errorf("%d pages listed past the detailed ones, want 30", c)
	}
	if len(m.Raw) > 1<<20 {
		t.Errorf("a mail of %d bytes", len(m.Raw))
	}
	if got := flush(t, f.ctx, n); got != 0 {
		t.Fatalf("%d more mails", got)
	}
}

// TestNotifier_RulesAndDisabled: with real rules, a member who leaves the
// group that reads a namespace gets no mail of its changes from that
// moment, and a disabled member gets none at all.
func TestNotifier_RulesAndDisabled(t *testing.T) {
	f := newFixture(t, wiki.Config{})
	sink := startSink(t)
	n := f.svc.NewNotifier(wiki.NotifyConfig{Mailer: sender(t, sink), BaseURL: base, Clock: &setClock{now: t0}, Delay: -1})
	follow(t, f, n)
	admin := f.user(t, "admin", wiki.RoleAdmin)
	bruno := f.user(t, "bruno", wiki.RoleEditor)
	claire := f.user(t, "claire", wiki.RoleEditor)
	for _, login := range []string{"bruno", "claire", f.editor.Login} { // the editor writes the pages
		u, err := f.svc.UpdateMember(f.ctx, admin, login, wiki.MemberChange{Groups: []string{"e-lyco"}})
		if err != nil {
			t.Fatal(err)
		}
		if login == f.editor.Login {
			*f.editor = u // as the next request would read them
		}
	}
	lyco := wiki.Rules{Read: wiki.Rule{"e-lyco"}, Edit: wiki.Rule{"e-lyco"}}
	if _, err := f.svc.SetNamespaceRules(f.ctx, admin, "marches", lyco); err != nil {
		t.Fatal(err)
	}
	subscribe(t, f, bruno, wiki.NotifyImmediate, "marches")
	subscribe(t, f, claire, wiki.NotifyImmediate, "marches")
	f.save(t, "marches/contrat", "# Contrat\n\nMontant initial.\n", 0)
	follow(t, f, n)
	if got := flush(t, f.ctx, n); got != 2 {
		t.Fatalf("%d mails while both read marches, want 2", got)
	}
	sink.Wait(2, 5*time.Second)

	if _, err := f.svc.UpdateMember(f.ctx, admin, "bruno", wiki.MemberChange{Groups: []string{}}); err != nil {
		t.Fatal(err)
	}
	yes := true
	if _, err := f.svc.UpdateMember(f.ctx, admin, "claire", wiki.MemberChange{Disabled: &yes}); err != nil {
		t.Fatal(err)
	}
	f.save(t, "marches/contrat", "# Contrat\n\nMontant revu à la hausse.\n", 1)
	follow(t, f, n)
	if got := flush(t, f.ctx, n); got != 0 {
		t.Fatalf("%d mails after bruno left e-lyco and claire was disabled", got)
	}
}
