// Package store keeps clubwiki's single source of truth in one bbolt file:
// namespaces, page heads, every revision, the link table, the change log,
// users and API tokens. It implements wiki.Store.
//
// Every method is one bbolt transaction and calls small helpers that take
// the *bolt.Tx, so a use case never sees a half-written state. Writes are
// acknowledged only after bbolt's commit has fsynced the file.
package store

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"github.com/kdecole-club/clubwiki/wiki"
	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// ErrLocked is wrapped by the error of Open when another process (or another
// Open in this process) holds the data file. Test it with errors.Is.
var ErrLocked = errors.New("data file locked")

// ErrNewerSchema is wrapped by the error of Open when the file was written by
// a newer clubwiki whose schema this binary does not know.
var ErrNewerSchema = errors.New("data file has a newer schema")

// ErrDamaged is wrapped by the error of Open when the file is empty,
// truncated or has a damaged header, and by read errors when a stored text
// no longer matches its hash. Test it with errors.Is.
var ErrDamaged = errors.New("data file damaged")

// Options tune Open. The zero value is what a server wants.
type Options struct {
	// Timeout bounds the wait for the file lock; a second opener fails
	// after it instead of hanging. Default 1s.
	Timeout time.Duration
	// Now is the clock; one reading is taken per write transaction so that
	// every record of a commit carries the same time. Default: time.Now in
	// UTC.
	Now func() time.Time
	// NoSync skips fsync on commit. Only for benchmarks and bulk tests: a
	// crash may lose acknowledged commits.
	NoSync bool
	// AcceptRollback opens a file one of whose two headers (bbolt meta
	// pages) is damaged, going back to the state the other one records:
	// the last commit may be lost. Only on an operator's explicit request,
	// when no backup exists; the first write then rewrites the damaged
	// header. Open commits one at once (the schema check).
	AcceptRollback bool
	// FilteredScan bounds the log entries one filtered call of Changes
	// reads; zero, as in production, is the FilteredScan constant. Tests
	// lower it to cross the bound with a short log.
	FilteredScan int
}

// DB is the bbolt-backed wiki.Store. It is safe for concurrent use; bbolt
// serialises writers and lets readers run alongside them.
type DB struct {
	bolt *bolt.DB
	path string // for messages
	now  func() time.Time

	filteredScan int // Options.FilteredScan, set

	// Compressors and decompressors hold large tables; reusing them keeps
	// a commit of a 20 KB page from allocating about a megabyte.
	writers sync.Pool
	readers sync.Pool

	watch broadcast // closed after each commit that appends to the log

	releaseMu sync.Mutex // ReleaseMapped's, one at a time
	released  bool       // ReleaseMapped has dropped the file's folios once
	// used is when a transaction other than ReleaseMapped's last began or
	// ended, Unix nanoseconds (UsedAt).
	used atomic.Int64
}

var _ wiki.Store = (*DB)(nil)

// Open opens (creating if needed) the data file at path and brings its
// schema up to date. The parent directory must exist.
func Open(path string, opt Options) (*DB, error) {
	if opt.Timeout <= 0 {
		// bbolt reads 0 as "wait forever", which is exactly the hang a
		// second clubwiki process must never suffer.
		opt.Timeout = time.Second
	}
	if opt.Now == nil {
		opt.Now = func() time.Time { return time.Now().UTC() }
	}
	if err := precheck(path, opt.Timeout, opt.AcceptRollback); err != nil {
		return nil, err
	}
	bdb, err := openBolt(path, opt)
	if errors.Is(err, bolterrors.ErrTimeout) {
		return nil, lockedError(path)
	}
	if err != nil {
		return nil, err
	}
	if opt.FilteredScan <= 0 {
		opt.FilteredScan = FilteredScan
	}
	db := &DB{bolt: bdb, path: path, now: opt.Now, filteredScan: opt.FilteredScan}
	if err := db.update(context.Background(), db.migrate); err != nil {
		_ = bdb.Close()
		return nil, err
	}
	if err := db.update(context.Background(), dropPendingBlobs); err != nil {
		_ = bdb.Close()
		return nil, err
	}
	return db, nil
}

// openBolt opens the file with bbolt, which reads its freelist at once: a
// damaged one makes it panic, turned here into an error. The file and its
// lock are then left to the garbage collector.
func openBolt(path string, opt Options) (bdb *bolt.DB, err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			bdb, err = nil, damagef("%s is damaged: bbolt failed reading it (%v); run clubwiki check, or restore a backup", path, r)
		}
	}()
	bdb, err = bolt.Open(path, 0o600, &bolt.Options{Timeout: opt.Timeout, NoSync: opt.NoSync})
	if err != nil && !errors.Is(err, bolterrors.ErrTimeout) {
		return nil, wiki.Internal(err, fmt.Sprintf("opening the data file %s", path))
	}
	return bdb, err
}

func lockedError(path string) error {
	return &wiki.Error{
		Code:    wiki.EInternal,
		Message: fmt.Sprintf("the data file %s is in use by another clubwiki process (a running server?)", path),
		Err:     ErrLocked,
	}
}

// Close releases the file and its lock. Pending reads finish first.
func (db *DB) Close() error {
	if err := db.bolt.Close(); err != nil {
		return wiki.Internal(err, "closing the data file")
	}
	return nil
}

// view runs fn in a read transaction after checking ctx. Errors from fn are
// returned as they are: helpers already give them a code.
func (db *DB) view(ctx context.Context, fn func(tx *bolt.Tx) error) (err error) {
	if err := ctx.Err(); err != nil {
		return err
	}
	db.touch()
	defer db.touch()
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer recoverDamage(&err, db.path)
	return asWikiError(db.bolt.View(fn), "reading the data file")
}

// update runs fn in a write transaction after checking ctx; fn's error rolls
// everything back.
func (db *DB) update(ctx context.Context, fn func(tx *bolt.Tx) error) (err error) {
	if err := ctx.Err(); err != nil {
		return err
	}
	db.touch()
	defer db.touch()
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer recoverDamage(&err, db.path)
	return asWikiError(db.bolt.Update(fn), "writing the data file")
}

// touch notes a transaction's start or end (UsedAt).
func (db *DB) touch() { db.used.Store(time.Now().UnixNano()) }

// UsedAt returns when a transaction last began or ended (zero if none
// has), ReleaseMapped's own left out: bbolt maps the file's pages only
// within transactions, so pages released after that stay released until
// the next.
func (db *DB) UsedAt() time.Time {
	if n := db.used.Load(); n != 0 {
		return time.Unix(0, n)
	}
	return time.Time{}
}

// recoverDamage turns a panic of bbolt on a damaged page (or a fault
// reading the mapped file, with SetPanicOnFault) into an internal error, so
// that one bad page fails the requests that reach it instead of the server.
// bbolt's View and Update roll their transaction back on the way out.
func recoverDamage(err *error, path string) {
	if r := recover(); r != nil {
		*err = damagef("reading the data file %s failed (%v): it may be damaged; run clubwiki check", path, r)
	}
}

// asWikiError leaves coded errors and context errors alone and marks anything
// else (bbolt, disk) as internal.
func asWikiError(err error, msg string) error {
	var we *wiki.Error
	switch {
	case err == nil:
		return nil
	case errors.As(err, &we), errors.Is(err, wiki.ErrStaleHead),
		errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return err
	}
	if full := storageFull(err); full != nil {
		return full
	}
	return wiki.Internal(err, msg)
}
