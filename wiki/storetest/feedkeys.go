package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/kdecole-club/clubwiki/wiki"
)

// testFeedKeys covers feed keys: one per member, found by hash with its
// owner, replaced by a new one, revoked.
func testFeedKeys(t *testing.T, open func(t *testing.T) wiki.Store) {
	ctx := context.Background()
	s := open(t)
	addUsers(t, s, "anne", "bruno")
	day := time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)
	for _, k := range []wiki.FeedKey{
		{Login: "anne", Hash: hash("fa1"), Created: day},
		{Login: "bruno", Hash: hash("fb1"), Created: day.Add(time.Hour)},
	} {
		if err := s.PutFeedKey(ctx, k); err != nil {
			t.Fatal(err)
		}
	}
	t.Run("by hash with owner", func(t *testing.T) {
		k, u, err := s.FeedKeyByHash(ctx, hash("fa1"))
		if err != nil || k.Login != "anne" || u.Login != "anne" || u.Role != wiki.RoleEditor || !k.Created.Equal(day) || string(k.Hash) != string(hash("fa1")) {
			t.Fatalf("FeedKeyByHash = %+v, %+v, %v", k, u, err)
		}
		for _, h := range [][]byte{hash("nope"), nil, []byte("anne")} {
			_, _, err := s.FeedKeyByHash(ctx, h)
			wantCode(t, err, wiki.ENotFound)
		}
	})
	t.Run("by owner", func(t *testing.T) {
		k, err := s.FeedKey(ctx, "bruno")
		if err != nil || k.Login != "bruno" || string(k.Hash) != string(hash("fb1")) || !k.Created.Equal(day.Add(time.Hour)) {
			t.Fatalf("FeedKey(bruno) = %+v, %v", k, err)
		}
		_, err = s.FeedKey(ctx, "personne")
		wantCode(t, err, wiki.ENotFound)
		_, err = s.FeedKey(ctx, "")
		wantCode(t, err, wiki.ENotFound)
	})
	t.Run("refused", func(t *testing.T) {
		wantCode(t, s.PutFeedKey(ctx, wiki.FeedKey{Login: "personne", Hash: hash("x")}), wiki.ENotFound)
		wantCode(t, s.PutFeedKey(ctx, wiki.FeedKey{Login: "anne"}), wiki.EInvalid)
		wantCode(t, s.PutFeedKey(ctx, wiki.FeedKey{Login: "anne", Hash: hash("fb1")}), wiki.EConflict)
		if k, err := s.FeedKey(ctx, "anne"); err != nil || string(k.Hash) != string(hash("fa1")) {
			t.Fatalf("a refused key changed anne's: %+v, %v", k, err)
		}
		_, _, err := s.FeedKeyByHash(ctx, hash("x"))
		wantCode(t, err, wiki.ENotFound)
	})
	testFeedKeyChanges(t, s, day)
}

// testFeedKeyChanges replaces and revokes the keys testFeedKeys made.
func testFeedKeyChanges(t *testing.T, s wiki.FeedKeyStore, day time.Time) {
	ctx := context.Background()
	t.Run("a new key replaces the old one", func(t *testing.T) {
		if err := s.PutFeedKey(ctx, wiki.FeedKey{Login: "anne", Hash: hash("fa2")}); err != nil {
			t.Fatal(err)
		}
		_, _, err := s.FeedKeyByHash(ctx, hash("fa1"))
		wantCode(t, err, wiki.ENotFound)
		k, u, err := s.FeedKeyByHash(ctx, hash("fa2"))
		if err != nil || u.Login != "anne" || k.Created.IsZero() {
			t.Fatalf("FeedKeyByHash(new) = %+v, %+v, %v", k, u, err)
		}
		if k, err := s.FeedKey(ctx, "anne"); err != nil || string(k.Hash) != string(hash("fa2")) {
			t.Fatalf("FeedKey(anne) = %+v, %v", k, err)
		}
	})
	t.Run("revoke", func(t *testing.T) {
		if err := s.DeleteFeedKey(ctx, "anne"); err != nil {
			t.Fatal(err)
		}
		_, _, err := s.FeedKeyByHash(ctx, hash("fa2"))
		wantCode(t, err, wiki.ENotFound)
		_, err = s.FeedKey(ctx, "anne")
		wantCode(t, err, wiki.ENotFound)
		if err := s.DeleteFeedKey(ctx, "anne"); err != nil {
			t.Fatalf("revoking twice: %v", err)
		}
		if err := s.DeleteFeedKey(ctx, ""); err != nil {
			t.Fatalf("revoking nobody's: %v", err)
		}
		if _, u, err := s.FeedKeyByHash(ctx, hash("fb1")); err != nil || u.Login != "bruno" {
			t.Fatalf("bruno's key went with anne's: %+v, %v", u, err)
		}
	})
}
