package web

import (
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"
)

func TestNoticeBoard_Take(t *testing.T) {
	t.Parallel()
	clock := &fakeClock{t: time.Date(2026, 11, 29, 13, 5, 0, 0, time.UTC)}
	b := newNoticeBoard(clock.Now)
	t.Run("once, at its page", func(t *testing.T) {
		b.put("s1", "/wiki/club/a", "merged")
		if got := b.take("s1", "/wiki/club/b"); got != "" {
			t.Errorf("another page took %q", got)
		}
		if got := b.take("s2", "/wiki/club/a"); got != "" {
			t.Errorf("another session took %q", got)
		}
		if got := b.take("s1", "/wiki/club/a"); got != "merged" {
			t.Errorf("take = %q", got)
		}
		if got := b.take("s1", "/wiki/club/a"); got != "" {
			t.Errorf("shown twice: %q", got)
		}
	})
	t.Run("expires", func(t *testing.T) {
		b.put("s1", "/wiki/club/a", "saved")
		clock.Add(flashTTL + time.Second)
		if got := b.take("s1", "/wiki/club/a"); got != "" {
			t.Errorf("stale notice %q", got)
		}
	})
	t.Run("bounded", func(t *testing.T) {
		for i := range maxFlashes + 10 {
			b.put("s"+strconv.Itoa(i), "/", "saved")
		}
		if n := len(b.m); n > maxFlashes {
			t.Errorf("%d notices kept", n)
		}
	})
}

func TestServer_MergedNotice(t *testing.T) {
	t.Parallel()
	e, _ := newUIEnv(t)
	b := e.signIn("edith")
	e.save("usages/notice", "# Notice\n\nun\n\ndeux\n\ntrois\n", 0, http.StatusCreated)
	e.save("usages/notice", "# Notice\n\nUN\n\ndeux\n\ntrois\n", 1, http.StatusOK)
	rec := b.post("/edit/usages/notice", url.Values{"markdown": {"# Notice\n\nun\n\ndeux\n\nTROIS\n"}, "base_rev": {"1"}})
	wantRedirect(t, rec, http.StatusSeeOther, "/wiki/usages/notice")
	want := e.srv.ui.cats["fr"].T("flash.merged")
	if got := text(page(t, b.get("/wiki/usages/notice"), http.StatusOK), ".flash"); got != want {
		t.Errorf("notice = %q, want %q", got, want)
	}
	// The bookmark of the old URL form, by the same member or another.
	for _, who := range []*browser{b, e.signIn("remi")} {
		if doc := page(t, who.get("/wiki/usages/notice?msg=merged"), http.StatusOK); doc.Find(".flash").Length() != 0 {
			t.Errorf("bookmarked URL shows %q", text(doc, ".flash"))
		}
	}
}

// BenchmarkNoticeBoardFull puts notices into a full board: each put used
// to scan all maxFlashes waiting notices under the lock.
func BenchmarkNoticeBoardFull(b *testing.B) {
	nb := newNoticeBoard(time.Now)
	for i := range maxFlashes {
		nb.put("s"+strconv.Itoa(i), "/p", "saved")
	}
	b.ResetTimer()
	for i := range b.N {
		nb.put("x"+strconv.Itoa(i), "/p", "saved")
	}
}
