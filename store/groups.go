package store

import (
	"cmp"
	"context"
	"slices"
	"strings"

	"github.com/kdecole-club/clubwiki/wiki"
	bolt "go.etcd.io/bbolt"
)

// groupRecord keeps a group's creation order, since bbolt orders keys by
// name.
type groupRecord struct {
	Order uint64 `json:"o"`
	Title string `json:"t,omitempty"`
}

// rulesRecord is a namespace's rules; an empty list lets only admins in.
type rulesRecord struct {
	Read []string `json:"r"`
	Edit []string `json:"e"`
}

// createGroups is the migration that adds the groups and the rules. It
// writes no rule: every namespace of an existing wiki stays open to every
// member until an admin narrows it.
func createGroups(tx *bolt.Tx) error {
	for _, name := range [][]byte{bucketGroups, bucketRules} {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return err
		}
	}
	return nil
}

// Groups implements wiki.Store, in creation order.
func (db *DB) Groups(ctx context.Context) ([]wiki.Group, error) {
	type ordered struct {
		order uint64
		g     wiki.Group
	}
	var all []ordered
	err := db.view(ctx, func(tx *bolt.Tx) error {
		return tx.Bucket(bucketGroups).ForEach(func(k, v []byte) error {
			var r groupRecord
			if err := decodeJSON(v, &r); err != nil {
				return wiki.Internal(err, "reading the groups")
			}
			all = append(all, ordered{r.Order, wiki.Group{Name: string(k), Title: r.Title}})
			return nil
		})
	})
	slices.SortFunc(all, func(a, b ordered) int { return cmp.Compare(a.order, b.order) })
	out := make([]wiki.Group, len(all))
	for i, o := range all {
		out[i] = o.g
	}
	return out, err
}

// PutGroup implements wiki.Store. An update keeps the group's place.
func (db *DB) PutGroup(ctx context.Context, g wiki.Group, author string) error {
	if g.Name == "" || strings.ContainsAny(g.Name, "\x00,*") {
		return wiki.Errorf(wiki.EInvalid, "invalid group name %q", g.Name)
	}
	return db.update(ctx, func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketGroups)
		r := groupRecord{Title: g.Title}
		if v := b.Get([]byte(g.Name)); v != nil {
			var old groupRecord
			if err := decodeJSON(v, &old); err != nil {
				return wiki.Internal(err, "reading a group")
			}
			r.Order = old.Order
		} else {
			var err error
			if r.Order, err = b.NextSequence(); err != nil {
				return wiki.Internal(err, "numbering a group")
			}
		}
		if err := b.Put([]byte(g.Name), encodeJSON(r)); err != nil {
			return wiki.Internal(err, "writing a group")
		}
		_, err := db.appendEvent(tx, wiki.Change{Kind: wiki.KindPermission, Subject: "group:" + g.Name, Summary: g.Title, Author: author}, false)
		return err
	})
}

// Rules implements wiki.Store.
func (db *DB) Rules(ctx context.Context) (map[string]wiki.Rules, error) {
	out := map[string]wiki.Rules{}
	err := db.view(ctx, func(tx *bolt.Tx) error {
		return tx.Bucket(bucketRules).ForEach(func(k, v []byte) error {
			var r rulesRecord
			if err := decodeJSON(v, &r); err != nil {
				return wiki.Internal(err, "reading the rules of "+string(k))
			}
			out[string(k)] = wiki.Rules{Read: orEmpty(r.Read), Edit: orEmpty(r.Edit)}
			return nil
		})
	})
	return out, err
}

func orEmpty(r []string) wiki.Rule {
	if r == nil {
		return wiki.Rule{}
	}
	return r
}

// PutRules implements wiki.Store: the rules and their change-log entry in
// one transaction.
func (db *DB) PutRules(ctx context.Context, ns string, r wiki.Rules, author string) error {
	return db.update(ctx, func(tx *bolt.Tx) error {
		if tx.Bucket(bucketNamespaces).Get([]byte(ns)) == nil || ns == "" {
			return wiki.Errorf(wiki.ENotFound, "no namespace %q", ns)
		}
		rec := rulesRecord{Read: orEmpty(r.Read), Edit: orEmpty(r.Edit)}
		if err := tx.Bucket(bucketRules).Put([]byte(ns), encodeJSON(rec)); err != nil {
			return wiki.Internal(err, "writing the rules of "+ns)
		}
		sum := "read=" + r.Read.String() + " edit=" + r.Edit.String()
		_, err := db.appendEvent(tx, wiki.Change{Kind: wiki.KindPermission, Subject: "rules:" + ns, Summary: sum, Author: author}, false)
		return err
	})
}

// Users implements wiki.Store, by login.
func (db *DB) Users(ctx context.Context) ([]wiki.User, error) {
	var out []wiki.User
	err := db.view(ctx, func(tx *bolt.Tx) error {
		return tx.Bucket(bucketUsers).ForEach(func(k, v []byte) error {
			var r userRecord
			if err := decodeJSON(v, &r); err != nil {
				return wiki.Internal(err, "reading the users")
			}
			out = append(out, r.user(string(k)))
			return nil
		})
	})
	return out, err
}
