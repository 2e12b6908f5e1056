package store

import (
	"bytes"
	"cmp"
	"context"
	"slices"
	"strings"
	"time"

	"github.com/kdecole-club/clubwiki/wiki"
	bolt "go.etcd.io/bbolt"
)

var (
	bucketTickets = []byte("tickets") // SHA-256 of secret → ticketRecord
	bucketAudit   = []byte("audit")   // BE uint64 seq of an audited change → empty
)

// ticketRecord is a ticket without its hash, which is the key.
type ticketRecord struct {
	Kind    wiki.TicketKind `json:"k"`
	Login   string          `json:"l"`
	Name    string          `json:"n,omitempty"`
	Email   string          `json:"e,omitempty"`
	Role    wiki.Role       `json:"r,omitempty"`
	Groups  []string        `json:"g,omitempty"`
	By      string          `json:"b"`
	Created int64           `json:"c"`
	Expires int64           `json:"x"`
	Used    int64           `json:"u,omitempty"`
}

func (r ticketRecord) ticket(hash []byte) wiki.Ticket {
	t := wiki.Ticket{Hash: bytes.Clone(hash), Kind: r.Kind, Login: r.Login, Name: r.Name, Email: r.Email, Role: r.Role,
		Groups: r.Groups, By: r.By, Created: fromNanos(r.Created), Expires: fromNanos(r.Expires)}
	if r.Used != 0 {
		t.Used = fromNanos(r.Used)
	}
	return t
}

// createTickets is the migration that adds the tickets and the audit
// index, which it fills with the permission events already in the log.
func createTickets(tx *bolt.Tx) error {
	for _, name := range [][]byte{bucketTickets, bucketAudit} {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return err
		}
	}
	audit := tx.Bucket(bucketAudit)
	return tx.Bucket(bucketChanges).ForEach(func(k, v []byte) error {
		ch, err := decodeChange(k, v)
		if err != nil || !audited(ch) {
			return nil // check reports damaged entries; the index skips them
		}
		return audit.Put(bytes.Clone(k), nil)
	})
}

// audited says whether a change goes to the audit log: permission events
// and changes to members that someone named made.
func audited(ch wiki.Change) bool {
	switch ch.Kind {
	case wiki.KindPermission:
		return true
	case wiki.KindUserCreate, wiki.KindUserUpdate:
		return ch.Author != ""
	}
	return false
}

// PutTicket implements wiki.Store.
func (db *DB) PutTicket(ctx context.Context, t wiki.Ticket) (wiki.Change, error) {
	if len(t.Hash) == 0 || checkLogin(t.Login) != nil || (t.Kind != wiki.TicketInvite && t.Kind != wiki.TicketReset) {
		return wiki.Change{}, wiki.Errorf(wiki.EInvalid, "a ticket needs a hash, a kind and a login")
	}
	var ch wiki.Change
	err := db.update(ctx, func(tx *bolt.Tx) error {
		_, err := userTx(tx, t.Login)
		switch {
		case t.Kind == wiki.TicketInvite && err == nil:
			return wiki.Errorf(wiki.EConflict, "the login %q is taken", t.Login).Because(wiki.ReasonLoginTaken)
		case t.Kind == wiki.TicketReset && err != nil:
			return err
		}
		b := tx.Bucket(bucketTickets)
		if b.Get(t.Hash) != nil {
			return wiki.Errorf(wiki.EConflict, "the ticket exists")
		}
		if t.Created.IsZero() {
			t.Created = db.now()
		}
		r := ticketRecord{Kind: t.Kind, Login: t.Login, Name: t.Name, Email: t.Email, Role: t.Role, Groups: t.Groups,
			By: t.By, Created: t.Created.UnixNano(), Expires: t.Expires.UnixNano()}
		if err := b.Put(t.Hash, encodeJSON(r)); err != nil {
			return wiki.Internal(err, "writing a ticket")
		}
		ch, err = db.appendEvent(tx, wiki.Change{Kind: wiki.KindPermission, Subject: string(t.Kind) + ":" + t.Login,
			Summary: ticketSummary(t), Author: t.By}, false)
		return err
	})
	return ch, err
}

// ticketSummary says what a ticket gives: the role and groups of an
// invitation.
func ticketSummary(t wiki.Ticket) string {
	if t.Kind != wiki.TicketInvite {
		return ""
	}
	return "role=" + string(t.Role) + " groups=" + wiki.Rule(t.Groups).String()
}

// Ticket implements wiki.Store.
func (db *DB) Ticket(ctx context.Context, hash []byte) (wiki.Ticket, error) {
	var t wiki.Ticket
	err := db.view(ctx, func(tx *bolt.Tx) (err error) {
		t, err = ticketTx(tx, hash)
		return err
	})
	return t, err
}

func ticketTx(tx *bolt.Tx, hash []byte) (wiki.Ticket, error) {
	var v []byte
	if len(hash) > 0 {
		v = tx.Bucket(bucketTickets).Get(hash)
	}
	if v == nil {
		return wiki.Ticket{}, wiki.Errorf(wiki.ENotFound, "this link is not valid").Because(wiki.ReasonTicketInvalid)
	}
	var r ticketRecord
	if err := decodeJSON(v, &r); err != nil {
		return wiki.Ticket{}, wiki.Internal(err, "reading a ticket")
	}
	return r.ticket(hash), nil
}

// UseTicket implements wiki.Store.
func (db *DB) UseTicket(ctx context.Context, hash []byte, now time.Time, u wiki.User) (wiki.User, error) {
	var out wiki.User
	err := db.update(ctx, func(tx *bolt.Tx) error {
		t, err := ticketTx(tx, hash)
		if err != nil {
			return err
		}
		if err := wiki.CheckTicket(t, now); err != nil {
			return err
		}
		if t.Kind == wiki.TicketInvite {
			out, err = db.acceptInvite(tx, t, u)
		} else {
			out, err = db.resetPassword(tx, t, u.PasswordHash)
		}
		if err != nil {
			return err
		}
		r := ticketRecord{Kind: t.Kind, Login: t.Login, Name: t.Name, Email: t.Email, Role: t.Role, Groups: t.Groups,
			By: t.By, Created: t.Created.UnixNano(), Expires: t.Expires.UnixNano(), Used: now.UnixNano()}
		return tx.Bucket(bucketTickets).Put(hash, encodeJSON(r))
	})
	return out, err
}

// acceptInvite creates the invited member, as the ticket says, with the
// name, e-mail and password hash of u.
func (db *DB) acceptInvite(tx *bolt.Tx, t wiki.Ticket, u wiki.User) (wiki.User, error) {
	b := tx.Bucket(bucketUsers)
	if b.Get([]byte(t.Login)) != nil {
		return wiki.User{}, wiki.Errorf(wiki.EConflict, "the login %q is taken", t.Login).Because(wiki.ReasonLoginTaken)
	}
	u.Login, u.Role, u.Groups, u.Disabled = t.Login, t.Role, t.Groups, false
	if u.Created.IsZero() {
		u.Created = db.now()
	}
	if err := b.Put([]byte(u.Login), encodeJSON(userRec(u))); err != nil {
		return wiki.User{}, wiki.Internal(err, "writing a member")
	}
	_, err := db.appendEvent(tx, wiki.Change{Kind: wiki.KindUserCreate, Subject: u.Login, Summary: "invite", Author: u.Login}, false)
	return u, err
}

// resetPassword sets the member's password hash and ends their sessions.
func (db *DB) resetPassword(tx *bolt.Tx, t wiki.Ticket, hash []byte) (wiki.User, error) {
	u, err := userTx(tx, t.Login)
	if err != nil {
		return wiki.User{}, err
	}
	old := u
	u.PasswordHash = hash
	if err := tx.Bucket(bucketUsers).Put([]byte(u.Login), encodeJSON(userRec(u))); err != nil {
		return wiki.User{}, wiki.Internal(err, "writing a member")
	}
	if err := deleteSessionsTx(tx, func(_ []byte, r sessionRecord) bool { return r.Login == u.Login }, nil); err != nil {
		return wiki.User{}, err
	}
	_, err = db.appendEvent(tx, wiki.Change{Kind: wiki.KindUserUpdate, Subject: u.Login, Summary: userChanges(old, u), Author: u.Login}, false)
	return u, err
}

// PurgeTickets implements wiki.Store.
func (db *DB) PurgeTickets(ctx context.Context, t time.Time) (int, error) {
	n := 0
	err := db.update(ctx, func(tx *bolt.Tx) (err error) {
		n, err = deleteTicketsTx(tx, func(r ticketRecord) bool { return r.Expires < t.UnixNano() })
		return err
	})
	return n, err
}

// deleteTicketsTx deletes the tickets that drop accepts and returns how
// many.
func deleteTicketsTx(tx *bolt.Tx, drop func(ticketRecord) bool) (int, error) {
	n := 0
	c := tx.Bucket(bucketTickets).Cursor()
	for k, v := c.First(); k != nil; {
		var r ticketRecord
		if err := decodeJSON(v, &r); err != nil {
			return n, wiki.Internal(err, "reading a ticket")
		}
		if !drop(r) {
			k, v = c.Next()
			continue
		}
		next := bytes.Clone(k)
		if err := c.Delete(); err != nil {
			return n, err
		}
		n++
		k, v = c.Seek(next)
	}
	return n, nil
}

// PendingTickets implements wiki.Store. Tickets are few (each expires
// within days and is purged), so they are read whole.
func (db *DB) PendingTickets(ctx context.Context, k wiki.TicketKind, now time.Time, limit int) ([]wiki.Ticket, error) {
	var out []wiki.Ticket
	err := db.view(ctx, func(tx *bolt.Tx) error {
		return tx.Bucket(bucketTickets).ForEach(func(hash, v []byte) error {
			var r ticketRecord
			if err := decodeJSON(v, &r); err != nil {
				return wiki.Internal(err, "reading a ticket")
			}
			if r.Kind == k && r.Used == 0 && r.Expires > now.UnixNano() {
				out = append(out, r.ticket(hash))
			}
			return nil
		})
	})
	slices.SortFunc(out, func(a, b wiki.Ticket) int {
		return cmp.Or(b.Created.Compare(a.Created), strings.Compare(a.Login, b.Login), bytes.Compare(a.Hash, b.Hash))
	})
	return out[:min(len(out), max(limit, 0))], err
}

// RevokeTickets implements wiki.Store.
func (db *DB) RevokeTickets(ctx context.Context, k wiki.TicketKind, login, by string) (int, error) {
	n := 0
	err := db.update(ctx, func(tx *bolt.Tx) (err error) {
		n, err = deleteTicketsTx(tx, func(r ticketRecord) bool { return r.Kind == k && r.Login == login && r.Used == 0 })
		if err != nil {
			return err
		}
		if n == 0 {
			return wiki.Errorf(wiki.ENotFound, "no %s link of %q waits to be used", k, login).Because(wiki.ReasonTicketInvalid)
		}
		_, err = db.appendEvent(tx, wiki.Change{Kind: wiki.KindPermission, Subject: "revoke-" + string(k) + ":" + login, Author: by}, false)
		return err
	})
	if err != nil {
		n = 0
	}
	return n, err
}

// Audit implements wiki.Store: the index read backwards from before, each
// entry read from the change log in the same transaction.
func (db *DB) Audit(ctx context.Context, before uint64, limit int) ([]wiki.Change, error) {
	var out []wiki.Change
	err := db.view(ctx, func(tx *bolt.Tx) error {
		c, changes := tx.Bucket(bucketAudit).Cursor(), tx.Bucket(bucketChanges)
		var k []byte
		if before == 0 {
			k, _ = c.Last()
		} else if k, _ = c.Seek(seqKey(before)); k == nil {
			k, _ = c.Last()
		} else {
			k, _ = c.Prev()
		}
		for ; k != nil && len(out) < limit; k, _ = c.Prev() {
			ch, err := decodeChange(k, changes.Get(k))
			if err != nil {
				return wiki.Internal(err, "reading the audit log")
			}
			out = append(out, ch)
		}
		return nil
	})
	return out, err
}
