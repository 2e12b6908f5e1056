package store

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/kdecole-club/clubwiki/wiki"
	bolt "go.etcd.io/bbolt"
)

// namespaceRecord keeps the creation order, since bbolt orders keys by name.
type namespaceRecord struct {
	Order       uint64 `json:"o"`
	Title       string `json:"t"`
	Description string `json:"d,omitempty"`
}

// Namespaces implements wiki.Store, in creation order.
func (db *DB) Namespaces(ctx context.Context) ([]wiki.Namespace, error) {
	type ordered struct {
		order uint64
		ns    wiki.Namespace
	}
	var all []ordered
	err := db.view(ctx, func(tx *bolt.Tx) error {
		return tx.Bucket(bucketNamespaces).ForEach(func(k, v []byte) error {
			var r namespaceRecord
			if err := decodeJSON(v, &r); err != nil {
				return wiki.Internal(err, "reading the namespaces")
			}
			all = append(all, ordered{r.Order, wiki.Namespace{Key: string(k), Title: r.Title, Description: r.Description}})
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(all, func(a, b ordered) int { return cmp.Compare(a.order, b.order) })
	out := make([]wiki.Namespace, len(all))
	for i, o := range all {
		out[i] = o.ns
	}
	return out, nil
}

// PutNamespace implements wiki.Store. An update keeps the namespace's place.
// The key must be what a path's first segment can be.
func (db *DB) PutNamespace(ctx context.Context, ns wiki.Namespace) error {
	if ns.Key == "" || strings.Contains(ns.Key, "/") || wiki.Canonical(ns.Key) != ns.Key {
		return wiki.Errorf(wiki.EInvalid, "a namespace key is one canonical path segment, like \"assistance\": %q", ns.Key)
	}
	return db.update(ctx, func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketNamespaces)
		r := namespaceRecord{Title: ns.Title, Description: ns.Description}
		kind := wiki.KindNamespaceUpdate
		if v := b.Get([]byte(ns.Key)); v != nil {
			var old namespaceRecord
			if err := decodeJSON(v, &old); err != nil {
				return wiki.Internal(err, "reading a namespace")
			}
			r.Order = old.Order
		} else {
			var err error
			if r.Order, err = b.NextSequence(); err != nil {
				return wiki.Internal(err, "numbering a namespace")
			}
			kind = wiki.KindNamespaceCreate
		}
		if err := b.Put([]byte(ns.Key), encodeJSON(r)); err != nil {
			return err
		}
		// A new namespace changes how wiki links resolve.
		_, err := db.appendEvent(tx, wiki.Change{Kind: kind, Subject: ns.Key}, kind == wiki.KindNamespaceCreate)
		return err
	})
}

// userRecord is a user with the password hash, which wiki.User keeps out of
// JSON; the login is the key.
type userRecord struct {
	Name         string    `json:"n,omitempty"`
	Email        string    `json:"e,omitempty"`
	Role         wiki.Role `json:"r"`
	PasswordHash []byte    `json:"p,omitempty"`
	Created      int64     `json:"c"`
	Groups       []string  `json:"g,omitempty"`
	Disabled     bool      `json:"x,omitempty"`
	Project      string    `json:"pj,omitempty"`
	Bio          string    `json:"b,omitempty"`
}

func userRec(u wiki.User) userRecord {
	return userRecord{Name: u.Name, Email: u.Email, Role: u.Role, PasswordHash: u.PasswordHash, Created: u.Created.UnixNano(),
		Groups: u.Groups, Disabled: u.Disabled, Project: u.Project, Bio: u.Bio}
}

// user needs no copy of the hash: encoding/json decoded it into bytes of
// its own, not into bbolt's memory map.
func (r userRecord) user(login string) wiki.User {
	return wiki.User{
		Login: login, Name: r.Name, Email: r.Email, Role: r.Role,
		PasswordHash: r.PasswordHash, Created: fromNanos(r.Created),
		Groups: r.Groups, Disabled: r.Disabled, Project: r.Project, Bio: r.Bio,
	}
}

// checkLogin refuses what would break the 0x00-separated token index.
func checkLogin(login string) error {
	if login == "" || strings.IndexByte(login, 0) >= 0 {
		return wiki.Errorf(wiki.EInvalid, "invalid login %q", login)
	}
	return nil
}

// CreateUser implements wiki.Store. A zero Created is set from the clock.
func (db *DB) CreateUser(ctx context.Context, u wiki.User) error {
	if err := checkLogin(u.Login); err != nil {
		return err
	}
	return db.update(ctx, func(tx *bolt.Tx) error { return db.createUserTx(tx, u) })
}

// createUserTx adds u in tx, with its event in the change log.
func (db *DB) createUserTx(tx *bolt.Tx, u wiki.User) error {
	b := tx.Bucket(bucketUsers)
	if b.Get([]byte(u.Login)) != nil {
		return wiki.Errorf(wiki.EConflict, "the login %q is taken", u.Login).Because(wiki.ReasonLoginTaken)
	}
	if u.Created.IsZero() {
		u.Created = db.now()
	}
	if err := b.Put([]byte(u.Login), encodeJSON(userRec(u))); err != nil {
		return err
	}
	_, err := db.appendEvent(tx, wiki.Change{Kind: wiki.KindUserCreate, Subject: u.Login}, false)
	return err
}

// User implements wiki.Store.
func (db *DB) User(ctx context.Context, login string) (wiki.User, error) {
	var u wiki.User
	err := db.view(ctx, func(tx *bolt.Tx) (err error) {
		u, err = userTx(tx, login)
		return err
	})
	return u, err
}

func userTx(tx *bolt.Tx, login string) (wiki.User, error) {
	v := tx.Bucket(bucketUsers).Get([]byte(login))
	if v == nil || login == "" {
		return wiki.User{}, wiki.Errorf(wiki.ENotFound, "no user %q", login)
	}
	var r userRecord
	if err := decodeJSON(v, &r); err != nil {
		return wiki.User{}, wiki.Internal(err, "reading a user")
	}
	return r.user(login), nil
}

// UpdateUser implements wiki.Store. The creation time is kept when u's is
// zero.
func (db *DB) UpdateUser(ctx context.Context, u wiki.User) error { return db.UpdateUserBy(ctx, u, "") }

// UpdateUserBy implements wiki.Store: UpdateUser, its entry by author.
func (db *DB) UpdateUserBy(ctx context.Context, u wiki.User, author string) error {
	return db.update(ctx, func(tx *bolt.Tx) error {
		old, err := userTx(tx, u.Login)
		if err != nil {
			return err
		}
		if u.Created.IsZero() {
			u.Created = old.Created
		}
		if err := tx.Bucket(bucketUsers).Put([]byte(u.Login), encodeJSON(userRec(u))); err != nil {
			return err
		}
		_, err = db.appendEvent(tx, wiki.Change{Kind: wiki.KindUserUpdate, Subject: u.Login, Summary: userChanges(old, u), Author: author, Title: newValues(old, u, author)}, false)
		return err
	})
}

// UserCount implements wiki.Store. bbolt's bucket statistics walk the
// bucket's pages, not its records, which is cheap at thousands of users.
func (db *DB) UserCount(ctx context.Context) (int, error) {
	var n int
	err := db.view(ctx, func(tx *bolt.Tx) error {
		n = tx.Bucket(bucketUsers).Stats().KeyN
		return nil
	})
	return n, err
}

// tokenRecord is a token without its hash, which is the key.
type tokenRecord struct {
	ID      string `json:"i"`
	Login   string `json:"l"`
	Label   string `json:"b,omitempty"`
	Created int64  `json:"c"`
}

// token copies hash: it points into bbolt's memory map, which is invalid
// once the transaction ends.
func (r tokenRecord) token(hash []byte) wiki.Token {
	return wiki.Token{ID: r.ID, Login: r.Login, Label: r.Label, Hash: bytes.Clone(hash), Created: fromNanos(r.Created)}
}

// CreateToken implements wiki.Store. The owner must exist; the hash and the
// owner's token IDs are unique. A zero Created is set from the clock.
func (db *DB) CreateToken(ctx context.Context, t wiki.Token) error {
	return db.CreateTokenBy(ctx, t, "")
}

// CreateTokenBy implements wiki.Store: CreateToken, audited when author
// is not "".
func (db *DB) CreateTokenBy(ctx context.Context, t wiki.Token, author string) error {
	if err := checkLogin(t.Login); err != nil {
		return err
	}
	if len(t.Hash) == 0 || t.ID == "" {
		return wiki.Errorf(wiki.EInvalid, "a token needs an ID and a hash")
	}
	return db.update(ctx, func(tx *bolt.Tx) error {
		if _, err := userTx(tx, t.Login); err != nil {
			return err
		}
		tokens, index := tx.Bucket(bucketTokens), tx.Bucket(bucketUserTokens)
		idx := pairKey(t.Login, t.ID)
		if tokens.Get(t.Hash) != nil || index.Get(idx) != nil {
			return wiki.Errorf(wiki.EConflict, "the token %s of %s exists", t.ID, t.Login)
		}
		if t.Created.IsZero() {
			t.Created = db.now()
		}
		r := tokenRecord{ID: t.ID, Login: t.Login, Label: t.Label, Created: t.Created.UnixNano()}
		if err := tokens.Put(t.Hash, encodeJSON(r)); err != nil {
			return wiki.Internal(err, "writing a token")
		}
		if author != "" {
			ev := wiki.Change{Kind: wiki.KindPermission, Subject: "token:" + t.Login, Summary: t.Label, Author: author}
			if _, err := db.appendEvent(tx, ev, false); err != nil {
				return err
			}
		}
		return index.Put(idx, t.Hash)
	})
}

// TokenByHash implements wiki.Store; the owner is read in the same
// transaction so a token never comes back with a stale user.
func (db *DB) TokenByHash(ctx context.Context, hash []byte) (wiki.Token, wiki.User, error) {
	var (
		t wiki.Token
		u wiki.User
	)
	err := db.view(ctx, func(tx *bolt.Tx) error {
		if len(hash) == 0 {
			return wiki.Errorf(wiki.ENotFound, "no such token")
		}
		v := tx.Bucket(bucketTokens).Get(hash)
		if v == nil {
			return wiki.Errorf(wiki.ENotFound, "no such token")
		}
		var r tokenRecord
		if err := decodeJSON(v, &r); err != nil {
			return wiki.Internal(err, "reading a token")
		}
		t = r.token(hash)
		var err error
		u, err = userTx(tx, r.Login)
		return err
	})
	if err != nil {
		return wiki.Token{}, wiki.User{}, err
	}
	return t, u, nil
}

// Tokens implements wiki.Store, oldest first.
func (db *DB) Tokens(ctx context.Context, login string) ([]wiki.Token, error) {
	var out []wiki.Token
	err := db.view(ctx, func(tx *bolt.Tx) error {
		tokens := tx.Bucket(bucketTokens)
		prefix := pairKey(login, "")
		c := tx.Bucket(bucketUserTokens).Cursor()
		for k, hash := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, hash = c.Next() {
			var r tokenRecord
			if err := decodeJSON(tokens.Get(hash), &r); err != nil {
				return wiki.Internal(fmt.Errorf("token %q: %w", k, err), "listing tokens")
			}
			out = append(out, r.token(hash))
		}
		return nil
	})
	slices.SortStableFunc(out, func(a, b wiki.Token) int { return a.Created.Compare(b.Created) })
	return out, err
}

// DeleteToken implements wiki.Store; ENotFound when login has no token id.
func (db *DB) DeleteToken(ctx context.Context, login, id string) error {
	return db.update(ctx, func(tx *bolt.Tx) error {
		index := tx.Bucket(bucketUserTokens)
		idx := pairKey(login, id)
		hash := index.Get(idx)
		if hash == nil || login == "" {
			return wiki.Errorf(wiki.ENotFound, "%s has no token %s", login, id)
		}
		if err := tx.Bucket(bucketTokens).Delete(bytes.Clone(hash)); err != nil {
			return wiki.Internal(err, "deleting a token")
		}
		return index.Delete(idx)
	})
}
