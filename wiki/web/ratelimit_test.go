package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kdecole-club/clubwiki/wiki"
)

// newLimitEnv is a test wiki whose writes are limited to burst at once and
// one a second, on clock.
func newLimitEnv(t *testing.T, burst int) (*testEnv, *fakeClock) {
	clock := &fakeClock{t: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
	e := newTestEnvWith(t, envOptions{server: Options{LoginDelay: -1, Now: clock.Now,
		WriteLimit: WriteLimit{Rate: 1, Burst: burst}}})
	return e, clock
}

// wantWriteRefused checks a 429 rate_limited answer and returns its
// Retry-After in seconds.
func wantWriteRefused(t *testing.T, rec interface {
	Result() *http.Response
}, status int) int {
	t.Helper()
	res := rec.Result()
	if res.StatusCode != status {
		t.Fatalf("status %d, want %d", res.StatusCode, status)
	}
	secs, err := strconv.Atoi(res.Header.Get("Retry-After"))
	if err != nil || secs < 1 {
		t.Fatalf("Retry-After %q, want whole seconds ≥ 1", res.Header.Get("Retry-After"))
	}
	return secs
}

func TestServer_WriteLimit(t *testing.T) {
	t.Parallel()
	e, clock := newLimitEnv(t, 3)
	put := func(token, path string) int {
		return e.do("PUT", "/api/pages/"+path, token, map[string]any{"markdown": "Texte.\n" + path, "base_rev": 0}).Code
	}
	t.Run("a burst past the limit gets 429 with Retry-After and the error shape", func(t *testing.T) {
		for i := range 3 {
			if got := put(e.editor, fmt.Sprintf("club/rafale-%d", i)); got != http.StatusCreated {
				t.Fatalf("write %d: status %d", i, got)
			}
		}
		rec := e.do("PUT", "/api/pages/club/rafale-3", e.editor, map[string]any{"markdown": "Texte.\n", "base_rev": 0})
		ae := wantError(t, rec, http.StatusTooManyRequests, "rate_limited")
		if ae.Error.Reason != string(wiki.ReasonTooManyWrites) || ae.Error.Message == "" {
			t.Errorf("error %+v", ae.Error)
		}
		if secs := wantWriteRefused(t, rec, http.StatusTooManyRequests); secs != 1 {
			t.Errorf("Retry-After %d, want 1 (one write a second)", secs)
		}
		if _, err := e.svc.Page(context.Background(), wiki.System(), wiki.MustPath("club/rafale-3"), 0); wiki.ErrorCode(err) != wiki.ENotFound {
			t.Errorf("the refused write was saved: %v", err)
		}
	})
	t.Run("reads are never limited", func(t *testing.T) {
		for range 20 {
			if rec := e.do("GET", "/api/pages/club/rafale-0", e.editor, nil); rec.Code != http.StatusOK {
				t.Fatalf("read: status %d", rec.Code)
			}
		}
	})
	t.Run("another member is not affected", func(t *testing.T) {
		other := e.user(context.Background(), "odile", wiki.RoleEditor)
		if got := put(other, "club/odile"); got != http.StatusCreated {
			t.Errorf("status %d", got)
		}
	})
	t.Run("the bucket refills", func(t *testing.T) {
		clock.Add(time.Second)
		if got := put(e.editor, "club/rafale-3"); got != http.StatusCreated {
			t.Fatalf("after 1 s: status %d", got)
		}
		if got := put(e.editor, "club/rafale-4"); got != http.StatusTooManyRequests {
			t.Fatalf("second write after 1 s: status %d", got)
		}
		clock.Add(10 * time.Second) // full again: three at once, not ten
		for i := range 4 {
			want := http.StatusCreated
			if i == 3 {
				want = http.StatusTooManyRequests
			}
			if got := put(e.editor, fmt.Sprintf("club/plein-%d", i)); got != want {
				t.Errorf("write %d after refilling: status %d, want %d", i, got, want)
			}
		}
	})
	t.Run("a member's tokens share the member's bucket", func(t *testing.T) {
		clock.Add(time.Minute)
		ctx := context.Background()
		e.user(ctx, "tom", wiki.RoleEditor)
		second, _, err := e.svc.CreateToken(ctx, wiki.System(), "tom", "second")
		if err != nil {
			t.Fatal(err)
		}
		tom := []string{second}
		first, _, _ := e.svc.CreateToken(ctx, wiki.System(), "tom", "third")
		tom = append(tom, first)
		for i := range 3 {
			if got := put(tom[i%2], fmt.Sprintf("club/tom-%d", i)); got != http.StatusCreated {
				t.Fatalf("write %d: status %d", i, got)
			}
		}
		if got := put(tom[1], "club/tom-3"); got != http.StatusTooManyRequests {
			t.Errorf("a fresh token of the same member: status %d", got)
		}
	})
}

func TestServer_WriteLimit_forms(t *testing.T) {
	t.Parallel()
	e, clock := newLimitEnv(t, 2)
	b := e.signIn("edith")
	save := func(path, text string) *http.Response {
		f := url.Values{"markdown": {text}, "base_rev": {"0"}, "summary": {""}}
		return b.post("/edit/"+path, f).Result()
	}
	for i := range 2 {
		if res := save(fmt.Sprintf("club/form-%d", i), "Texte.\n"); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("save %d: status %d", i, res.StatusCode)
		}
	}
	t.Run("a save past the limit keeps the text and says so", func(t *testing.T) {
		for lang, want := range map[string]string{"fr": "Trop d'enregistrements", "en": "Too many saves"} {
			b.header.Set("Accept-Language", lang)
			rec := b.post("/edit/club/form-2", url.Values{"markdown": {"Mon texte gardé.\n"}, "base_rev": {"0"}})
			wantWriteRefused(t, rec, http.StatusTooManyRequests)
			doc := page(t, rec, http.StatusTooManyRequests)
			if got := doc.Find("textarea[name=markdown]").Text(); got != "Mon texte gardé.\n" {
				t.Errorf("%s: text lost: %q", lang, got)
			}
			if got := text(doc, ".error"); !strings.Contains(got, want) {
				t.Errorf("%s: message %q, want %q", lang, got, want)
			}
		}
	})
	t.Run("another form post is refused in the member's language", func(t *testing.T) {
		for lang, want := range map[string]string{"fr": "Trop de modifications", "en": "Too many changes"} {
			b.header.Set("Accept-Language", lang)
			rec := b.post("/watch/club/form-0", url.Values{"watch": {"1"}})
			wantWriteRefused(t, rec, http.StatusTooManyRequests)
			if got := text(page(t, rec, http.StatusTooManyRequests), "main"); !strings.Contains(got, want) {
				t.Errorf("%s: page says %q, want %q", lang, got, want)
			}
		}
	})
	t.Run("a stranger's form post still goes to the login page", func(t *testing.T) {
		rec := e.browser().post("/watch/club/form-0", url.Values{"on": {"1"}})
		if rec.Code != http.StatusSeeOther || !strings.HasPrefix(rec.Header().Get("Location"), "/login") {
			t.Errorf("status %d, Location %q", rec.Code, rec.Header().Get("Location"))
		}
	})
	t.Run("pages still read", func(t *testing.T) {
		page(t, b.get("/wiki/club/form-0"), http.StatusOK)
	})
	t.Run("the bucket refills", func(t *testing.T) {
		clock.Add(time.Second)
		if res := save("club/form-2", "Texte.\n"); res.StatusCode != http.StatusSeeOther {
			t.Errorf("status %d", res.StatusCode)
		}
	})
}

func TestWriteLimiter_charge(t *testing.T) {
	t.Parallel()
	clock := &fakeClock{t: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
	t.Run("memory stays bounded under many distinct tokens", func(t *testing.T) {
		l := newWriteLimiter(clock.Now, WriteLimit{Rate: 10, Burst: 60}, WriteLimit{Rate: 10, Burst: 60})
		l.max = 1000
		for i := range 50000 {
			if wait := l.charge(fmt.Sprintf("m%d", i%7), fmt.Sprintf("token-%d", i)); wait > 0 && i%7 == 0 {
				continue
			}
			if n := l.size(); n > l.max {
				t.Fatalf("after %d writes: %d buckets, max %d", i+1, n, l.max)
			}
		}
	})
	t.Run("idle buckets are forgotten", func(t *testing.T) {
		l := newWriteLimiter(clock.Now, WriteLimit{Rate: 10, Burst: 60}, WriteLimit{Rate: 10, Burst: 60})
		for i := range 100 {
			l.charge(fmt.Sprintf("m%d", i), "")
		}
		clock.Add(time.Minute)
		for range 100 {
			l.charge("busy", "")
		}
		if n := l.size(); n > 2 {
			t.Errorf("%d buckets after a minute of one writer", n)
		}
	})
	t.Run("a refused write charges nothing", func(t *testing.T) {
		l := newWriteLimiter(clock.Now, WriteLimit{Rate: 1, Burst: 1}, WriteLimit{Rate: 1, Burst: 5})
		if l.charge("a", "t1") != 0 {
			t.Fatal("first write refused")
		}
		if wait := l.charge("a", "t1"); wait <= 0 || wait > time.Second {
			t.Fatalf("wait %v, want (0, 1s]", wait)
		}
		clock.Add(time.Second)
		for i := range 5 {
			if l.charge("a", "t1") != 0 {
				t.Fatalf("write %d refused: the refused ones were charged to the token", i)
			}
			clock.Add(time.Second)
		}
	})
	t.Run("a negative rate lets everything through", func(t *testing.T) {
		l := newWriteLimiter(clock.Now, WriteLimit{Rate: -1}, WriteLimit{Rate: -1})
		for range 1000 {
			if l.charge("a", "t") != 0 {
				t.Fatal("refused")
			}
		}
		if l.size() != 0 {
			t.Errorf("%d buckets", l.size())
		}
	})
}

// BenchmarkWriteLimiter_charge measures one charge among many writers, the
// limiter full (every charge makes room).
func BenchmarkWriteLimiter_charge(b *testing.B) {
	l := newWriteLimiter(time.Now, defaultWriteLimit, defaultWriteLimit)
	keys := make([]string, 4*writeBucketsMax)
	for i := range keys {
		keys[i] = fmt.Sprintf("token-%d", i)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		l.charge(keys[i%len(keys)], keys[(i+1)%len(keys)])
		i++
	}
}
