package storetest

import (
	"context"
	"reflect"
	"testing"

	"github.com/kdecole-club/clubwiki/wiki"
)

// testGroups covers groups, namespace rules and members' groups and
// state: each write is in the change log, read back as written.
func testGroups(t *testing.T, open func(t *testing.T) wiki.Store) {
	ctx := context.Background()
	s := open(t)
	if err := s.PutNamespace(ctx, wiki.Namespace{Key: "marches", Title: "Marchés"}); err != nil {
		t.Fatal(err)
	}
	t.Run("groups in creation order", func(t *testing.T) {
		for _, g := range []wiki.Group{{Name: "e-lyco", Title: "e-lyco"}, {Name: "admins"}, {Name: "ent-mip", Title: "ENT-MIP"}} {
			before := lastSeq(t, s)
			if err := s.PutGroup(ctx, g, "chef"); err != nil {
				t.Fatal(err)
			}
			wantEvent(t, s, before, "group:"+g.Name, "chef")
		}
		if err := s.PutGroup(ctx, wiki.Group{Name: "e-lyco", Title: "e-lyco (Nantes)"}, "chef"); err != nil {
			t.Fatal(err)
		}
		got, err := s.Groups(ctx)
		want := []wiki.Group{{Name: "e-lyco", Title: "e-lyco (Nantes)"}, {Name: "admins"}, {Name: "ent-mip", Title: "ENT-MIP"}}
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Fatalf("Groups = %+v, %v; want %+v", got, err, want)
		}
		for _, bad := range []string{"", "a,b", "*"} {
			wantCode(t, s.PutGroup(ctx, wiki.Group{Name: bad}, "chef"), wiki.EInvalid)
		}
	})
	t.Run("rules", func(t *testing.T) {
		if all, err := s.Rules(ctx); err != nil || len(all) != 0 {
			t.Fatalf("Rules of a new store = %v, %v; want none", all, err)
		}
		r := wiki.Rules{Read: wiki.Rule{"e-lyco", "ent-mip"}, Edit: wiki.Rule{}}
		before := lastSeq(t, s)
		if err := s.PutRules(ctx, "marches", r, "chef"); err != nil {
			t.Fatal(err)
		}
		wantEvent(t, s, before, "rules:marches", "chef")
		all, err := s.Rules(ctx)
		if err != nil || len(all) != 1 || !reflect.DeepEqual(all["marches"], r) {
			t.Fatalf("Rules = %+v, %v; want marches %+v", all, err, r)
		}
		wantCode(t, s.PutRules(ctx, "nulle-part", r, "chef"), wiki.ENotFound)
		if err := s.PutRules(ctx, "marches", wiki.OpenRules(), "chef"); err != nil {
			t.Fatal(err)
		}
		if all, _ := s.Rules(ctx); !reflect.DeepEqual(all["marches"], wiki.OpenRules()) {
			t.Fatalf("Rules after opening = %+v", all)
		}
	})
	t.Run("members' groups and state", func(t *testing.T) {
		addUsers(t, s, "zoe", "anne")
		u, err := s.User(ctx, "anne")
		if err != nil || u.Groups != nil || u.Disabled {
			t.Fatalf("a new member = %+v, %v", u, err)
		}
		u.Groups, u.Disabled = []string{"e-lyco", "ent-mip"}, true
		before := lastSeq(t, s)
		if err := s.UpdateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		chs, _ := s.ChangesAfter(ctx, before, 10)
		if len(chs) != 1 || chs[0].Kind != wiki.KindUserUpdate || chs[0].Summary != "groups,disabled" {
			t.Fatalf("the update's entry = %+v", chs)
		}
		users, err := s.Users(ctx)
		if err != nil || len(users) != 2 || users[0].Login != "anne" || users[1].Login != "zoe" {
			t.Fatalf("Users = %+v, %v", users, err)
		}
		if !reflect.DeepEqual(users[0].Groups, u.Groups) || !users[0].Disabled || users[1].Disabled {
			t.Fatalf("Users = %+v", users)
		}
		// The owner of a token comes with their groups and state.
		if err := s.CreateToken(ctx, wiki.Token{ID: "t1", Login: "anne", Hash: hash("g1")}); err != nil {
			t.Fatal(err)
		}
		if _, owner, err := s.TokenByHash(ctx, hash("g1")); err != nil || !owner.Disabled || len(owner.Groups) != 2 {
			t.Fatalf("TokenByHash owner = %+v, %v", owner, err)
		}
	})
}

// wantEvent checks that the one entry after before is a permission event
// about subject by author.
func wantEvent(t *testing.T, s wiki.ChangeLog, before uint64, subject, author string) {
	t.Helper()
	chs, err := s.ChangesAfter(context.Background(), before, 10)
	if err != nil || len(chs) != 1 || chs[0].Kind != wiki.KindPermission || chs[0].Subject != subject || chs[0].Author != author || !chs[0].Path.IsZero() {
		t.Fatalf("entries after %d = %+v, %v; want one permission event about %s by %s", before, chs, err, subject, author)
	}
}
