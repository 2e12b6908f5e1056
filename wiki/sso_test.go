package wiki_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/kdecole-club/clubwiki/wiki"
)

const testIssuer = "https://ent.example/realms/lycees"

var testPolicy = wiki.SSOPolicy{
	Groups: map[string]string{"ent-lyco": "e-lyco", "acad-nantes": "academie-nantes"},
	Create: true,
}

func TestService_SignInExternal(t *testing.T) {
	f := newFixture(t, wiki.Config{})
	marie := wiki.ExternalIdentity{Issuer: testIssuer, Subject: "f3c1", Username: "Marie.Blanchard",
		Name: "Marie Blanchard", Email: "marie@ent.example", Groups: []string{"ent-lyco", "profs"}}
	t.Run("first sign-in creates the member with mapped groups", func(t *testing.T) {
		secret, u, err := f.svc.SignInExternal(f.ctx, marie, testPolicy, nil)
		if err != nil {
			t.Fatal(err)
		}
		if u.Login != "marie.blanchard" || u.Name != "Marie Blanchard" || u.Email != "marie@ent.example" || u.Role != wiki.RoleReader || !slices.Equal(u.Groups, []string{"e-lyco"}) {
			t.Fatalf("member = %+v", u)
		}
		if su, _, err := f.svc.SessionUser(f.ctx, secret); err != nil || su.Login != u.Login {
			t.Fatalf("SessionUser = %+v, %v", su, err)
		}
		if _, err := f.svc.Authenticate(f.ctx, u.Login, "clubwiki-dummy-password"); wiki.ErrorCode(err) != wiki.EUnauthenticated {
			t.Fatalf("a member without password signed in with a password: %v", err)
		}
	})
	t.Run("later sign-ins update the owned groups and keep the others", func(t *testing.T) {
		admin := f.user(t, "chef", wiki.RoleAdmin)
		if _, err := f.svc.UpdateMember(f.ctx, admin, "marie.blanchard", wiki.MemberChange{Groups: []string{"e-lyco", "ent-mip"}}); err != nil {
			t.Fatal(err)
		}
		again := marie
		again.Username, again.Groups = "mblanchard", []string{"acad-nantes"}
		_, u, err := f.svc.SignInExternal(f.ctx, again, testPolicy, nil)
		if err != nil {
			t.Fatal(err)
		}
		if u.Login != "marie.blanchard" || !slices.Equal(u.Groups, []string{"academie-nantes", "ent-mip"}) {
			t.Fatalf("member = %+v", u)
		}
	})
	t.Run("a taken login gets a suffix, never the other member", func(t *testing.T) {
		other := wiki.ExternalIdentity{Issuer: testIssuer, Subject: "99", Username: "camille"}
		_, u, err := f.svc.SignInExternal(f.ctx, other, testPolicy, nil)
		if err != nil || u.Login != "camille-2" {
			t.Fatalf("member = %+v, %v", u, err)
		}
	})
	t.Run("refused when creation is not allowed", func(t *testing.T) {
		p := testPolicy
		p.Create = false
		_, _, err := f.svc.SignInExternal(f.ctx, wiki.ExternalIdentity{Issuer: testIssuer, Subject: "nouveau", Username: "nouveau"}, p, nil)
		if wiki.ErrorCode(err) != wiki.EForbidden {
			t.Fatalf("err = %v", err)
		}
		if _, err := f.svc.User(f.ctx, "nouveau"); wiki.ErrorCode(err) != wiki.ENotFound {
			t.Fatalf("member created: %v", err)
		}
	})
	t.Run("a signed-in member links their account", func(t *testing.T) {
		p := testPolicy
		p.Create = false
		id := wiki.ExternalIdentity{Issuer: testIssuer, Subject: "cam", Username: "c.martin", Groups: []string{"ent-lyco"}}
		_, u, err := f.svc.SignInExternal(f.ctx, id, p, f.editor)
		if err != nil || u.Login != "camille" || !slices.Equal(u.Groups, []string{"e-lyco"}) {
			t.Fatalf("member = %+v, %v", u, err)
		}
		if _, u, err = f.svc.SignInExternal(f.ctx, id, p, nil); err != nil || u.Login != "camille" {
			t.Fatalf("signing in again = %+v, %v", u, err)
		}
	})
	t.Run("disabled members are refused", func(t *testing.T) {
		admin, _ := f.svc.User(f.ctx, "chef")
		yes := true
		if _, err := f.svc.UpdateMember(f.ctx, &admin, "marie.blanchard", wiki.MemberChange{Disabled: &yes}); err != nil {
			t.Fatal(err)
		}
		if _, _, err := f.svc.SignInExternal(f.ctx, marie, testPolicy, nil); wiki.ErrorCode(err) != wiki.EUnauthenticated {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("a mapped group that does not exist is skipped", func(t *testing.T) {
		p := wiki.SSOPolicy{Groups: map[string]string{"ent-lyco": "e-lyco", "x": "disparu"}, Create: true}
		_, u, err := f.svc.SignInExternal(f.ctx, wiki.ExternalIdentity{Issuer: testIssuer, Subject: "g", Groups: []string{"x", "ent-lyco"}}, p, nil)
		if err != nil || !slices.Equal(u.Groups, []string{"e-lyco"}) {
			t.Fatalf("member = %+v, %v", u, err)
		}
	})
	t.Run("the role of created members", func(t *testing.T) {
		p := testPolicy
		p.Role = wiki.RoleEditor
		_, u, err := f.svc.SignInExternal(f.ctx, wiki.ExternalIdentity{Issuer: testIssuer, Subject: "ed"}, p, nil)
		if err != nil || u.Role != wiki.RoleEditor || u.Login != "ed" {
			t.Fatalf("member = %+v, %v", u, err)
		}
	})
}

func TestSSOLogin(t *testing.T) {
	for _, c := range []struct{ user, sub, want string }{
		{"marie", "1", "marie"},
		{"Hélène Dupré", "1", "helene-dupre"},
		{"  __Zoé@ent.fr ", "1", "zoe-ent.fr"},
		{"", "F3C1-77", "f3c1-77"},
		{"ÉÉÉ", "", "eee"},
		{"@@@", "!!!", "membre"},
		{"clubwiki", "sys", "sys"},
		{strings.Repeat("ab", 60), "1", strings.Repeat("ab", 28)},
	} {
		if got := wiki.SSOLogin(c.user, c.sub); got != c.want {
			t.Errorf("SSOLogin(%q, %q) = %q, want %q", c.user, c.sub, got, c.want)
		}
	}
}

func FuzzSSOLogin(f *testing.F) {
	f.Add("Hélène Dupré", "f3c1")
	f.Add("", "\xff\x00")
	f.Fuzz(func(t *testing.T, user, sub string) {
		l := wiki.SSOLogin(user, sub)
		if len(l) == 0 || len(l) > 56 || l == wiki.SystemAuthor || strings.Trim(l, "abcdefghijklmnopqrstuvwxyz0123456789._-") != "" {
			t.Fatalf("SSOLogin(%q, %q) = %q", user, sub, l)
		}
	})
}

// BenchmarkService_SignInExternal: a linked member signs in again, groups
// unchanged: two reads and the session's write.
func BenchmarkService_SignInExternal(b *testing.B) {
	f := newFixture(b, wiki.Config{})
	id := wiki.ExternalIdentity{Issuer: testIssuer, Subject: "bench", Username: "bench", Groups: []string{"ent-lyco"}}
	if _, _, err := f.svc.SignInExternal(f.ctx, id, testPolicy, nil); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := f.svc.SignInExternal(f.ctx, id, testPolicy, nil); err != nil {
			b.Fatal(err)
		}
	}
}
