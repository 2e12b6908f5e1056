package web

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/kdecole-club/clubwiki/wiki"
)

// TestUI_EditorEvery: the editor hands its scripts the time between two
// heartbeats and before a draft goes to the server: 5 s and 3 s unless
// the server's options say otherwise.
func TestUI_EditorEvery(t *testing.T) {
	t.Parallel()
	timers := func(t *testing.T, o Options) (string, string) {
		t.Helper()
		o.LoginDelay = -1
		e := newTestEnvWith(t, envOptions{server: o})
		e.user(context.Background(), "marie", wiki.RoleEditor)
		div := page(t, e.signIn("marie").get("/edit/usages/nouvelle"), http.StatusOK).Find("#editor-texts")
		p, _ := div.Attr("data-presence-every")
		d, _ := div.Attr("data-draft-every")
		return p, d
	}
	t.Run("the defaults", func(t *testing.T) {
		if p, d := timers(t, Options{}); p != "5000" || d != "3000" {
			t.Fatalf("presence every %q ms, draft every %q ms; want 5000 and 3000", p, d)
		}
	})
	t.Run("set by the options", func(t *testing.T) {
		if p, d := timers(t, Options{PresenceEvery: 150 * time.Millisecond, DraftEvery: 2 * time.Millisecond}); p != "150" || d != "2" {
			t.Fatalf("presence every %q ms, draft every %q ms; want 150 and 2", p, d)
		}
	})
	t.Run("negative is the default", func(t *testing.T) {
		if p, d := timers(t, Options{PresenceEvery: -time.Second, DraftEvery: time.Microsecond}); p != "5000" || d != "1" {
			t.Fatalf("presence every %q ms, draft every %q ms; want 5000 and 1", p, d)
		}
	})
}
