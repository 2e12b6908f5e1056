package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kdecole-club/clubwiki/wiki"
)

const (
	rightPassword = "mot-de-passe-solide"
	wrongPassword = "faux-mot-de-passe"
)

// signInFrom posts the sign-in form for login from the connection address
// remote ("host:port"), with an X-Forwarded-For header when xff is set.
func signInFrom(e *testEnv, remote, xff, login, password string) *httptest.ResponseRecorder {
	form := url.Values{"login": {login}, "password": {password}}
	req := httptest.NewRequest("POST", "/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.RemoteAddr = remote
	if xff != "" {
		req.Header.Set("X-Forwarded-For", xff)
	}
	return serve(e.srv, req)
}

// retryAfter reads the Retry-After of a throttled sign-in.
func retryAfter(t *testing.T, rec *httptest.ResponseRecorder) time.Duration {
	t.Helper()
	wantStatusCode(t, rec, http.StatusTooManyRequests)
	n, err := strconv.Atoi(rec.Header().Get("Retry-After"))
	if err != nil || n < 1 {
		t.Fatalf("Retry-After = %q, want whole seconds", rec.Header().Get("Retry-After"))
	}
	return time.Duration(n) * time.Second
}

func TestServer_LoginRace(t *testing.T) {
	t.Parallel()
	e, _ := newUIEnv(t)
	const attempts = 50
	codes := make([]int, attempts)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range attempts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			codes[i] = signInFrom(e, "198.51.100.7:4000", "", "edith", wrongPassword).Code
		}()
	}
	close(start)
	wg.Wait()
	checked := 0
	for _, c := range codes {
		switch c {
		case http.StatusUnauthorized:
			checked++
		case http.StatusTooManyRequests:
		default:
			t.Fatalf("a wrong password answered %d", c)
		}
	}
	if checked > pairLimit.free {
		t.Errorf("%d of %d concurrent wrong passwords were checked, want at most %d", checked, attempts, pairLimit.free)
	}
	t.Run("the right password within the wait is refused", func(t *testing.T) {
		retryAfter(t, signInFrom(e, "198.51.100.7:4000", "", "edith", rightPassword))
	})
}

func TestServer_LoginGrowingDelays(t *testing.T) {
	t.Parallel()
	e, clock := newUIEnv(t)
	const attacker, owner = "203.0.113.9:5000", "192.0.2.44:6000"
	for range pairLimit.free {
		wantStatusCode(t, signInFrom(e, attacker, "", "edith", wrongPassword), http.StatusUnauthorized)
	}
	var waits []time.Duration
	for range 6 {
		d := retryAfter(t, signInFrom(e, attacker, "", "edith", wrongPassword))
		waits = append(waits, d)
		if d > time.Second {
			// Trying again before the end of the wait changes nothing.
			clock.Add(d - time.Second)
			if got := retryAfter(t, signInFrom(e, attacker, "", "edith", wrongPassword)); got != time.Second {
				t.Fatalf("1 s before the end of a %v wait, Retry-After = %v", d, got)
			}
			clock.Add(time.Second)
		} else {
			clock.Add(d)
		}
		wantStatusCode(t, signInFrom(e, attacker, "", "edith", wrongPassword), http.StatusUnauthorized)
		t.Run("the owner elsewhere signs in", func(t *testing.T) {
			wantStatusCode(t, signInFrom(e, owner, "", "edith", rightPassword), http.StatusSeeOther)
		})
	}
	for i := 1; i < len(waits); i++ {
		if waits[i] != 2*waits[i-1] {
			t.Fatalf("waits = %v, want each twice the one before", waits)
		}
	}
	if waits[0] != time.Second {
		t.Errorf("first wait = %v, want 1s", waits[0])
	}
	t.Run("the message says how long", func(t *testing.T) {
		doc := page(t, signInFrom(e, attacker, "", "edith", rightPassword), http.StatusTooManyRequests)
		if got := text(doc, ".error"); !strings.Contains(got, "Réessayez dans 1 min 4 s.") {
			t.Errorf("message = %q", got)
		}
	})
	t.Run("success starts the pair over", func(t *testing.T) {
		clock.Add(64 * time.Second)
		wantStatusCode(t, signInFrom(e, attacker, "", "edith", rightPassword), http.StatusSeeOther)
		for range pairLimit.free {
			wantStatusCode(t, signInFrom(e, attacker, "", "edith", wrongPassword), http.StatusUnauthorized)
		}
	})
	t.Run("the wait is capped", func(t *testing.T) {
		for range 20 {
			clock.Add(pairLimit.max)
			wantStatusCode(t, signInFrom(e, attacker, "", "edith", wrongPassword), http.StatusUnauthorized)
		}
		if d := retryAfter(t, signInFrom(e, attacker, "", "edith", wrongPassword)); d != pairLimit.max {
			t.Errorf("Retry-After = %v, want the cap %v", d, pairLimit.max)
		}
	})
}

func TestServer_LoginBehindProxy(t *testing.T) {
	t.Parallel()
	clock := &fakeClock{t: time.Date(2026, 11, 29, 13, 5, 0, 0, time.UTC)}
	t.Run("spoofed leftmost address", func(t *testing.T) {
		e := newTestEnvWith(t, envOptions{server: Options{LoginDelay: -1, Now: clock.Now, BehindProxy: true}})
		for i := range pairLimit.free {
			xff := "10.9.9." + strconv.Itoa(i) + ", 198.51.100.20"
			wantStatusCode(t, signInFrom(e, "127.0.0.1:9000", xff, "edith", wrongPassword), http.StatusUnauthorized)
		}
		retryAfter(t, signInFrom(e, "127.0.0.1:9000", "10.9.9.99, 198.51.100.20", "edith", wrongPassword))
		// Another client behind the same proxy is not held up.
		wantStatusCode(t, signInFrom(e, "127.0.0.1:9000", "10.9.9.1, 198.51.100.21", "edith", rightPassword), http.StatusSeeOther)
	})
	t.Run("two trusted hops", func(t *testing.T) {
		e := newTestEnvWith(t, envOptions{server: Options{LoginDelay: -1, Now: clock.Now, BehindProxy: true, TrustedProxies: 2}})
		for i := range pairLimit.free {
			xff := "10.9.9." + strconv.Itoa(i) + ", 198.51.100.30, 10.0.0.2"
			wantStatusCode(t, signInFrom(e, "127.0.0.1:9000", xff, "edith", wrongPassword), http.StatusUnauthorized)
		}
		retryAfter(t, signInFrom(e, "127.0.0.1:9000", "198.51.100.30, 10.0.0.2", "edith", wrongPassword))
	})
	t.Run("header ignored without a proxy", func(t *testing.T) {
		e := newTestEnvWith(t, envOptions{server: Options{LoginDelay: -1, Now: clock.Now}})
		for i := range pairLimit.free {
			xff := "198.51.100." + strconv.Itoa(i)
			wantStatusCode(t, signInFrom(e, "192.0.2.8:9000", xff, "edith", wrongPassword), http.StatusUnauthorized)
		}
		retryAfter(t, signInFrom(e, "192.0.2.8:9000", "198.51.100.99", "edith", wrongPassword))
	})
}

func TestServer_LoginAddressLimit(t *testing.T) {
	t.Parallel()
	e, _ := newUIEnv(t)
	// Real members: an unknown login costs a bcrypt of the default cost.
	for i := range addressLimit.free {
		nu := wiki.NewUser{Login: "membre" + strconv.Itoa(i), Role: wiki.RoleReader, Password: rightPassword}
		if _, err := e.svc.CreateUser(context.Background(), nu); err != nil {
			t.Fatal(err)
		}
	}
	const sprayer = "203.0.113.50:7000"
	for i := range addressLimit.free {
		login := "membre" + strconv.Itoa(i)
		wantStatusCode(t, signInFrom(e, sprayer, "", login, wrongPassword), http.StatusUnauthorized)
	}
	retryAfter(t, signInFrom(e, sprayer, "", "edith", rightPassword))
	t.Run("other addresses unaffected", func(t *testing.T) {
		wantStatusCode(t, signInFrom(e, "203.0.113.51:7000", "", "edith", rightPassword), http.StatusSeeOther)
	})
	t.Run("an IPv6 client is one /64", func(t *testing.T) {
		for i := range addressLimit.free {
			remote := "[2001:db8:1:2::" + strconv.FormatInt(int64(i+1), 16) + "]:443"
			wantStatusCode(t, signInFrom(e, remote, "", "membre"+strconv.Itoa(i), wrongPassword), http.StatusUnauthorized)
		}
		retryAfter(t, signInFrom(e, "[2001:db8:1:2:ffff::1]:443", "", "edith", rightPassword))
	})
}

func TestServer_LoginAccountLimit(t *testing.T) {
	t.Parallel()
	e, clock := newUIEnv(t)
	const usual = "192.0.2.60:1000"
	wantStatusCode(t, signInFrom(e, usual, "", "edith", rightPassword), http.StatusSeeOther)
	// Many addresses, each one wrong guess: no pair and no address is
	// slowed, the account is.
	for i := range accountLimit.free {
		remote := "198.18." + strconv.Itoa(i/250) + "." + strconv.Itoa(i%250+1) + ":80"
		wantStatusCode(t, signInFrom(e, remote, "", "edith", wrongPassword), http.StatusUnauthorized)
	}
	first := retryAfter(t, signInFrom(e, "198.19.0.1:80", "", "edith", wrongPassword))
	t.Run("the owner's usual address is not slowed", func(t *testing.T) {
		wantStatusCode(t, signInFrom(e, usual, "", "edith", rightPassword), http.StatusSeeOther)
	})
	t.Run("other accounts are not slowed", func(t *testing.T) {
		wantStatusCode(t, signInFrom(e, "198.19.0.2:80", "", "remi", rightPassword), http.StatusSeeOther)
	})
	t.Run("slowed, not locked", func(t *testing.T) {
		clock.Add(first)
		wantStatusCode(t, signInFrom(e, "198.19.0.3:80", "", "edith", wrongPassword), http.StatusUnauthorized)
		if d := retryAfter(t, signInFrom(e, "198.19.0.4:80", "", "edith", rightPassword)); d != 2*first {
			t.Errorf("next wait = %v, want %v", d, 2*first)
		}
		clock.Add(2 * first)
		wantStatusCode(t, signInFrom(e, "198.19.0.4:80", "", "edith", rightPassword), http.StatusSeeOther)
	})
	t.Run("forgotten after a quiet while", func(t *testing.T) {
		clock.Add(limiterForget)
		wantStatusCode(t, signInFrom(e, "198.19.0.5:80", "", "edith", wrongPassword), http.StatusUnauthorized)
	})
}

func TestLoginLimiter_Bounded(t *testing.T) {
	t.Parallel()
	clock := &fakeClock{t: time.Now()}
	l := newLoginLimiter(clock.Now)
	for i := range limiterMaxKeys * 2 {
		addr := "10." + strconv.Itoa(i>>16&255) + "." + strconv.Itoa(i>>8&255) + "." + strconv.Itoa(i&255)
		if tk, _ := l.reserve("login"+strconv.Itoa(i), addr); i%3 == 0 {
			l.succeeded(tk)
		}
	}
	if n := l.size(); n > limiterMaxKeys {
		t.Fatalf("%d keys tracked, want at most %d", n, limiterMaxKeys)
	}
	t.Run("long logins", func(t *testing.T) {
		l := newLoginLimiter(clock.Now)
		l.reserve(strings.Repeat("x", 16<<10), "192.0.2.1")
		for k := range l.keys {
			if len(k) > 2*limiterMaxLogin {
				t.Errorf("a key of %d bytes", len(k))
			}
		}
	})
}

func BenchmarkLoginLimiter_Reserve(b *testing.B) {
	l := newLoginLimiter(time.Now)
	i := 0
	for b.Loop() {
		i++
		addr := "10." + strconv.Itoa(i>>16&255) + "." + strconv.Itoa(i>>8&255) + "." + strconv.Itoa(i&255)
		tk, _ := l.reserve("membre"+strconv.Itoa(i%500), addr)
		l.succeeded(tk)
	}
}

// TestServer_PasswordChangeThrottled checks that the current password of
// the settings form, a password check too, is charged like a sign-in: a
// stolen session must not give unlimited guesses at it.
func TestServer_PasswordChangeThrottled(t *testing.T) {
	t.Parallel()
	e, clock := newUIEnv(t)
	b := e.signIn("edith")
	form := func(current string) url.Values {
		return url.Values{"current": {current}, "password": {"nouveau-secret-1"}, "confirm": {"nouveau-secret-1"}}
	}
	for range pairLimit.free - 1 { // signing in was the first attempt, given back
		page(t, b.post("/settings/password", form(wrongPassword)), http.StatusBadRequest)
	}
	page(t, b.post("/settings/password", form(wrongPassword)), http.StatusBadRequest)
	rec := b.post("/settings/password", form(rightPassword))
	if d := retryAfter(t, rec); d != pairLimit.first {
		t.Errorf("Retry-After = %v, want %v", d, pairLimit.first)
	}
	if got := text(page(t, rec, http.StatusTooManyRequests), ".error"); !strings.Contains(got, "1 s") {
		t.Errorf("message = %q", got)
	}
	clock.Add(pairLimit.first)
	wantRedirect(t, b.post("/settings/password", form(rightPassword)), http.StatusSeeOther, "/settings")
}

func TestForwardedFor(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		lines []string
		hops  int
		want  string
		ok    bool
	}{
		{"one proxy", []string{"10.0.0.1, 198.51.100.1"}, 1, "198.51.100.1", true},
		{"two header lines", []string{"10.0.0.1", "198.51.100.1"}, 1, "198.51.100.1", true},
		{"two proxies", []string{"10.0.0.1, 198.51.100.1, 192.0.2.9"}, 2, "198.51.100.1", true},
		{"fewer entries than proxies", []string{"198.51.100.1"}, 3, "198.51.100.1", true},
		{"with a port", []string{"[2001:db8::1]:443"}, 1, "2001:db8::1", true},
		{"mapped IPv4", []string{"::ffff:198.51.100.1"}, 1, "198.51.100.1", true},
		{"not an address", []string{"1.2.3.4, unknown"}, 1, "", false},
		{"empty entry", []string{"1.2.3.4, "}, 1, "", false},
		{"no header", nil, 1, "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := forwardedFor(tc.lines, tc.hops)
			if got != tc.want || ok != tc.ok {
				t.Errorf("forwardedFor(%q, %d) = %q, %v; want %q, %v", tc.lines, tc.hops, got, ok, tc.want, tc.ok)
			}
		})
	}
}
