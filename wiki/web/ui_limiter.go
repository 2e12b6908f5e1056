package web

import (
	"net/netip"
	"slices"
	"sync"
	"time"
)

// The sign-in policy. Every attempt is charged before its password is
// checked, under one lock, so that concurrent guesses cannot all slip
// through before the first failure is counted. Failures are counted on
// three keys, each with a number of free failures and then growing waits
// (1 s, 2 s, 4 s … up to a cap) between further attempts:
//
//   - the pair (login, client address): a member who mistypes is slowed
//     only at their own address, and a success there starts it over;
//   - the client address alone (an IPv6 client counts as its /64), so that
//     one address cannot spray guesses over many logins;
//   - the login alone, for attempts from addresses that never signed in to
//     it successfully, so that many addresses together are slowed too. The
//     addresses where the member signed in within knownFor are exempt: an
//     attacker hammering the account never keeps its owner out from there.
//
// Nothing ever locks: after each wait one more attempt is allowed. A
// success gives back the charge on the address and the login (a member
// behind a school's shared address does not use up its budget) but does
// not erase their failures, or one valid account would let its holder
// reset the address's count between guesses at others. Keys with no
// failure for limiterForget are forgotten. The limiter is in memory: a
// restart forgets it, which is acceptable since bcrypt and the fixed delay
// of every failure still slow guessing.
var (
	pairLimit    = limit{free: 5, first: time.Second, max: 15 * time.Minute}
	addressLimit = limit{free: 30, first: time.Second, max: 15 * time.Minute}
	accountLimit = limit{free: 20, first: time.Second, max: 15 * time.Minute}
)

const (
	// limiterForget is how long a key is kept after its last failure.
	limiterForget = time.Hour
	// knownFor is how long a successful sign-in exempts its address from
	// the login's own limit.
	knownFor = 30 * 24 * time.Hour
	// limiterMaxKeys bounds the limiter's memory: at most this many
	// counted keys, and as many known (login, address) pairs.
	limiterMaxKeys = 10000
	// limiterMaxLogin bounds the part of a typed login a key keeps; logins
	// have at most 63 bytes.
	limiterMaxLogin = 64
)

// limit is the policy of one kind of key.
type limit struct {
	free  int           // failures before any wait
	first time.Duration // the first wait; each further failure doubles it
	max   time.Duration // the longest wait
}

// wait is how long after its last failure a key with n failures waits.
func (l limit) wait(n int) time.Duration {
	if n < l.free {
		return 0
	}
	shift := n - l.free
	if shift >= 32 || l.first<<shift > l.max {
		return l.max
	}
	return l.first << shift
}

// failures is the count of one key.
type failures struct {
	limit *limit
	n     int
	last  time.Time // of the last charged attempt
}

// loginLimiter counts sign-in attempts per key (see the policy above) in
// memory. It is safe for concurrent use.
type loginLimiter struct {
	mu    sync.Mutex
	now   func() time.Time
	keys  map[string]*failures
	known map[string]time.Time // login+"\x00"+address → last success
}

func newLoginLimiter(now func() time.Time) *loginLimiter {
	if now == nil {
		now = time.Now
	}
	return &loginLimiter{now: now, keys: make(map[string]*failures), known: make(map[string]time.Time)}
}

// ticket is one reserved attempt: the keys it was charged to.
type ticket struct {
	login, addr string
	keys        []string
}

// reserve charges an attempt to sign in as login from addr, atomically with
// the check that it may be made now. It returns 0 and the ticket to settle,
// or how long to wait (nothing charged).
func (l *loginLimiter) reserve(login, addr string) (ticket, time.Duration) {
	if len(login) > limiterMaxLogin {
		login = login[:limiterMaxLogin] // no login is that long: they may share a key
	}
	addr = addressKey(addr)
	t := ticket{login: login, addr: addr, keys: []string{"p\x00" + login + "\x00" + addr, "a\x00" + addr}}
	limits := []*limit{&pairLimit, &addressLimit, &accountLimit}
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if !l.isKnown(login, addr, now) {
		t.keys = append(t.keys, "u\x00"+login)
	}
	var wait time.Duration
	for _, k := range t.keys {
		if f := l.current(k, now); f != nil {
			wait = max(wait, f.last.Add(f.limit.wait(f.n)).Sub(now))
		}
	}
	if wait > 0 {
		return ticket{}, wait
	}
	l.makeRoom(now, len(t.keys))
	for i, k := range t.keys {
		f := l.keys[k]
		if f == nil {
			f = &failures{limit: limits[i]}
			l.keys[k] = f
		}
		f.n++
		f.last = now
	}
	return t, 0
}

// current returns the count of k, nil when there is none or it is
// forgotten.
func (l *loginLimiter) current(k string, now time.Time) *failures {
	f, ok := l.keys[k]
	if !ok {
		return nil
	}
	if now.Sub(f.last) >= limiterForget {
		delete(l.keys, k)
		return nil
	}
	return f
}

// succeeded settles a ticket whose password was right: the pair starts
// over, the address and the login get their charge back, and the address
// becomes known for the login.
func (l *loginLimiter) succeeded(t ticket) {
	if len(t.keys) == 0 {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.keys, t.keys[0])
	l.giveBack(t.keys[1:])
	now := l.now()
	k := t.login + "\x00" + t.addr
	if _, ok := l.known[k]; !ok && len(l.known) >= limiterMaxKeys {
		l.forgetKnown(now)
	}
	l.known[k] = now
}

// refund settles a ticket whose password could not be checked (the store
// failed): the attempt does not count.
func (l *loginLimiter) refund(t ticket) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.giveBack(t.keys)
}

func (l *loginLimiter) giveBack(keys []string) {
	for _, k := range keys {
		if f, ok := l.keys[k]; ok && f.n > 0 {
			f.n--
		}
	}
}

func (l *loginLimiter) isKnown(login, addr string, now time.Time) bool {
	at, ok := l.known[login+"\x00"+addr]
	return ok && now.Sub(at) < knownFor
}

// makeRoom is called before an attempt charges up to n keys. When the
// limiter would be full it drops the forgotten keys, then those that make nobody wait yet,
// then the half least recently charged, so that a flood of addresses or
// logins cannot grow memory without bound.
func (l *loginLimiter) makeRoom(now time.Time, n int) {
	if len(l.keys)+n <= limiterMaxKeys {
		return
	}
	for k, f := range l.keys {
		if now.Sub(f.last) >= limiterForget || f.n < f.limit.free {
			delete(l.keys, k)
		}
	}
	if len(l.keys)+n <= limiterMaxKeys {
		return
	}
	lasts := make([]time.Time, 0, len(l.keys))
	for _, f := range l.keys {
		lasts = append(lasts, f.last)
	}
	slices.SortFunc(lasts, time.Time.Compare)
	cut := lasts[len(lasts)/2]
	for k, f := range l.keys {
		if !f.last.After(cut) {
			delete(l.keys, k)
		}
	}
}

// forgetKnown makes room among the known addresses: the expired ones go,
// then the older half.
func (l *loginLimiter) forgetKnown(now time.Time) {
	lasts := make([]time.Time, 0, len(l.known))
	for k, at := range l.known {
		if now.Sub(at) >= knownFor {
			delete(l.known, k)
			continue
		}
		lasts = append(lasts, at)
	}
	if len(l.known) < limiterMaxKeys {
		return
	}
	slices.SortFunc(lasts, time.Time.Compare)
	cut := lasts[len(lasts)/2]
	for k, at := range l.known {
		if !at.After(cut) {
			delete(l.known, k)
		}
	}
}

// size returns the number of counted keys and known pairs.
func (l *loginLimiter) size() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return max(len(l.keys), len(l.known))
}

// addressKey is the part of a client address the limiter counts: the
// address itself, or for IPv6 its /64, which one client commonly holds
// whole and could otherwise walk through.
func addressKey(addr string) string {
	ip, err := netip.ParseAddr(addr)
	if err != nil {
		return addr
	}
	ip = ip.Unmap()
	if ip.Is4() {
		return ip.String()
	}
	p, err := ip.WithZone("").Prefix(64)
	if err != nil {
		return ip.String()
	}
	return p.String()
}
