package store

import (
	"context"
	"encoding/binary"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/kdecole-club/clubwiki/wiki"
	bolt "go.etcd.io/bbolt"
)

// keyLinks is the meta key of the sequence of the last change that changed
// what wiki links resolve to (wiki.LogState.Links): a big-endian uint64,
// absent in files from before it was kept, which read as 0.
var keyLinks = []byte("links")

// appendChange gives ch the next global sequence number and stores it.
// NextSequence is rolled back with the transaction, so a failed commit
// leaves no hole in the log; watchers wake once the commit is durable.
func (db *DB) appendChange(tx *bolt.Tx, ch wiki.Change) (uint64, error) {
	b := tx.Bucket(bucketChanges)
	b.FillPercent = 1 // sequence numbers only grow: pages are never split in the middle
	seq, err := b.NextSequence()
	if err != nil {
		return 0, err
	}
	ch.Seq = seq
	tx.OnCommit(db.watch.fire)
	return seq, b.Put(seqKey(seq), encodeChange(ch))
}

// appendEvent appends the entry of a change to another noun than a page,
// timed by the store's clock; links says whether it changes what wiki links
// resolve to.
func (db *DB) appendEvent(tx *bolt.Tx, ch wiki.Change, links bool) (wiki.Change, error) {
	ch.Time = fromNanos(db.now().UnixNano())
	seq, err := db.appendChange(tx, ch)
	if err != nil {
		return wiki.Change{}, wiki.Internal(err, "appending to the change log")
	}
	ch.Seq = seq
	if audited(ch) {
		if err := tx.Bucket(bucketAudit).Put(seqKey(seq), nil); err != nil {
			return wiki.Change{}, wiki.Internal(err, "indexing an admin's action")
		}
	}
	if links {
		if err := setLinksSeq(tx, seq); err != nil {
			return wiki.Change{}, wiki.Internal(err, "recording the change of the links")
		}
	}
	return ch, nil
}

func setLinksSeq(tx *bolt.Tx, seq uint64) error {
	return tx.Bucket(bucketMeta).Put(keyLinks, binary.BigEndian.AppendUint64(nil, seq))
}

// State implements wiki.ChangeLog: one read transaction, a few keys.
func (db *DB) State(ctx context.Context) (wiki.LogState, error) {
	var st wiki.LogState
	err := db.view(ctx, func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		st.Store = string(meta.Get(keyStoreID))
		st.Seq = tx.Bucket(bucketChanges).Sequence()
		if v := meta.Get(keyLinks); len(v) == 8 {
			st.Links = binary.BigEndian.Uint64(v)
		}
		return nil
	})
	return st, err
}

// Record implements wiki.ChangeLog: permission events, until the rules
// they are about have a bucket of their own.
func (db *DB) Record(ctx context.Context, ch wiki.Change) (wiki.Change, error) {
	if ch.Kind != wiki.KindPermission || ch.Subject == "" || !ch.Path.IsZero() {
		return wiki.Change{}, wiki.Errorf(wiki.EInvalid, "only a permission event with a subject and no page is recorded on its own, not %q", ch.Kind)
	}
	var out wiki.Change
	err := db.update(ctx, func(tx *bolt.Tx) (err error) {
		out, err = db.appendEvent(tx, wiki.Change{Kind: ch.Kind, Subject: ch.Subject, Summary: ch.Summary, Author: ch.Author}, false)
		return err
	})
	return out, err
}

// Watch implements wiki.ChangeLog: an in-process broadcast, since bbolt's
// file lock keeps every other process out of the file. ctx holds nothing
// here.
func (db *DB) Watch(context.Context) <-chan struct{} { return db.watch.wait() }

// broadcast wakes every waiter at once by closing a channel.
type broadcast struct {
	mu sync.Mutex
	ch chan struct{}
}

func (b *broadcast) wait() <-chan struct{} {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.ch == nil {
		b.ch = make(chan struct{})
	}
	return b.ch
}

func (b *broadcast) fire() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.ch != nil {
		close(b.ch)
		b.ch = nil
	}
}

// userChanges lists what an update changes of a user, for its event.
func userChanges(old, u wiki.User) string {
	var what []string
	if old.Name != u.Name {
		what = append(what, "name")
	}
	if old.Email != u.Email {
		what = append(what, "email")
	}
	if old.Role != u.Role {
		what = append(what, "role")
	}
	if string(old.PasswordHash) != string(u.PasswordHash) {
		what = append(what, "password")
	}
	if !slices.Equal(old.Groups, u.Groups) {
		what = append(what, "groups")
	}
	if old.Disabled != u.Disabled {
		what = append(what, "disabled")
	}
	if old.Project != u.Project || old.Bio != u.Bio {
		what = append(what, "profile")
	}
	return strings.Join(what, ",")
}

// newValues says, for the audit log, what an update by author (when not
// "") made of a member's role, groups and state: "role=reader
// groups=a,b disabled=true", the changed ones only.
func newValues(old, u wiki.User, author string) string {
	if author == "" {
		return ""
	}
	var what []string
	if old.Role != u.Role {
		what = append(what, "role="+string(u.Role))
	}
	if !slices.Equal(old.Groups, u.Groups) {
		what = append(what, "groups="+strings.Join(u.Groups, ","))
	}
	if old.Disabled != u.Disabled {
		what = append(what, "disabled="+strconv.FormatBool(u.Disabled))
	}
	return strings.Join(what, " ")
}
