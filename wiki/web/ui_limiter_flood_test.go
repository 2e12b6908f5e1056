package web

import (
	"fmt"
	"strconv"
	"testing"
	"time"
)

// floodAddr is the i-th IPv4 address of a flood, all distinct up to 2^24.
func floodAddr(i int) string {
	return "10." + strconv.Itoa(i>>16&255) + "." + strconv.Itoa(i>>8&255) + "." + strconv.Itoa(i&255)
}

// primeWaiting fills l with about limiterMaxKeys keys that all make their
// client wait: each (login, address) pair has used its free failures. It
// returns the next unused flood index.
func primeWaiting(l *loginLimiter) int { return primeWaitingFrom(l, 0, limiterMaxKeys, nil) }

// primeWaitingFrom makes the pairs from to to-1 wait, one clock tick apart
// when clock is not nil, and returns to.
func primeWaitingFrom(l *loginLimiter, from, to int, clock *fakeClock) int {
	for i := from; i < to; i++ {
		if clock != nil {
			clock.Add(time.Nanosecond)
		}
		for range pairLimit.free {
			l.reserve("cible"+strconv.Itoa(i), floodAddr(i))
		}
	}
	return to
}

// waits reports whether the i-th primed pair must wait before its next
// attempt.
func waits(l *loginLimiter, i int) bool {
	_, wait := l.reserve("cible"+strconv.Itoa(i), floodAddr(i))
	return wait > 0
}

func TestLoginLimiter_MakeRoom(t *testing.T) {
	t.Parallel()
	t.Run("a flood of single attempts keeps the keys that make a client wait", func(t *testing.T) {
		clock := &fakeClock{t: time.Now()}
		l := newLoginLimiter(clock.Now)
		next := primeWaitingFrom(l, 0, limiterMaxKeys/2, clock)
		for i := range 3 * limiterMaxKeys {
			clock.Add(time.Nanosecond)
			l.reserve("flot"+strconv.Itoa(i), floodAddr(next+i))
		}
		if n := l.size(); n > limiterMaxKeys {
			t.Fatalf("%d keys tracked, want at most %d", n, limiterMaxKeys)
		}
		for _, i := range []int{0, next - 1} {
			if !waits(l, i) {
				t.Errorf("pair %d was forgotten during a flood of attempts that make nobody wait", i)
			}
		}
	})
	t.Run("forgotten after a quiet while even when full", func(t *testing.T) {
		clock := &fakeClock{t: time.Now()}
		l := newLoginLimiter(clock.Now)
		next := primeWaitingFrom(l, 0, limiterMaxKeys, clock)
		clock.Add(limiterForget)
		primeWaitingFrom(l, next, next+limiterMaxKeys/2, clock)
		if !waits(l, next) {
			t.Error("a pair charged after the quiet while was dropped instead of the forgotten ones")
		}
	})
}

// BenchmarkLoginLimiter_Flood measures one attempt of a flood of fresh
// addresses and logins once the limiter is full of keys that make their
// clients wait: the worst case of its eviction. The cost per attempt must
// not grow with the number of attempts nor with the limiter's size.
func BenchmarkLoginLimiter_Flood(b *testing.B) {
	for _, attempts := range []int{10_000, 100_000} {
		b.Run(fmt.Sprintf("attempts=%d", attempts), func(b *testing.B) {
			clock := &fakeClock{t: time.Now()}
			l := newLoginLimiter(clock.Now)
			next := primeWaiting(l)
			b.ResetTimer()
			for b.Loop() {
				for range attempts {
					next++
					l.reserve("flot"+strconv.Itoa(next), floodAddr(next+1<<20))
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*attempts), "ns/attempt")
		})
	}
}
