package store

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/binary"

	"github.com/kdecole-club/clubwiki/wiki"
	bolt "go.etcd.io/bbolt"
)

// Keys of bucketMeta kept by the notifications.
var (
	keyNotifyCursor = []byte("notifycursor") // BE uint64: the last change the notifier read
	keyMailSecret   = []byte("mailsecret")   // 32 random bytes: what unsubscribe links are signed with
)

// notifyRecord is a member's notification settings.
type notifyRecord struct {
	Mode string `json:"m,omitempty"`
	Lang string `json:"l,omitempty"`
}

// noticeRecord is a notice waiting in the outbox; its login and Seq are
// its key.
type noticeRecord struct {
	Path    string `json:"p"`
	Rev     int    `json:"r"`
	Author  string `json:"a"`
	Title   string `json:"t,omitempty"`
	Summary string `json:"s,omitempty"`
	Time    int64  `json:"c"`
	Queued  int64  `json:"q"`
}

func createNotify(tx *bolt.Tx) error {
	for _, name := range [][]byte{bucketNotify, bucketOutbox} {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return err
		}
	}
	return nil
}

// NotifySettings implements wiki.NotifyStore.
func (db *DB) NotifySettings(ctx context.Context, login string) (wiki.NotifySettings, error) {
	var n wiki.NotifySettings
	err := db.view(ctx, func(tx *bolt.Tx) error {
		var err error
		n, err = notifySettingsTx(tx, []byte(login))
		return err
	})
	return n, err
}

func notifySettingsTx(tx *bolt.Tx, login []byte) (wiki.NotifySettings, error) {
	v := tx.Bucket(bucketNotify).Get(login)
	if v == nil {
		return wiki.NotifySettings{}, nil
	}
	var r notifyRecord
	if err := decodeJSON(v, &r); err != nil {
		return wiki.NotifySettings{}, damagef("the notification settings of %s are unreadable: %v", login, err)
	}
	return wiki.NotifySettings{Mode: wiki.NotifyMode(r.Mode), Lang: r.Lang}, nil
}

// PutNotifySettings implements wiki.NotifyStore. The member must exist.
func (db *DB) PutNotifySettings(ctx context.Context, login string, n wiki.NotifySettings) error {
	if err := checkLogin(login); err != nil {
		return err
	}
	return db.update(ctx, func(tx *bolt.Tx) error {
		if _, err := userTx(tx, login); err != nil {
			return err
		}
		return tx.Bucket(bucketNotify).Put([]byte(login), encodeJSON(notifyRecord{Mode: string(n.Mode), Lang: n.Lang}))
	})
}

// Subscribers implements wiki.NotifyStore: for each member whose
// notifications are on, two lookups per path in their watches (the page,
// its namespace). Only members who chose are in bucketNotify, so the
// members who never did cost nothing.
func (db *DB) Subscribers(ctx context.Context, paths []wiki.Path) ([]wiki.Subscriber, error) {
	var out []wiki.Subscriber
	err := db.view(ctx, func(tx *bolt.Tx) error {
		watches := tx.Bucket(bucketWatches)
		return tx.Bucket(bucketNotify).ForEach(func(k, _ []byte) error {
			n, err := notifySettingsTx(tx, k)
			if err != nil || !n.On() {
				return err
			}
			sub := wiki.Subscriber{Login: string(k), Settings: n}
			for _, p := range paths {
				pk, _ := watchKey(sub.Login, wiki.Watched{Path: p})
				nk, _ := watchKey(sub.Login, wiki.Watched{Namespace: p.Namespace()})
				if watches.Get(pk) != nil || watches.Get(nk) != nil {
					sub.Paths = append(sub.Paths, p)
				}
			}
			if len(sub.Paths) > 0 {
				out = append(out, sub)
			}
			return nil
		})
	})
	return out, err
}

// NotifyCursor implements wiki.NotifyStore.
func (db *DB) NotifyCursor(ctx context.Context) (uint64, error) {
	var seq uint64
	err := db.view(ctx, func(tx *bolt.Tx) error {
		if v := tx.Bucket(bucketMeta).Get(keyNotifyCursor); len(v) == 8 {
			seq = binary.BigEndian.Uint64(v)
		}
		return nil
	})
	return seq, err
}

func noticeKey(login string, seq uint64) []byte {
	return binary.BigEndian.AppendUint64(append([]byte(login), 0), seq)
}

// QueueNotices implements wiki.NotifyStore.
func (db *DB) QueueNotices(ctx context.Context, upto uint64, ns []wiki.Notice) error {
	for _, n := range ns {
		if err := checkLogin(n.Login); err != nil {
			return err
		}
	}
	return db.update(ctx, func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketOutbox)
		for _, n := range ns {
			k := noticeKey(n.Login, n.Seq)
			if b.Get(k) != nil {
				continue
			}
			r := noticeRecord{Path: n.Path.String(), Rev: n.Rev, Author: n.Author, Title: n.Title,
				Summary: n.Summary, Time: n.Time.UnixNano(), Queued: n.Queued.UnixNano()}
			if err := b.Put(k, encodeJSON(r)); err != nil {
				return wiki.Internal(err, "queueing a notification")
			}
		}
		return tx.Bucket(bucketMeta).Put(keyNotifyCursor, binary.BigEndian.AppendUint64(nil, upto))
	})
}

// Outbox implements wiki.NotifyStore.
func (db *DB) Outbox(ctx context.Context, perLogin, limit int) ([]wiki.Notice, error) {
	var out []wiki.Notice
	err := db.view(ctx, func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketOutbox).Cursor()
		mine := 0
		for k, v := c.First(); k != nil && len(out) < limit; {
			n, err := decodeNotice(k, v)
			if err != nil {
				return err
			}
			if len(out) == 0 || out[len(out)-1].Login != n.Login {
				mine = 0
			}
			out = append(out, n)
			if mine++; mine < perLogin {
				k, v = c.Next()
				continue
			}
			// The next member's: past every key of this login (0x01
			// sorts right after the 0x00 that ends it).
			k, v = c.Seek(append([]byte(n.Login), 1))
		}
		return nil
	})
	return out, err
}

func decodeNotice(k, v []byte) (wiki.Notice, error) {
	i := bytes.IndexByte(k, 0)
	var r noticeRecord
	if i < 1 || len(k)-i-1 != 8 || decodeJSON(v, &r) != nil {
		return wiki.Notice{}, damagef("a notification in the outbox is unreadable (key %q)", k)
	}
	p, err := wiki.ParsePath(r.Path)
	if err != nil {
		return wiki.Notice{}, damagef("a notification in the outbox has a bad path %q", r.Path)
	}
	return wiki.Notice{Login: string(k[:i]), Seq: binary.BigEndian.Uint64(k[i+1:]), Path: p, Rev: r.Rev,
		Author: r.Author, Title: r.Title, Summary: r.Summary, Time: fromNanos(r.Time), Queued: fromNanos(r.Queued)}, nil
}

// DropNotices implements wiki.NotifyStore.
func (db *DB) DropNotices(ctx context.Context, ns []wiki.Notice) error {
	return db.update(ctx, func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketOutbox)
		for _, n := range ns {
			if err := b.Delete(noticeKey(n.Login, n.Seq)); err != nil {
				return wiki.Internal(err, "removing a notification")
			}
		}
		return nil
	})
}

// MailSecret implements wiki.NotifyStore.
func (db *DB) MailSecret(ctx context.Context) ([]byte, error) {
	var secret []byte
	err := db.view(ctx, func(tx *bolt.Tx) error {
		secret = bytes.Clone(tx.Bucket(bucketMeta).Get(keyMailSecret))
		return nil
	})
	if err != nil || len(secret) == 32 {
		return secret, err
	}
	err = db.update(ctx, func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		if secret = bytes.Clone(meta.Get(keyMailSecret)); len(secret) == 32 {
			return nil // made by another caller meanwhile
		}
		secret = make([]byte, 32)
		rand.Read(secret)
		return meta.Put(keyMailSecret, secret)
	})
	return secret, err
}
