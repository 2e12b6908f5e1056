package storetest

import (
	"context"
	"strings"
	"testing"

	"github.com/kdecole-club/clubwiki/wiki"
)

// testSSOLinks covers the links from a provider's identity to a member:
// created with the member in one go, found again, never moved to another
// member, refused when malformed.
func testSSOLinks(t *testing.T, open func(t *testing.T) wiki.Store) {
	ctx := context.Background()
	s := open(t)
	const iss = "https://ent.example/realms/lycees"
	addUsers(t, s, "anne")
	t.Run("unknown identity", func(t *testing.T) {
		_, err := s.SSOLogin(ctx, iss, "sub-1")
		wantCode(t, err, wiki.ENotFound)
	})
	t.Run("created with its member", func(t *testing.T) {
		if err := s.CreateSSOUser(ctx, wiki.User{Login: "bruno", Name: "Bruno", Role: wiki.RoleReader, Groups: []string{}}, iss, "sub-1"); err != nil {
			t.Fatal(err)
		}
		login, err := s.SSOLogin(ctx, iss, "sub-1")
		if err != nil || login != "bruno" {
			t.Fatalf("SSOLogin = %q, %v", login, err)
		}
		u, err := s.User(ctx, "bruno")
		if err != nil || u.Name != "Bruno" || u.Role != wiki.RoleReader {
			t.Fatalf("User(bruno) = %+v, %v", u, err)
		}
	})
	t.Run("same subject at another issuer is another identity", func(t *testing.T) {
		_, err := s.SSOLogin(ctx, "https://autre.example", "sub-1")
		wantCode(t, err, wiki.ENotFound)
	})
	t.Run("login taken: nothing written", func(t *testing.T) {
		err := s.CreateSSOUser(ctx, wiki.User{Login: "anne", Role: wiki.RoleReader}, iss, "sub-2")
		wantCode(t, err, wiki.EConflict)
		if r, _ := wiki.ErrorReason(err); r != wiki.ReasonLoginTaken {
			t.Fatalf("reason of %v = %q", err, r)
		}
		_, err = s.SSOLogin(ctx, iss, "sub-2")
		wantCode(t, err, wiki.ENotFound)
	})
	t.Run("identity linked already: no second member", func(t *testing.T) {
		err := s.CreateSSOUser(ctx, wiki.User{Login: "bruno2", Role: wiki.RoleReader}, iss, "sub-1")
		wantCode(t, err, wiki.EConflict)
		_, err = s.User(ctx, "bruno2")
		wantCode(t, err, wiki.ENotFound)
	})
	t.Run("link an existing member", func(t *testing.T) {
		if err := s.LinkSSO(ctx, iss, "sub-3", "anne"); err != nil {
			t.Fatal(err)
		}
		if err := s.LinkSSO(ctx, iss, "sub-3", "anne"); err != nil {
			t.Fatalf("linking again the same: %v", err)
		}
		wantCode(t, s.LinkSSO(ctx, iss, "sub-3", "bruno"), wiki.EConflict)
		wantCode(t, s.LinkSSO(ctx, iss, "sub-4", "personne"), wiki.ENotFound)
		if login, err := s.SSOLogin(ctx, iss, "sub-3"); err != nil || login != "anne" {
			t.Fatalf("SSOLogin = %q, %v", login, err)
		}
	})
	t.Run("malformed identities", func(t *testing.T) {
		for _, c := range [][2]string{{"", "x"}, {iss, ""}, {iss, "a\x00b"}, {iss, "\xff"}, {iss, strings.Repeat("s", 2000)}} {
			_, err := s.SSOLogin(ctx, c[0], c[1])
			wantCode(t, err, wiki.EInvalid)
			wantCode(t, s.LinkSSO(ctx, c[0], c[1], "anne"), wiki.EInvalid)
		}
	})
}
