package wiki_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kdecole-club/clubwiki/internal/smtpsink"
	"github.com/kdecole-club/clubwiki/store"
	"github.com/kdecole-club/clubwiki/wiki"
	"github.com/kdecole-club/clubwiki/wiki/textdiff"
)

// TestNotifier_Restart stops the wiki between each step of a
// notification (change saved, notice queued, mail sent) and opens the
// same bbolt file again: every change is mailed, once.
func TestNotifier_Restart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "wiki.db")
	sink := startSink(t)
	ctx := context.Background()
	clock := &setClock{now: t0}
	type opened struct {
		db  *store.DB
		svc *wiki.Service
		n   *wiki.Notifier
		f   *fixture
	}
	open := func(t *testing.T) opened {
		// Without fsync, as newFixture: the wiki stops by closing its
		// store, and what a closed store wrote is read back without it
		// (the store's own tests and the e2e crash test cover a crash).
		db, err := store.Open(path, store.Options{NoSync: true})
		if err != nil {
			t.Fatal(err)
		}
		svc := wiki.NewService(db, fixtureRenderer(), textdiff.New(), wiki.Config{BcryptCost: 4})
		if err := svc.Init(ctx); err != nil {
			t.Fatal(err)
		}
		n := svc.NewNotifier(wiki.NotifyConfig{Mailer: sender(t, sink), BaseURL: base, Clock: clock, Delay: -1})
		return opened{db, svc, n, &fixture{svc: svc, db: db, ctx: ctx}}
	}
	o := open(t)
	camille := o.f.user(t, "camille", wiki.RoleEditor)
	bruno := o.f.user(t, "bruno", wiki.RoleEditor)
	subscribe(t, o.f, bruno, wiki.NotifyImmediate, "usages")
	follow(t, o.f, o.n)
	editAs(t, o.f, camille, "usages/un", "# Un\n")
	o.db.Close() // stopped after the save, before the notifier read it

	o = open(t)
	follow(t, o.f, o.n)
	editAs(t, o.f, camille, "usages/deux", "# Deux\n")
	follow(t, o.f, o.n)
	o.db.Close() // stopped with two notices queued, none sent

	o = open(t)
	follow(t, o.f, o.n)
	if got := flush(t, ctx, o.n); got != 1 {
		t.Fatalf("%d mails after the restarts", got)
	}
	o.db.Close() // stopped after sending

	o = open(t)
	follow(t, o.f, o.n)
	if got := flush(t, ctx, o.n); got != 0 {
		t.Fatalf("%d mails sent again after a restart", got)
	}
	editAs(t, o.f, camille, "usages/trois", "# Trois\n")
	follow(t, o.f, o.n)
	if got := flush(t, ctx, o.n); got != 1 {
		t.Fatalf("%d mails of a later change", got)
	}
	o.db.Close()
	msgs := sink.Wait(2, 5*time.Second)
	if len(msgs) != 2 {
		t.Fatalf("%d mails received, want 2", len(msgs))
	}
	wantTitles(t, msgs[0], "Un", "Deux")
	wantTitles(t, msgs[1], "Trois")
}

func wantTitles(t *testing.T, m smtpsink.Message, titles ...string) {
	t.Helper()
	for _, ti := range titles {
		if !strings.Contains(m.Text, "\n== "+ti+" (") {
			t.Errorf("mail %q lacks page %s:\n%s", m.Subject, ti, m.Text)
		}
	}
}
