package store_test

import (
	"context"
	"encoding/binary"
	"reflect"
	"testing"
	"time"

	"github.com/kdecole-club/clubwiki/wiki"
	bolt "go.etcd.io/bbolt"
)

// onDisk are records as clubwiki has written them since format 1: the
// store's own one-letter records, not the domain types, so that the domain
// may rename or retag its fields without changing the file.
var onDisk = []struct {
	bucket, key, value string
}{
	{"users", "marie", "\x01" + `{"n":"Marie Blanchard","e":"marie@ac-nantes.fr","r":"editor","p":"aGFzaA==","c":1741942860000000000}`},
	{"namespaces", "projets", "\x01" + `{"o":1,"t":"Projets","d":"Les fiches des projets"}`},
	{"changes", "\x00\x00\x00\x00\x00\x00\x00\x01", "\x01" + `{"p":"club/accueil","r":1,"k":"create","a":"marie","t":1741942920000000000,"s":"début","ti":"Accueil"}`},
}

func TestDB_RecordsOnDisk(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	at := func(sec int) time.Time { return time.Date(2025, 3, 14, 9, sec, 0, 0, time.UTC) }
	t.Run("written", func(t *testing.T) {
		db, path := openTest(t)
		if err := db.CreateUser(ctx, wiki.User{Login: "marie", Name: "Marie Blanchard", Email: "marie@ac-nantes.fr", Role: wiki.RoleEditor, PasswordHash: []byte("hash"), Created: at(1)}); err != nil {
			t.Fatal(err)
		}
		if err := db.PutNamespace(ctx, wiki.Namespace{Key: "projets", Title: "Projets", Description: "Les fiches des projets"}); err != nil {
			t.Fatal(err)
		}
		_ = db.Close()
		raw, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second, ReadOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		defer raw.Close()
		_ = raw.View(func(tx *bolt.Tx) error {
			for _, r := range onDisk[:2] {
				if got := string(tx.Bucket([]byte(r.bucket)).Get([]byte(r.key))); got != r.value {
					t.Errorf("%s/%s on disk = %q, want %q", r.bucket, r.key, got, r.value)
				}
			}
			return nil
		})
	})
	t.Run("read", func(t *testing.T) {
		db, path := openTest(t)
		_ = db.Close()
		raw, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
		if err != nil {
			t.Fatal(err)
		}
		err = raw.Update(func(tx *bolt.Tx) error {
			for _, r := range onDisk {
				if err := tx.Bucket([]byte(r.bucket)).Put([]byte(r.key), []byte(r.value)); err != nil {
					return err
				}
			}
			return tx.Bucket([]byte("changes")).SetSequence(binary.BigEndian.Uint64([]byte(onDisk[2].key)))
		})
		if cerr := raw.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			t.Fatal(err)
		}
		db = reopen(t, path)
		u, err := db.User(ctx, "marie")
		if want := (wiki.User{Login: "marie", Name: "Marie Blanchard", Email: "marie@ac-nantes.fr", Role: wiki.RoleEditor, PasswordHash: []byte("hash"), Created: at(1)}); err != nil || !reflect.DeepEqual(u, want) {
			t.Errorf("User = %+v, %v; want %+v", u, err, want)
		}
		nss, err := db.Namespaces(ctx)
		if want := []wiki.Namespace{{Key: "projets", Title: "Projets", Description: "Les fiches des projets"}}; err != nil || !reflect.DeepEqual(nss, want) {
			t.Errorf("Namespaces = %+v, %v; want %+v", nss, err, want)
		}
		cs, err := db.ChangesAfter(ctx, 0, 10)
		want := []wiki.Change{{Seq: 1, Path: wiki.MustPath("club/accueil"), Rev: 1, Kind: wiki.KindCreate, Author: "marie", Time: at(2), Summary: "début", Title: "Accueil"}}
		if err != nil || !reflect.DeepEqual(cs, want) {
			t.Errorf("ChangesAfter = %+v, %v; want %+v", cs, err, want)
		}
	})
}
