package wiki_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/kdecole-club/clubwiki/wiki"
)

func strPtr(s string) *string { return &s }

func TestService_MemberProfile(t *testing.T) {
	f := newFixture(t, wiki.Config{ReadRule: hideMarches})
	ext := f.user(t, "ext", wiki.RoleEditor)
	admin := f.user(t, "chef", wiki.RoleAdmin)
	f.save(t, "usages/a", "# A\n", 0)
	f.save(t, "marches/contrat", "# Contrat\n", 0)
	f.save(t, "usages/b", "# B\n", 0)
	if _, err := f.svc.UpdateProfile(f.ctx, f.editor, "camille", wiki.ProfileChange{
		Name: strPtr("Camille Martin"), Email: strPtr("camille@club.example"), Project: strPtr("ecollege-31"), Bio: strPtr("Bonjour.\r\nÀ bientôt.")}); err != nil {
		t.Fatal(err)
	}
	t.Run("what another member sees", func(t *testing.T) {
		p, err := f.svc.MemberProfile(f.ctx, ext, "Camille", wiki.ProfileQuery{})
		if err != nil {
			t.Fatal(err)
		}
		if p.Login != "camille" || p.Name != "Camille Martin" || p.ProjectTitle != "eCollège 31 (Haute-Garonne)" || p.Bio != "Bonjour.\nÀ bientôt." || p.Email != "" {
			t.Errorf("profile %+v", p)
		}
	})
	t.Run("contributions are those the viewer may read", func(t *testing.T) {
		for _, c := range []struct {
			who  *wiki.User
			want string
		}{{ext, "usages/b usages/a"}, {admin, "usages/b marches/contrat usages/a"}} {
			p, err := f.svc.MemberProfile(f.ctx, c.who, "camille", wiki.ProfileQuery{})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, ch := range p.Contributions {
				got = append(got, ch.Path.String())
			}
			if strings.Join(got, " ") != c.want {
				t.Errorf("%s sees %v, want %s", c.who.Login, got, c.want)
			}
		}
	})
	t.Run("contributions are bounded", func(t *testing.T) {
		p, err := f.svc.MemberProfile(f.ctx, admin, "camille", wiki.ProfileQuery{Limit: 1 << 30})
		if err != nil || len(p.Contributions) > wiki.MaxContributions {
			t.Fatalf("%d contributions, %v", len(p.Contributions), err)
		}
	})
	t.Run("the member and admins see the address", func(t *testing.T) {
		for _, u := range []*wiki.User{f.editor, admin} {
			if p, err := f.svc.MemberProfile(f.ctx, u, "camille", wiki.ProfileQuery{}); err != nil || p.Email != "camille@club.example" {
				t.Errorf("%s: %q, %v", u.Login, p.Email, err)
			}
		}
	})
	t.Run("an unknown member is not found", func(t *testing.T) {
		if _, err := f.svc.MemberProfile(f.ctx, ext, "personne", wiki.ProfileQuery{}); wiki.ErrorCode(err) != wiki.ENotFound {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("the directory leaves out disabled members", func(t *testing.T) {
		off := true
		if _, err := f.svc.UpdateMember(f.ctx, admin, "lecteur", wiki.MemberChange{Disabled: &off}); err != nil {
			t.Fatal(err)
		}
		list, total, err := f.svc.Directory(f.ctx, ext, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		var logins []string
		for _, p := range list {
			logins = append(logins, p.Login)
		}
		if got := strings.Join(logins, ","); got != "camille,chef,ext" || total != 3 {
			t.Errorf("directory %s of %d", got, total)
		}
	})
	t.Run("the directory comes in windows", func(t *testing.T) {
		for _, c := range []struct {
			limit, offset int
			want          string
		}{{2, 0, "camille,chef"}, {2, 2, "ext"}, {1, 1, "chef"}, {5, 3, ""}, {5, 99, ""}} {
			list, total, err := f.svc.Directory(f.ctx, ext, c.limit, c.offset)
			if err != nil || total != 3 {
				t.Fatalf("limit %d offset %d: total %d, %v", c.limit, c.offset, total, err)
			}
			var logins []string
			for _, p := range list {
				logins = append(logins, p.Login)
			}
			if got := strings.Join(logins, ","); got != c.want {
				t.Errorf("limit %d offset %d: %s, want %s", c.limit, c.offset, got, c.want)
			}
		}
		if _, _, err := f.svc.Directory(f.ctx, ext, 10, -1); wiki.ErrorCode(err) != wiki.EInvalid {
			t.Errorf("a negative offset: %v", err)
		}
	})
}

func TestService_UpdateProfile(t *testing.T) {
	f := newFixture(t, wiki.Config{})
	admin := f.user(t, "chef", wiki.RoleAdmin)
	t.Run("a member may not edit another's", func(t *testing.T) {
		if _, err := f.svc.UpdateProfile(f.ctx, f.reader, "camille", wiki.ProfileChange{Name: strPtr("X")}); wiki.ErrorCode(err) != wiki.EForbidden {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("an admin may", func(t *testing.T) {
		if p, err := f.svc.UpdateProfile(f.ctx, admin, "camille", wiki.ProfileChange{Project: strPtr(" Région Occitanie ")}); err != nil || p.Project != "Région Occitanie" {
			t.Errorf("%+v, %v", p, err)
		}
	})
	for _, c := range []struct {
		name   string
		ch     wiki.ProfileChange
		reason wiki.Reason
	}{
		{"bio too long", wiki.ProfileChange{Bio: strPtr(strings.Repeat("é", wiki.MaxBioRunes+1))}, wiki.ReasonBioTooLong},
		{"bio with an escape", wiki.ProfileChange{Bio: strPtr("a\x1b[31mb")}, wiki.ReasonBioInvalid},
		{"bio not UTF-8", wiki.ProfileChange{Bio: strPtr("a\xffb")}, wiki.ReasonBioInvalid},
		{"project on two lines", wiki.ProfileChange{Project: strPtr("a\nb")}, wiki.ReasonProjectInvalid},
		{"project too long", wiki.ProfileChange{Project: strPtr(strings.Repeat("p", 101))}, wiki.ReasonProjectInvalid},
		{"name on two lines", wiki.ProfileChange{Name: strPtr("a\nb")}, wiki.ReasonNameInvalid},
		{"a good name and a bad bio", wiki.ProfileChange{Name: strPtr("Nouveau"), Bio: strPtr("\x00")}, wiki.ReasonBioInvalid},
	} {
		t.Run("refuses "+c.name, func(t *testing.T) {
			before, _ := f.svc.User(f.ctx, "camille")
			_, err := f.svc.UpdateProfile(f.ctx, f.editor, "camille", c.ch)
			var we *wiki.Error
			if wiki.ErrorCode(err) != wiki.EInvalid || !errors.As(err, &we) || we.Reason != c.reason {
				t.Errorf("err = %v, want reason %s", err, c.reason)
			}
			if after, _ := f.svc.User(f.ctx, "camille"); after.Name != before.Name || after.Bio != before.Bio || after.Project != before.Project {
				t.Errorf("written anyway: %+v", after)
			}
		})
	}
	t.Run("no change writes nothing to the log", func(t *testing.T) {
		seq, _ := f.db.LastSeq(f.ctx)
		if _, err := f.svc.UpdateProfile(f.ctx, f.editor, "camille", wiki.ProfileChange{Project: strPtr("Région Occitanie")}); err != nil {
			t.Fatal(err)
		}
		if after, _ := f.db.LastSeq(f.ctx); after != seq {
			t.Errorf("log moved from %d to %d", seq, after)
		}
	})
}

// FuzzCheckProfile: any text given as a profile is refused with a reason
// or kept as plain, bounded text.
func FuzzCheckProfile(f *testing.F) {
	fx := newFixture(f, wiki.Config{})
	for _, s := range []string{"", "Bonjour", "a\r\nb", "\x00", "\u0085", strings.Repeat("é", 1001), "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := fx.svc.UpdateProfile(fx.ctx, fx.editor, "camille", wiki.ProfileChange{Project: &s, Bio: &s})
		if err != nil {
			if wiki.ErrorCode(err) != wiki.EInvalid {
				t.Fatalf("err = %v", err)
			}
			return
		}
		for _, r := range p.Project + p.Bio {
			if r < 0x20 && r != '\n' || r >= 0x7f && r < 0xa0 {
				t.Fatalf("control character %U kept", r)
			}
		}
		if strings.ContainsRune(p.Project, '\n') || len(p.Project) > 100 || len([]rune(p.Bio)) > wiki.MaxBioRunes {
			t.Fatalf("unbounded: %q %q", p.Project, p.Bio)
		}
	})
}
