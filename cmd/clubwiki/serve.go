package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net"
	"net/http"
	"sync"
	"time"
	_ "time/tzdata" // the web interface shows dates in Europe/Paris on any host

	"github.com/kdecole-club/clubwiki/internal/mapped"
	"github.com/kdecole-club/clubwiki/wiki"
	"github.com/kdecole-club/clubwiki/wiki/web"
)

// shutdownGrace is how long in-flight requests get to finish on SIGTERM.
const shutdownGrace = 30 * time.Second

// pageExecutable is mapped.PageExecutable. This package's tests replace it
// with a stub that counts its calls (main_test.go): in a test it would
// drop the test binary's code from memory and from the page cache, and
// every test after it would run faulting its code back from the disk a
// page at a time. internal/mapped tests the real one.
var pageExecutable = mapped.PageExecutable

func cmdServe(ctx context.Context, args []string, stderr io.Writer) error {
	var c config
	fs := newFlags("serve", &c)
	fs.StringVar(&c.Addr, "addr", envOr("CLUBWIKI_ADDR", "127.0.0.1:8080"), "listen address")
	fs.BoolVar(&c.BehindProxy, "behind-proxy", false, "trust X-Forwarded-Proto and X-Forwarded-For from a reverse proxy")
	proxies := fs.Int("trusted-proxies", 1, "with --behind-proxy, how many reverse proxies in front of the wiki append to X-Forwarded-For")
	fs.BoolVar(&c.Debug, "debug", false, "log every request")
	secureCookies := fs.Bool("secure-cookies", false, "mark cookies Secure on every answer (the wiki is only reached over HTTPS)")
	if err := memoryLimitFlag(fs, &c.MemoryLimit, &c.KeepRuntimeLimit); err != nil {
		return err
	}
	var mc mailConfig
	mailFlags(fs, &mc)
	var wl writeLimitFlags
	wl.register(fs)
	var of oidcFlags
	of.register(fs)
	c.CacheSize = wiki.DefaultCacheBytes
	fs.Var(&c.CacheSize, "cache-size", "memory for the caches of pages, all together (e.g. 32MiB)")
	if _, err := parse(fs, args, 0); err != nil {
		return err
	}
	if c.CacheSize == math.MaxInt64 || c.CacheSize > math.MaxInt32 {
		return usagef("--cache-size wants a size under 2GiB, such as 32MiB")
	}
	if *proxies < 1 {
		return usagef("--trusted-proxies must be 1 or more")
	}
	memberWrites, tokenWrites, err := wl.limits()
	if err != nil {
		return err
	}
	notify, mailOn, err := mc.notifyConfig(c.Addr)
	if err != nil {
		return err
	}
	defer setMemoryLimit(c.MemoryLimit, c.KeepRuntimeLimit)()
	level := slog.LevelInfo
	if c.Debug {
		level = slog.LevelDebug
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))

	a, err := openApp(ctx, c)
	if err != nil {
		return err
	}
	defer a.Close()
	sso, err := of.client(ctx, a.svc, mc.BaseURL, c.Addr)
	if err != nil {
		return err
	}
	// Listen before doing anything that lasts: a busy address must not
	// leave an admin behind whose password scrolled by with the error.
	ln, err := net.Listen("tcp", c.Addr)
	if err != nil {
		return fmt.Errorf("listening on %s: %w", c.Addr, err)
	}
	defer ln.Close()
	stopSearch, err := a.startSearch(ctx, log)
	if err != nil {
		return err
	}
	defer stopSearch()
	if err := ensureAdmin(ctx, a, stderr); err != nil {
		return err
	}
	defer startNotifier(ctx, a, log, notify, mailOn, mc.SMTPURL)()
	srv := newHTTPServer(web.New(a.svc, web.Options{
		Logger: log, BehindProxy: c.BehindProxy, TrustedProxies: *proxies, SecureCookies: *secureCookies,
		WriteLimit: memberWrites, TokenWriteLimit: tokenWrites, SSO: sso,
	}), log)
	logSSO(log, &of, sso)
	log.Info("clubwiki is serving", "url", "http://"+ln.Addr().String()+"/", "data", c.Data, "memory_limit", describeLimit(), "cache_size", c.CacheSize)
	stopHousekeeping := startHousekeeping(ctx, a, log)
	defer stopHousekeeping()
	storeRelease := whileUsed(a.db.ReleaseMapped, a.db.UsedAt, storeIdleAfter, mappedIdleEvery, time.Now)
	indexRelease := whileUsed(a.index.ReleaseMapped, a.index.UsedAt, indexIdleAfter, mappedIdleEvery, time.Now)
	defer startReleaser(ctx, log, storeRelease, indexRelease)()
	if err := pageExecutable(); err != nil {
		log.Warn("the program's own pages stay resident in large blocks", "error", err)
	}
	return serveUntilDone(ctx, srv, ln, log)
}

// ensureAdmin creates the first user on a wiki that has none and prints its
// password, once, on stderr.
func ensureAdmin(ctx context.Context, a *app, stderr io.Writer) error {
	pw, err := a.svc.EnsureAdmin(ctx)
	if err != nil {
		return err
	}
	if pw != "" {
		fmt.Fprintf(stderr, "\nCreated the user \"admin\". Its password, shown only this once:\n\n    %s\n\nChange it after signing in, or with: clubwiki user passwd admin\n\n", pw)
	}
	return nil
}

func newHTTPServer(h http.Handler, log *slog.Logger) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       2 * time.Minute,
		WriteTimeout:      2 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
}

// serveUntilDone serves on ln until ctx ends, then lets the requests in
// flight finish (up to shutdownGrace). Requests do not inherit ctx, so a
// signal never cancels a save halfway.
func serveUntilDone(ctx context.Context, srv *http.Server, ln net.Listener, log *slog.Logger) error {
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serving: %w", err)
	case <-ctx.Done():
	}
	log.Info("stopping: waiting for requests in flight")
	sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("stopping: %w", err)
	}
	log.Info("stopped")
	return nil
}

// housekeepingEvery is how often expired web sessions are removed.
const housekeepingEvery = time.Hour

// startHousekeeping runs housekeeping in the background. The returned stop
// ends it and waits: the store closes when cmdServe returns, also when
// serving fails before ctx ends, and housekeeping must be done with it by
// then.
func startHousekeeping(ctx context.Context, a *app, log *slog.Logger) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Go(func() { housekeeping(ctx, a, log) })
	// The namespace list follows the change log: a namespace another
	// writer creates shows without a restart.
	wg.Go(func() { _ = a.svc.Follow(ctx, log) })
	// Page visits wait in memory and are written once a second; the
	// last batch is written when ctx ends, after the requests in flight.
	wg.Go(func() { a.svc.RunVisits(ctx, log) })
	return func() {
		cancel()
		wg.Wait()
	}
}

// housekeeping removes expired sessions at start and then every hour, until
// ctx ends. Expired sessions are refused anyway; this keeps the store small.
func housekeeping(ctx context.Context, a *app, log *slog.Logger) {
	t := time.NewTicker(housekeepingEvery)
	defer t.Stop()
	for {
		if n, err := a.svc.PurgeSessions(ctx); err != nil && ctx.Err() == nil {
			log.Error("removing expired sessions", "error", err)
		} else if n > 0 {
			log.Info("removed expired sessions", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
