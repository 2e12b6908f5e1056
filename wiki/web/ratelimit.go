package web

import (
	"container/list"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/kdecole-club/clubwiki/wiki"
)

// Writes are limited by token buckets: one per member, charged by every
// write they make (API or form, whatever the credential), and one per API
// token, charged by the writes made with it. A bucket holds at most Burst
// writes and refills at Rate per second; a write finds both of its buckets
// holding one, or is refused with 429 and Retry-After, charging neither.
// Reads (GET, HEAD) never touch the buckets. Sign-in attempts have their
// own limiter (ui_limiter.go).

// WriteLimit is the rate of one kind of bucket.
type WriteLimit struct {
	Rate  float64 // writes per second, refilled continuously
	Burst int     // writes allowed at once, the bucket's size
}

// Default write limits: ten writes a second on average, two hundred at
// once, far above what a person types, and room for a script's burst (a
// crash test's 200 concurrent saves, an import) before it is paced.
var defaultWriteLimit = WriteLimit{Rate: 10, Burst: 200}

// writeBucketsMax bounds the limiter's memory: at most this many buckets.
// Past it the least recently used goes; it has long refilled unless the
// wiki gets more than this many distinct writers within Burst/Rate.
const writeBucketsMax = 10000

// off reports whether the limit lets everything through.
func (l WriteLimit) off() bool { return l.Rate <= 0 || l.Burst <= 0 }

// bucket is the state of one key.
type bucket struct {
	key    string
	limit  WriteLimit
	tokens float64
	at     time.Time // when tokens was last brought up to date
}

// fill brings b up to date at now and returns its tokens.
func (b *bucket) fill(now time.Time) float64 {
	if d := now.Sub(b.at); d > 0 {
		b.tokens = math.Min(float64(b.limit.Burst), b.tokens+d.Seconds()*b.limit.Rate)
		b.at = now
	}
	return b.tokens
}

// full reports whether b has refilled at now, so that forgetting it loses
// nothing.
func (b *bucket) full(now time.Time) bool {
	return b.fill(now) >= float64(b.limit.Burst)
}

// writeLimiter holds the buckets in memory, least recently used first in
// order. It is safe for concurrent use.
type writeLimiter struct {
	mu      sync.Mutex
	now     func() time.Time
	member  WriteLimit
	token   WriteLimit
	max     int
	buckets map[string]*list.Element // key → *bucket in order
	order   list.List
}

func newWriteLimiter(now func() time.Time, member, token WriteLimit) *writeLimiter {
	if now == nil {
		now = time.Now
	}
	return &writeLimiter{now: now, member: member, token: token, max: writeBucketsMax, buckets: make(map[string]*list.Element)}
}

// charge counts one write of login, made with the API token tokenKey when
// it is not "". It returns 0 when the write may go on, else how long until
// it could (nothing charged).
func (l *writeLimiter) charge(login, tokenKey string) time.Duration {
	type want struct {
		key   string
		limit WriteLimit
	}
	wants := make([]want, 0, 2)
	if !l.member.off() {
		wants = append(wants, want{"m\x00" + login, l.member})
	}
	if tokenKey != "" && !l.token.off() {
		wants = append(wants, want{"t\x00" + tokenKey, l.token})
	}
	if len(wants) == 0 {
		return 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	l.forgetIdle(now)
	bs := make([]*bucket, len(wants))
	var wait time.Duration
	for i, w := range wants {
		bs[i] = l.bucket(w.key, w.limit, now)
		if t := bs[i].fill(now); t < 1 {
			wait = max(wait, time.Duration((1-t)/w.limit.Rate*float64(time.Second)))
		}
	}
	if wait > 0 {
		return wait
	}
	for _, b := range bs {
		b.tokens--
	}
	return 0
}

// bucket returns the bucket of key, made full when new, and marks it most
// recently used.
func (l *writeLimiter) bucket(key string, lim WriteLimit, now time.Time) *bucket {
	if e, ok := l.buckets[key]; ok {
		l.order.MoveToBack(e)
		return e.Value.(*bucket)
	}
	for len(l.buckets) >= l.max {
		l.drop(l.order.Front())
	}
	b := &bucket{key: key, limit: lim, tokens: float64(lim.Burst), at: now}
	l.buckets[key] = l.order.PushBack(b)
	return b
}

// forgetIdle drops the least recently used buckets that have refilled: a
// few per call, so that memory follows the writers of the last moments
// at a constant cost per write.
func (l *writeLimiter) forgetIdle(now time.Time) {
	for range 4 {
		e := l.order.Front()
		if e == nil || !e.Value.(*bucket).full(now) {
			return
		}
		l.drop(e)
	}
}

func (l *writeLimiter) drop(e *list.Element) {
	delete(l.buckets, l.order.Remove(e).(*bucket).key)
}

// size returns the number of buckets held.
func (l *writeLimiter) size() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.buckets)
}

// isWrite reports whether a request's method may change something.
func isWrite(r *http.Request) bool {
	return r.Method != http.MethodGet && r.Method != http.MethodHead && r.Method != http.MethodOptions
}

// chargeWrite charges a write of u to the limiter: nil, or a refusal that
// carries its Retry-After. Reads are never charged.
func (s *core) chargeWrite(r *http.Request, u *wiki.User) error {
	if u == nil || !isWrite(r) {
		return nil
	}
	wait := s.writes.charge(u.Login, bearerKey(r))
	if wait <= 0 {
		return nil
	}
	secs := int(math.Ceil(wait.Seconds()))
	return &tooManyWrites{seconds: secs, err: wiki.Errorf(wiki.ERateLimited,
		"too many writes in a short time: try again in %d s", secs).Because(wiki.ReasonTooManyWrites, secs)}
}

// bearerKey names the API token of r in the limiter: a digest, so that the
// limiter never holds a secret. "" when r carries none.
func bearerKey(r *http.Request) string {
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return ""
	}
	sum := sha256.Sum256([]byte(strings.TrimSpace(token)))
	return hex.EncodeToString(sum[:16])
}

// tooManyWrites is a refused write: a rate_limited *wiki.Error and the
// whole seconds until a write may go through.
type tooManyWrites struct {
	seconds int
	err     *wiki.Error
}

func (e *tooManyWrites) Error() string { return e.err.Error() }
func (e *tooManyWrites) Unwrap() error { return e.err }

// setRetryAfter sets the Retry-After of an answer to a refused write.
func setRetryAfter(w http.ResponseWriter, err error) {
	var tw *tooManyWrites
	if errors.As(err, &tw) {
		w.Header().Set("Retry-After", strconv.Itoa(tw.seconds))
	}
}
