package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"

	"github.com/kdecole-club/clubwiki/assets"
	"github.com/kdecole-club/clubwiki/render"
	"github.com/kdecole-club/clubwiki/search"
	"github.com/kdecole-club/clubwiki/store"
	"github.com/kdecole-club/clubwiki/wiki"
	"github.com/kdecole-club/clubwiki/wiki/textdiff"
)

// config is every setting, parsed only here, with its defaults.
type config struct {
	Data         string // data folder
	Addr         string // listen address for serve
	MaxPageBytes int
	MaxFileBytes int64
	BehindProxy  bool
	Debug        bool
	// MemoryLimit is serve's soft memory limit; KeepRuntimeLimit leaves
	// the one GOMEMLIMIT gave the runtime.
	MemoryLimit      byteSize
	KeepRuntimeLimit bool
	// CacheSize is the one budget of every cache of pages (serve); zero
	// is the service's default.
	CacheSize byteSize
	// AcceptRollback opens a store with one damaged header at the state of
	// the other (check --accept-rollback): the last save may be lost.
	AcceptRollback bool
	// LockWait is how long a command waits for the data file's lock held
	// by another process before it fails; zero is the store's default
	// (1 s), tests shorten it.
	LockWait time.Duration
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

// newFlags returns a flag set with the options every command takes.
func newFlags(name string, c *config) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are reported once, by run
	fs.StringVar(&c.Data, "data", envOr("CLUBWIKI_DATA", "./clubwiki-data"), "data folder")
	fs.IntVar(&c.MaxPageBytes, "max-page-bytes", wiki.DefaultMaxPageBytes, "largest page, in bytes of Markdown")
	fs.Int64Var(&c.MaxFileBytes, "max-file-bytes", wiki.DefaultMaxFileBytes, "largest attachment, in bytes")
	fs.DurationVar(&c.LockWait, "lock-wait", time.Second, "how long to wait for a data folder in use")
	return fs
}

// parse parses flags placed before, between or after positional arguments
// ("user add LOGIN --role reader") and checks the number of positionals.
func parse(fs *flag.FlagSet, args []string, positionals int) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, usagef("%s: %v", fs.Name(), err)
		}
		rest := fs.Args()
		if len(rest) == 0 {
			break
		}
		// Parse consumes a "--" itself: everything after it is positional.
		if n := len(args) - len(rest); n > 0 && args[n-1] == "--" {
			pos = append(pos, rest...)
			break
		}
		args = rest
		pos = append(pos, args[0])
		args = args[1:]
	}
	if len(pos) != positionals {
		return nil, usagef("%s: expected %d argument(s), got %d", fs.Name(), positionals, len(pos))
	}
	return pos, nil
}

// app is an opened data folder.
type app struct {
	db   *store.DB
	svc  *wiki.Service
	data string // the data folder
	// render is shared by the service, the search follower and reindex:
	// building the Markdown pipeline and the sanitizer is costly.
	render *render.Renderer
	index  *search.Index // set by startSearch
}

// bcryptCost is the cost of the password hashes the commands make; zero is
// bcrypt's default. Only this package's tests lower it (main_test.go), so
// that each user they add costs microseconds instead of a bcrypt.
var bcryptCost int

// noSync makes the store skip fsync on commit. Only this package's tests
// set it (main_test.go): they are about what the commands do, not about
// surviving a crash, which e2e's crash test checks with the binary.
var noSync bool

// dbFile is the store's file inside the data folder.
const dbFile = "clubwiki.db"

// openApp opens (creating what is missing) the data folder: the folder, the
// store, the default namespaces and the seed pages.
func openApp(ctx context.Context, c config) (*app, error) {
	if c.MaxFileBytes < 0 { // 0: the default, as callers that set no limit
		return nil, usagef("--max-file-bytes must be positive")
	}
	if c.MaxPageBytes <= 0 {
		return nil, usagef("--max-page-bytes must be positive")
	}
	if c.LockWait < 0 {
		return nil, usagef("--lock-wait must not be negative")
	}
	if err := os.MkdirAll(c.Data, 0o750); err != nil {
		return nil, fmt.Errorf("creating the data folder: %w", err)
	}
	db, err := store.Open(filepath.Join(c.Data, dbFile), store.Options{Timeout: c.LockWait, AcceptRollback: c.AcceptRollback, NoSync: noSync})
	if errors.Is(err, store.ErrLocked) {
		return nil, fmt.Errorf("the data folder %s is in use by another clubwiki process (is the server running?)", c.Data)
	}
	var we *wiki.Error
	if errors.Is(err, store.ErrDamaged) && errors.As(err, &we) {
		return nil, errors.New(we.Message) // already worded for the operator
	}
	if err != nil {
		return nil, err
	}
	r := render.New(render.Options{})
	svc := wiki.NewService(db, r, textdiff.New(), wiki.Config{
		MaxPageBytes: c.MaxPageBytes,
		MaxFileBytes: c.MaxFileBytes,
		Seed:         assets.Seed(),
		CacheBytes:   int(c.CacheSize),
		BcryptCost:   bcryptCost,
		// No Rules: a new wiki opens every namespace to every member, as
		// before rules existed (scripts that add a member without groups
		// keep working); admins narrow marches with `ns rules`.
	})
	if err := svc.Init(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return &app{db: db, svc: svc, data: c.Data, render: r}, nil
}

// parseAndOpen parses args with fs, which fills c, expecting that many
// positional arguments, then opens the data folder. Commands that check more
// of their arguments before touching the data folder call parse and openApp
// themselves.
func parseAndOpen(ctx context.Context, fs *flag.FlagSet, c *config, args []string, positionals int) (*app, []string, error) {
	pos, err := parse(fs, args, positionals)
	if err != nil {
		return nil, nil, err
	}
	a, err := openApp(ctx, *c)
	if err != nil {
		return nil, nil, err
	}
	return a, pos, nil
}

func (a *app) Close() error { return a.db.Close() }

// indexDir is the search index's folder inside the data folder.
const indexDir = "index"

// startSearch opens the search index (replacing one that is missing,
// corrupt, from an older version, or not built from this store as it is
// now: a restored backup), gives it to the service and starts
// the follower that rebuilds it if needed and keeps it in step with the
// change log. The returned stop ends the follower and closes the index; it
// must run before the store is closed.
func (a *app) startSearch(ctx context.Context, log *slog.Logger) (stop func(), err error) {
	idx, reason, err := search.Open(filepath.Join(a.data, indexDir))
	if idx == nil {
		return nil, err
	}
	if err != nil {
		// A full disk: the wiki serves all the same, searches say the
		// index is being rebuilt, and the follower creates it later.
		log.Error("the search index cannot be created yet: will try again", "error", err)
	}
	if reason == "" {
		// A restored backup of the store, or another wiki's data file,
		// under this index: empty it before it answers a search.
		if reason, err = idx.CheckOrigin(ctx, a.db); err != nil {
			log.Error("checking the search index belongs to this wiki", "error", err)
		}
	}
	if reason != "" {
		log.Warn("rebuilding the search index in the background", "reason", reason)
	}
	a.svc.SetSearch(idx)
	a.index = idx
	idx.ReleaseAfterSearches(searchReleaseGap)
	f := &search.Follower{Index: idx, Source: a.db, Renderer: a.render, Watch: a.db.Watch, Log: log,
		Rebuilt: debug.FreeOSMemory, Settle: searchSettle, RetryEvery: searchRetryEvery, Budget: a.svc.CacheBudget()}
	fctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := f.Run(fctx); err != nil {
			log.Error("the search index stopped following the wiki", "error", err)
		}
	}()
	return func() {
		cancel()
		<-done
		if err := idx.Close(); err != nil {
			log.Error("closing the search index", "error", err)
		}
	}, nil
}

// message turns an error into one line for the terminal. Operators see the
// cause of internal errors; other errors are already worded for users.
func message(err error) string {
	if wiki.ErrorCode(err) == wiki.EInternal {
		return err.Error()
	}
	return wiki.ErrorMessage(err)
}

// readPassword reads a password from the first line of r.
func readPassword(r io.Reader) (string, error) {
	b, err := io.ReadAll(io.LimitReader(r, 4096))
	if err != nil {
		return "", fmt.Errorf("reading the password: %w", err)
	}
	pw, _, _ := strings.Cut(string(b), "\n")
	return strings.TrimSuffix(pw, "\r"), nil
}
