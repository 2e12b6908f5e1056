package storetest

import (
	"bytes"
	"context"
	"slices"
	"testing"
	"time"

	"github.com/kdecole-club/clubwiki/wiki"
)

// testNotify covers e-mail notifications: settings per member, who
// subscribes to what, the outbox written with its cursor, and the secret
// of unsubscribe links.
func testNotify(t *testing.T, open func(t *testing.T) wiki.Store) {
	ctx := context.Background()
	s := open(t)
	addUsers(t, s, "alice", "bob", "carole")
	set := func(t *testing.T, login string, m wiki.NotifyMode) {
		t.Helper()
		if err := s.PutNotifySettings(ctx, login, wiki.NotifySettings{Mode: m, Lang: "en"}); err != nil {
			t.Fatal(err)
		}
	}
	t.Run("settings default to off and are kept", func(t *testing.T) {
		if n, err := s.NotifySettings(ctx, "alice"); err != nil || n != (wiki.NotifySettings{}) || n.On() {
			t.Fatalf("NotifySettings = %+v, %v; want the zero value", n, err)
		}
		set(t, "alice", wiki.NotifyImmediate)
		if n, _ := s.NotifySettings(ctx, "alice"); n.Mode != wiki.NotifyImmediate || n.Lang != "en" {
			t.Fatalf("NotifySettings = %+v", n)
		}
		if err := s.PutNotifySettings(ctx, "nobody", wiki.NotifySettings{Mode: wiki.NotifyDaily}); wiki.ErrorCode(err) != wiki.ENotFound {
			t.Fatalf("settings of a missing member: %v", err)
		}
	})
	t.Run("subscribers are the members on who watch the page or its namespace", func(t *testing.T) {
		set(t, "bob", wiki.NotifyDaily)
		set(t, "carole", wiki.NotifyOff)
		for _, w := range []struct {
			login string
			w     wiki.Watched
		}{{"alice", wiki.Watched{Path: wiki.MustPath("club/a")}}, {"bob", wiki.Watched{Namespace: "club"}},
			{"carole", wiki.Watched{Path: wiki.MustPath("club/a")}}} {
			if err := s.PutWatch(ctx, w.login, w.w, true); err != nil {
				t.Fatal(err)
			}
		}
		subs, err := s.Subscribers(ctx, []wiki.Path{wiki.MustPath("club/a"), wiki.MustPath("club/b"), wiki.MustPath("usages/c")})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, sub := range subs {
			for _, p := range sub.Paths {
				got = append(got, sub.Login+":"+string(sub.Settings.Mode)+":"+p.String())
			}
		}
		want := []string{"alice:immediate:club/a", "bob:daily:club/a", "bob:daily:club/b"}
		if !slices.Equal(got, want) {
			t.Fatalf("Subscribers = %v, want %v", got, want)
		}
	})
	t.Run("notices are queued with the cursor and dropped", func(t *testing.T) {
		if c, err := s.NotifyCursor(ctx); err != nil || c != 0 {
			t.Fatalf("cursor %d, %v", c, err)
		}
		at := time.Date(2026, 5, 1, 7, 0, 0, 0, time.UTC)
		ns := []wiki.Notice{
			{Login: "bob", Seq: 4, Path: wiki.MustPath("club/b"), Rev: 2, Author: "alice", Title: "B", Summary: "s", Time: at, Queued: at},
			{Login: "alice", Seq: 3, Path: wiki.MustPath("club/a"), Rev: 1, Author: "bob", Title: "A", Time: at, Queued: at},
			{Login: "bob", Seq: 3, Path: wiki.MustPath("club/a"), Rev: 1, Author: "bob", Title: "A", Time: at, Queued: at},
		}
		if err := s.QueueNotices(ctx, 5, ns); err != nil {
			t.Fatal(err)
		}
		// Queued again (a follower that applied the same changes twice):
		// nothing doubles.
		if err := s.QueueNotices(ctx, 5, ns[:1]); err != nil {
			t.Fatal(err)
		}
		if c, _ := s.NotifyCursor(ctx); c != 5 {
			t.Fatalf("cursor %d, want 5", c)
		}
		got, err := s.Outbox(ctx, 10, 10)
		if err != nil {
			t.Fatal(err)
		}
		want := []wiki.Notice{ns[1], ns[2], ns[0]}
		if !slices.EqualFunc(got, want, func(a, b wiki.Notice) bool {
			return a.Login == b.Login && a.Seq == b.Seq && a.Path == b.Path && a.Rev == b.Rev &&
				a.Author == b.Author && a.Title == b.Title && a.Summary == b.Summary && a.Time.Equal(b.Time) && a.Queued.Equal(b.Queued)
		}) {
			t.Fatalf("Outbox = %+v\nwant %+v", got, want)
		}
		if got, _ := s.Outbox(ctx, 10, 2); len(got) != 2 {
			t.Fatalf("Outbox(2) has %d notices", len(got))
		}
		// At most one per member: bob's oldest, then alice's.
		if per, _ := s.Outbox(ctx, 1, 10); len(per) != 2 || per[0].Login != "alice" || per[1].Login != "bob" || per[1].Seq != 3 {
			t.Fatalf("Outbox(1 per member) = %+v", per)
		}
		if err := s.DropNotices(ctx, got[:2]); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.Outbox(ctx, 10, 10); len(got) != 1 || got[0].Login != "bob" || got[0].Seq != 4 {
			t.Fatalf("after dropping two: %+v", got)
		}
	})
	t.Run("the mail secret is made once", func(t *testing.T) {
		a, err := s.MailSecret(ctx)
		if err != nil || len(a) != 32 {
			t.Fatalf("MailSecret = %x, %v", a, err)
		}
		b, _ := s.MailSecret(ctx)
		if !bytes.Equal(a, b) || bytes.Equal(a, make([]byte, 32)) {
			t.Fatalf("secrets %x and %x", a, b)
		}
		if other, _ := open(t).MailSecret(ctx); bytes.Equal(a, other) {
			t.Fatal("two stores share a secret")
		}
	})
}
