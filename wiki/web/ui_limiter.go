package web

import (
	"sync"
	"time"
)

// Login throttling: after loginMaxFailures failures for one login or one
// client address within loginWindow, further attempts are refused until the
// window of the first failure has passed.
const (
	loginMaxFailures = 10
	loginWindow      = 15 * time.Minute
	// limiterMaxKeys bounds the limiter's memory: at most this many logins
	// and addresses are tracked at once.
	limiterMaxKeys = 10000
)

// loginLimiter counts login failures per key ("login:x", "ip:y") in memory.
// A restart forgets them, which is acceptable: the limiter slows guessing,
// bcrypt and the fixed delay do the rest.
type loginLimiter struct {
	mu   sync.Mutex
	now  func() time.Time
	keys map[string]*failures
}

// failures counts the failures of one key since start.
type failures struct {
	start time.Time
	count int
}

func newLoginLimiter(now func() time.Time) *loginLimiter {
	if now == nil {
		now = time.Now
	}
	return &loginLimiter{now: now, keys: make(map[string]*failures)}
}

// blocked reports whether any of keys has used up its failures.
func (l *loginLimiter) blocked(keys ...string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	for _, k := range keys {
		if f, ok := l.keys[k]; ok && now.Sub(f.start) < loginWindow && f.count >= loginMaxFailures {
			return true
		}
	}
	return false
}

// fail records a failure for each key.
func (l *loginLimiter) fail(keys ...string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	for _, k := range keys {
		f, ok := l.keys[k]
		if ok && now.Sub(f.start) < loginWindow {
			f.count++
			continue
		}
		if !ok && len(l.keys) >= limiterMaxKeys {
			l.evict(now)
		}
		l.keys[k] = &failures{start: now, count: 1}
	}
}

// evict drops expired entries; if that is not enough, it drops the entries
// older than half a window and then any, until there is room, so that a
// flood of addresses cannot grow memory without bound.
func (l *loginLimiter) evict(now time.Time) {
	for k, f := range l.keys {
		if now.Sub(f.start) >= loginWindow {
			delete(l.keys, k)
		}
	}
	if len(l.keys) < limiterMaxKeys {
		return
	}
	cut := now.Add(-loginWindow / 2)
	for k, f := range l.keys {
		if f.start.Before(cut) || len(l.keys) >= limiterMaxKeys {
			delete(l.keys, k)
		}
	}
}

// size returns the number of tracked keys.
func (l *loginLimiter) size() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.keys)
}
