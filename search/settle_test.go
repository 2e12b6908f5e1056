package search

import (
	"context"
	"testing"
	"testing/synctest"
	"time"
)

// TestFollower_Settled checks that a commit wakes the follower only once
// Settle has passed, so that the commits of a burst go into one batch.
func TestFollower_Settled(t *testing.T) {
	t.Parallel()
	committed := func(context.Context) <-chan struct{} {
		c := make(chan struct{})
		close(c) // a commit has come
		return c
	}
	closed := func(c <-chan struct{}) bool {
		select {
		case <-c:
			return true
		default:
			return false
		}
	}
	t.Run("no settle: the commit's channel itself", func(t *testing.T) {
		f := &Follower{Watch: committed}
		if !closed(f.settled()(context.Background())) {
			t.Error("the wake-up waits though Settle is zero")
		}
	})
	// The waits run in a bubble (testing/synctest): its clock moves only
	// when every goroutine in it is blocked, so "not woken yet" is
	// checked once the follower's goroutine is waiting (synctest.Wait),
	// not after a guessed sleep, and Settle passes without being slept.
	t.Run("held for Settle after the commit", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			f := &Follower{Watch: committed, Settle: time.Hour}
			ctx, cancel := context.WithCancel(context.Background())
			wake := f.settled()(ctx)
			time.Sleep(time.Hour - time.Nanosecond)
			synctest.Wait()
			if closed(wake) {
				t.Fatal("woken before Settle passed")
			}
			cancel()
			synctest.Wait()
			if !closed(wake) {
				t.Error("the end of ctx does not wake the follower")
			}
		})
	})
	t.Run("woken once Settle passed", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			f := &Follower{Watch: committed, Settle: 10 * time.Millisecond}
			wake := f.settled()(context.Background())
			time.Sleep(10 * time.Millisecond)
			synctest.Wait()
			if !closed(wake) {
				t.Error("not woken once Settle passed")
			}
		})
	})
	t.Run("no commit, no wake-up", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			f := &Follower{Watch: func(context.Context) <-chan struct{} { return make(chan struct{}) }, Settle: time.Millisecond}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel() // ends the follower's goroutine, as the bubble wants
			wake := f.settled()(ctx)
			time.Sleep(time.Hour)
			synctest.Wait()
			if closed(wake) {
				t.Error("woken without a commit")
			}
		})
	})
}

// TestFollower_RunWithSettle checks that a follower that lets commits
// settle still indexes every save.
func TestFollower_RunWithSettle(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.sync()
	e.fol.Settle = 300 * time.Millisecond
	ctx, cancel := context.WithCancel(e.ctx)
	done := make(chan error, 1)
	go func() { done <- e.fol.Run(ctx) }()
	defer func() { cancel(); <-done }()
	e.save("usages/un", "# Un\n\nzorglubien\n")
	e.save("usages/deux", "# Deux\n\nzorglubien\n")
	if !waitFor(t, 10*time.Second, func() bool { return e.search("zorglubien").Total == 2 }) {
		t.Fatal("the saves never reached the index")
	}
}
