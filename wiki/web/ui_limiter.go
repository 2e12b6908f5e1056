package web

import (
	"container/list"
	"net/netip"
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
	key   string
	limit *limit
	n     int
	last  time.Time     // of the last charged attempt
	at    *list.Element // in harmless or waiting, see loginLimiter
}

// makesWait reports whether the key has used its free failures.
func (f *failures) makesWait() bool { return f.n >= f.limit.free }

// loginLimiter counts sign-in attempts per key (see the policy above) in
// memory. It is safe for concurrent use.
//
// Each count is also filed in one of two lists, so that making room never
// scans the keys: harmless holds those that make nobody wait yet (all of
// them go first), waiting the others in the order they were last charged
// (a key is moved to the back when charged), so the forgotten and the
// least recently charged are at the front. The known pairs are kept in the
// order of their last success the same way.
type loginLimiter struct {
	mu         sync.Mutex
	now        func() time.Time
	keys       map[string]*failures
	harmless   list.List                // of *failures
	waiting    list.List                // of *failures, least recently charged first
	known      map[string]*list.Element // login+"\x00"+address → *knownPair
	knownOrder list.List                // of *knownPair, oldest success first
}

// knownPair is the last success of a login at an address.
type knownPair struct {
	key string
	at  time.Time
}

func newLoginLimiter(now func() time.Time) *loginLimiter {
	if now == nil {
		now = time.Now
	}
	return &loginLimiter{now: now, keys: make(map[string]*failures), known: make(map[string]*list.Element)}
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
		l.charge(k, limits[i], now)
	}
	return t, 0
}

// charge counts one more failure on k at now.
func (l *loginLimiter) charge(k string, lim *limit, now time.Time) {
	f := l.keys[k]
	if f == nil {
		f = &failures{key: k, limit: lim, n: 1, last: now}
		l.keys[k] = f
		l.file(f)
		return
	}
	was := f.makesWait()
	f.n++
	f.last = now
	l.move(f, was, true)
}

// move files f again after its count changed from one that made a client
// wait or not (was): into the other list if that changed, else at the back
// of its own when it was just charged.
func (l *loginLimiter) move(f *failures, was, charged bool) {
	switch {
	case f.makesWait() != was:
		l.listOf(was).Remove(f.at)
		l.file(f)
	case charged:
		l.listOf(was).MoveToBack(f.at)
	}
}

// listOf returns the list of the counts that make a client wait, or of
// the others.
func (l *loginLimiter) listOf(waits bool) *list.List {
	if waits {
		return &l.waiting
	}
	return &l.harmless
}

// file puts f at the back of the list its count belongs to.
func (l *loginLimiter) file(f *failures) {
	f.at = l.listOf(f.makesWait()).PushBack(f)
}

// forget drops the count of f.
func (l *loginLimiter) forget(f *failures) {
	l.listOf(f.makesWait()).Remove(f.at)
	delete(l.keys, f.key)
}

// current returns the count of k, nil when there is none or it is
// forgotten.
func (l *loginLimiter) current(k string, now time.Time) *failures {
	f, ok := l.keys[k]
	if !ok {
		return nil
	}
	if now.Sub(f.last) >= limiterForget {
		l.forget(f)
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
	if f, ok := l.keys[t.keys[0]]; ok {
		l.forget(f)
	}
	l.giveBack(t.keys[1:])
	now := l.now()
	k := t.login + "\x00" + t.addr
	if e, ok := l.known[k]; ok {
		e.Value.(*knownPair).at = now
		l.knownOrder.MoveToBack(e)
		return
	}
	if len(l.known) >= limiterMaxKeys {
		l.forgetKnown(now)
	}
	l.known[k] = l.knownOrder.PushBack(&knownPair{key: k, at: now})
}

// refund settles a ticket whose password could not be checked (the store
// failed): the attempt does not count.
func (l *loginLimiter) refund(t ticket) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.giveBack(t.keys)
}

// giveBack takes one failure off each key. A key that no longer makes
// anybody wait moves to the harmless list, whose order does not matter.
func (l *loginLimiter) giveBack(keys []string) {
	for _, k := range keys {
		if f, ok := l.keys[k]; ok && f.n > 0 {
			was := f.makesWait()
			f.n--
			l.move(f, was, false)
		}
	}
}

func (l *loginLimiter) isKnown(login, addr string, now time.Time) bool {
	e, ok := l.known[login+"\x00"+addr]
	return ok && now.Sub(e.Value.(*knownPair).at) < knownFor
}

// makeRoom is called before an attempt charges up to n keys. When the
// limiter would be full it drops the forgotten keys and those that make
// nobody wait yet, then the half least recently charged, so that a flood
// of addresses or logins cannot grow memory without bound. Every key it
// drops was added once, so a flood costs a constant time per attempt.
func (l *loginLimiter) makeRoom(now time.Time, n int) {
	if len(l.keys)+n <= limiterMaxKeys {
		return
	}
	for e := l.harmless.Front(); e != nil; e = l.harmless.Front() {
		l.forget(e.Value.(*failures))
	}
	for e := l.waiting.Front(); e != nil; e = l.waiting.Front() {
		if f := e.Value.(*failures); now.Sub(f.last) >= limiterForget {
			l.forget(f)
			continue
		}
		break
	}
	if len(l.keys)+n <= limiterMaxKeys {
		return
	}
	// The older half, and the keys charged at the same time as the newest
	// of it.
	var cut time.Time
	for drop := l.waiting.Len()/2 + 1; drop > 0; drop-- {
		f := l.waiting.Front().Value.(*failures)
		cut = f.last
		l.forget(f)
	}
	for e := l.waiting.Front(); e != nil && !e.Value.(*failures).last.After(cut); e = l.waiting.Front() {
		l.forget(e.Value.(*failures))
	}
}

// forgetKnown makes room among the known addresses: the expired ones go,
// then the older half.
func (l *loginLimiter) forgetKnown(now time.Time) {
	for e := l.knownOrder.Front(); e != nil && now.Sub(e.Value.(*knownPair).at) >= knownFor; e = l.knownOrder.Front() {
		l.dropKnown(e)
	}
	if len(l.known) < limiterMaxKeys {
		return
	}
	var cut time.Time
	for drop := len(l.known)/2 + 1; drop > 0; drop-- {
		e := l.knownOrder.Front()
		cut = e.Value.(*knownPair).at
		l.dropKnown(e)
	}
	for e := l.knownOrder.Front(); e != nil && !e.Value.(*knownPair).at.After(cut); e = l.knownOrder.Front() {
		l.dropKnown(e)
	}
}

func (l *loginLimiter) dropKnown(e *list.Element) {
	delete(l.known, l.knownOrder.Remove(e).(*knownPair).key)
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
