package wiki_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kdecole-club/clubwiki/wiki"
)

// ruleMembers are the members every combination is tried with: each role,
// in the group e-lyco or in none; the admin is in no group.
var ruleMembers = []struct {
	login string
	role  wiki.Role
	in    bool
}{
	{"lect-in", wiki.RoleReader, true},
	{"lect-out", wiki.RoleReader, false},
	{"red-in", wiki.RoleEditor, true},
	{"red-out", wiki.RoleEditor, false},
	{"adm-out", wiki.RoleAdmin, false},
}

func TestService_SetNamespaceRules(t *testing.T) {
	f := newFixture(t, wiki.Config{})
	admin := f.user(t, "chef", wiki.RoleAdmin)
	members := map[string]*wiki.User{}
	for _, m := range ruleMembers {
		u, err := f.svc.CreateUser(f.ctx, wiki.NewUser{Login: m.login, Role: m.role, Password: "un mot de passe long"})
		if err != nil {
			t.Fatal(err)
		}
		if m.in {
			if u, err = f.svc.UpdateMember(f.ctx, admin, m.login, wiki.MemberChange{Groups: []string{"e-lyco"}}); err != nil {
				t.Fatal(err)
			}
		}
		members[m.login] = &u
	}
	secret := wiki.MustPath("marches/contrat")
	f.save(t, secret.String(), "# Contrat\n\nLe contrat du prestataire.", 0)
	lyco, all, none := wiki.Rule{"e-lyco"}, wiki.Rule{wiki.Everyone}, wiki.Rule{}
	cases := []struct {
		name        string
		rules       wiki.Rules
		read, edits []string // who reads, who edits
	}{
		{"open", wiki.Rules{Read: all, Edit: all}, []string{"lect-in", "lect-out", "red-in", "red-out", "adm-out"}, []string{"red-in", "red-out", "adm-out"}},
		{"group reads and edits", wiki.Rules{Read: lyco, Edit: lyco}, []string{"lect-in", "red-in", "adm-out"}, []string{"red-in", "adm-out"}},
		{"all read, group edits", wiki.Rules{Read: all, Edit: lyco}, []string{"lect-in", "lect-out", "red-in", "red-out", "adm-out"}, []string{"red-in", "adm-out"}},
		{"group reads, all edit", wiki.Rules{Read: lyco, Edit: all}, []string{"lect-in", "red-in", "adm-out"}, []string{"red-in", "adm-out"}},
		{"admins only", wiki.Rules{Read: none, Edit: none}, []string{"adm-out"}, []string{"adm-out"}},
		{"all read, nobody edits", wiki.Rules{Read: all, Edit: none}, []string{"lect-in", "lect-out", "red-in", "red-out", "adm-out"}, []string{"adm-out"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if _, err := f.svc.SetNamespaceRules(f.ctx, admin, "marches", c.rules); err != nil {
				t.Fatal(err)
			}
			for _, m := range ruleMembers {
				t.Run(m.login, func(t *testing.T) {
					checkAccess(t, f, members[m.login], secret, slices.Contains(c.read, m.login), slices.Contains(c.edits, m.login))
				})
			}
		})
	}
}

// checkAccess checks what u may do at p through the use cases themselves.
func checkAccess(t *testing.T, f *fixture, u *wiki.User, p wiki.Path, reads, edits bool) {
	t.Helper()
	if got := f.svc.Can(u, wiki.ActRead, p); got != reads {
		t.Errorf("Can read = %v, want %v", got, reads)
	}
	if got := f.svc.Can(u, wiki.ActEdit, p); got != edits {
		t.Errorf("Can edit = %v, want %v", got, edits)
	}
	_, err := f.svc.Page(f.ctx, u, p, 0)
	if reads != (err == nil) || (!reads && wiki.ErrorCode(err) != wiki.ENotFound) {
		t.Errorf("Page: %v (reads %v)", err, reads)
	}
	pv, err := f.svc.Page(f.ctx, wiki.System(), p, 0)
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.svc.Save(f.ctx, u, wiki.SaveRequest{Path: p, Markdown: pv.Markdown + "\nUne ligne.", BaseRev: pv.Rev, Summary: "essai"})
	want := wiki.Code("")
	switch {
	case !reads:
		want = wiki.ENotFound
	case !edits:
		want = wiki.EForbidden
	}
	if wiki.ErrorCode(err) != want {
		t.Errorf("Save: %v, want code %q", err, want)
	}
	nss, err := f.svc.Namespaces(f.ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	if got := slices.ContainsFunc(nss, func(n wiki.NamespaceInfo) bool { return n.Key == "marches" }); got != reads {
		t.Errorf("namespaces list marches: %v, want %v", got, reads)
	}
	chs, err := f.svc.RecentChanges(f.ctx, u, wiki.ChangeQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if got := slices.ContainsFunc(chs, func(c wiki.Change) bool { return c.Path == p }); got != reads {
		t.Errorf("recent changes show %s: %v, want %v", p, got, reads)
	}
}

func TestService_SetNamespaceRulesRefused(t *testing.T) {
	f := newFixture(t, wiki.Config{})
	admin := f.user(t, "chef", wiki.RoleAdmin)
	open := wiki.OpenRules()
	for _, c := range []struct {
		name  string
		actor *wiki.User
		ns    string
		rules wiki.Rules
		want  wiki.Code
	}{
		{"an editor", f.editor, "marches", open, wiki.EForbidden},
		{"a reader", f.reader, "marches", open, wiki.EForbidden},
		{"nobody", nil, "marches", open, wiki.EUnauthenticated},
		{"unknown namespace", admin, "nulle-part", open, wiki.ENotFound},
		{"unknown group", admin, "marches", wiki.Rules{Read: wiki.Rule{"inconnu"}, Edit: open.Edit}, wiki.EInvalid},
		{"no edit rule", admin, "marches", wiki.Rules{Read: open.Read}, wiki.EInvalid},
	} {
		t.Run(c.name, func(t *testing.T) {
			before, _ := f.db.LastSeq(f.ctx)
			_, err := f.svc.SetNamespaceRules(f.ctx, c.actor, c.ns, c.rules)
			if wiki.ErrorCode(err) != c.want {
				t.Errorf("SetNamespaceRules: %v, want %s", err, c.want)
			}
			if after, _ := f.db.LastSeq(f.ctx); after != before {
				t.Errorf("a refused rule wrote to the log")
			}
		})
	}
	t.Run("read back, normalized", func(t *testing.T) {
		got, err := f.svc.SetNamespaceRules(f.ctx, admin, "marches", wiki.Rules{Read: wiki.Rule{"E-Lyco", "ent-mip", "e-lyco"}, Edit: wiki.Rule{"ent-mip", "*"}})
		if err != nil || strings.Join(got.Read, ",") != "e-lyco,ent-mip" || got.Edit.String() != "all" {
			t.Fatalf("SetNamespaceRules = %+v, %v", got, err)
		}
		back, err := f.svc.NamespaceRules(f.ctx, admin, "marches")
		if err != nil || back.Read.String() != "e-lyco,ent-mip" || back.Edit.String() != "all" {
			t.Errorf("NamespaceRules = %+v, %v", back, err)
		}
		if r, err := f.svc.NamespaceRules(f.ctx, admin, "usages"); err != nil || r.Read.String() != "all" || r.Edit.String() != "all" {
			t.Errorf("NamespaceRules of an open namespace = %+v, %v", r, err)
		}
		if _, err := f.svc.NamespaceRules(f.ctx, f.editor, "usages"); wiki.ErrorCode(err) != wiki.EForbidden {
			t.Errorf("NamespaceRules by an editor: %v", err)
		}
	})
}

func TestService_UpdateMember(t *testing.T) {
	f := newFixture(t, wiki.Config{})
	admin := f.user(t, "chef", wiki.RoleAdmin)
	if _, err := f.svc.SetNamespaceRules(f.ctx, admin, "marches", wiki.Rules{Read: wiki.Rule{"e-lyco"}, Edit: wiki.Rule{"e-lyco"}}); err != nil {
		t.Fatal(err)
	}
	p := wiki.MustPath("marches/contrat")
	if _, err := f.svc.Save(f.ctx, admin, wiki.SaveRequest{Path: p, Markdown: "# Contrat\n"}); err != nil {
		t.Fatal(err)
	}
	fresh := func() *wiki.User {
		u, err := f.svc.User(f.ctx, f.editor.Login)
		if err != nil {
			t.Fatal(err)
		}
		return &u
	}
	t.Run("joining and leaving a group", func(t *testing.T) {
		if f.svc.Can(fresh(), wiki.ActRead, p) {
			t.Fatal("reads marches before joining")
		}
		if _, err := f.svc.UpdateMember(f.ctx, admin, f.editor.Login, wiki.MemberChange{Groups: []string{"e-lyco", "ent-mip"}}); err != nil {
			t.Fatal(err)
		}
		if u := fresh(); !f.svc.Can(u, wiki.ActEdit, p) || strings.Join(u.Groups, ",") != "e-lyco,ent-mip" {
			t.Fatalf("after joining: %+v", u)
		}
		if _, err := f.svc.UpdateMember(f.ctx, admin, f.editor.Login, wiki.MemberChange{Groups: []string{}}); err != nil {
			t.Fatal(err)
		}
		if f.svc.Can(fresh(), wiki.ActRead, p) {
			t.Fatal("reads marches after leaving")
		}
	})
	t.Run("role", func(t *testing.T) {
		reader := wiki.RoleReader
		if _, err := f.svc.UpdateMember(f.ctx, admin, f.editor.Login, wiki.MemberChange{Role: &reader}); err != nil {
			t.Fatal(err)
		}
		if f.svc.Can(fresh(), wiki.ActEdit, wiki.MustPath("usages/x")) {
			t.Error("a reader edits")
		}
		editor := wiki.RoleEditor
		if _, err := f.svc.UpdateMember(f.ctx, admin, f.editor.Login, wiki.MemberChange{Role: &editor}); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("disabled", func(t *testing.T) {
		tok, _, err := f.svc.CreateToken(f.ctx, admin, f.editor.Login, "t")
		if err != nil {
			t.Fatal(err)
		}
		secret, _, err := f.svc.Login(f.ctx, f.editor.Login, "un mot de passe long")
		if err != nil {
			t.Fatal(err)
		}
		feed, _, err := f.svc.NewFeedKey(f.ctx, f.editor)
		if err != nil {
			t.Fatal(err)
		}
		signIns := func() []error {
			_, e1 := f.svc.AuthenticateToken(f.ctx, tok)
			_, _, e2 := f.svc.SessionUser(f.ctx, secret)
			_, e3 := f.svc.AuthenticateFeedKey(f.ctx, feed)
			_, e4 := f.svc.Authenticate(f.ctx, f.editor.Login, "un mot de passe long")
			return []error{e1, e2, e3, e4}
		}
		on, off := true, false
		if _, err := f.svc.UpdateMember(f.ctx, admin, f.editor.Login, wiki.MemberChange{Disabled: &on}); err != nil {
			t.Fatal(err)
		}
		for i, err := range signIns() {
			if wiki.ErrorCode(err) != wiki.EUnauthenticated {
				t.Errorf("sign-in %d of a disabled member: %v", i, err)
			}
		}
		if f.svc.Can(fresh(), wiki.ActRead, wiki.MustPath("usages/x")) {
			t.Error("a disabled member reads")
		}
		if _, err := f.svc.UpdateMember(f.ctx, admin, f.editor.Login, wiki.MemberChange{Disabled: &off}); err != nil {
			t.Fatal(err)
		}
		for i, err := range signIns() {
			if err != nil {
				t.Errorf("sign-in %d after enabling again: %v", i, err)
			}
		}
	})
	t.Run("refused", func(t *testing.T) {
		on, reader, bad := true, wiki.RoleReader, wiki.Role("chef")
		for _, c := range []struct {
			name  string
			actor *wiki.User
			login string
			ch    wiki.MemberChange
			want  wiki.Code
		}{
			{"by an editor", f.editor, f.reader.Login, wiki.MemberChange{Disabled: &on}, wiki.EForbidden},
			{"unknown member", admin, "personne", wiki.MemberChange{Disabled: &on}, wiki.ENotFound},
			{"unknown group", admin, f.reader.Login, wiki.MemberChange{Groups: []string{"inconnu"}}, wiki.EInvalid},
			{"everyone is no group", admin, f.reader.Login, wiki.MemberChange{Groups: []string{"*"}}, wiki.EInvalid},
			{"unknown role", admin, f.reader.Login, wiki.MemberChange{Role: &bad}, wiki.EInvalid},
			{"disabling oneself", admin, admin.Login, wiki.MemberChange{Disabled: &on}, wiki.EInvalid},
			{"giving up one's role", admin, admin.Login, wiki.MemberChange{Role: &reader}, wiki.EInvalid},
		} {
			t.Run(c.name, func(t *testing.T) {
				if _, err := f.svc.UpdateMember(f.ctx, c.actor, c.login, c.ch); wiki.ErrorCode(err) != c.want {
					t.Errorf("UpdateMember: %v, want %s", err, c.want)
				}
			})
		}
	})
	t.Run("listed", func(t *testing.T) {
		list, total, err := f.svc.Members(f.ctx, admin, 0, 0)
		if err != nil || len(list) != 3 || total != 3 || list[0].Login != "camille" {
			t.Fatalf("Members = %+v (%d), %v", list, total, err)
		}
		if list, total, err := f.svc.Members(f.ctx, admin, 1, 1); err != nil || len(list) != 1 || total != 3 || list[0].Login == "camille" {
			t.Errorf("Members from the second, one = %+v (%d), %v", list, total, err)
		}
		if _, _, err := f.svc.Members(f.ctx, f.editor, 0, 0); wiki.ErrorCode(err) != wiki.EForbidden {
			t.Errorf("Members by an editor: %v", err)
		}
	})
}

// TestService_RulesFollowTheLog: rules written to the store by another
// writer (another process, another machine) reach the policy through the
// change log, without a restart.
func TestService_RulesFollowTheLog(t *testing.T) {
	f := newFixture(t, wiki.Config{})
	ctx, cancel := context.WithCancel(f.ctx)
	defer cancel()
	go f.svc.Follow(ctx, nil)
	p := wiki.MustPath("marches/x")
	if err := f.db.PutRules(f.ctx, "marches", wiki.Rules{Read: wiki.Rule{"e-lyco"}, Edit: wiki.Rule{}}, "ailleurs"); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for f.svc.Can(f.editor, wiki.ActRead, p) {
		if time.Now().After(deadline) {
			t.Fatal("the policy did not follow a rule written to the store")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestService_InitRules(t *testing.T) {
	t.Run("a new wiki gets the default rules", func(t *testing.T) {
		f := newFixture(t, wiki.Config{Rules: wiki.DefaultRules()})
		if f.svc.Can(f.editor, wiki.ActRead, wiki.MustPath("marches/x")) || !f.svc.Can(f.editor, wiki.ActRead, wiki.MustPath("usages/x")) {
			t.Error("marches is open, or usages closed, in a new wiki")
		}
		groups, err := f.svc.Groups(f.ctx, f.editor)
		if err != nil || len(groups) != len(wiki.DefaultGroups()) {
			t.Errorf("Groups = %v, %v", groups, err)
		}
	})
	t.Run("an existing wiki keeps its namespaces open", func(t *testing.T) {
		f := newFixture(t, wiki.Config{})
		again := wiki.NewService(f.db, nil, nil, wiki.Config{Rules: wiki.DefaultRules()})
		if err := again.Init(f.ctx); err != nil {
			t.Fatal(err)
		}
		if !again.Can(f.editor, wiki.ActRead, wiki.MustPath("marches/x")) {
			t.Error("Init narrowed a namespace that existed")
		}
	})
}

// TestService_RulesLinks: a link to a page the reader may no longer read
// renders as a link to a missing page, at once, with another ETag.
func TestService_RulesLinks(t *testing.T) {
	f := newFixture(t, wiki.Config{})
	admin := f.user(t, "chef", wiki.RoleAdmin)
	f.save(t, "marches/contrat", "# Contrat secret\n", 0)
	f.save(t, "usages/liens", "# Liens\n\n[[marches/contrat]]\n", 0)
	view := func() *wiki.PageView {
		pv, err := f.svc.Page(f.ctx, f.editor, wiki.MustPath("usages/liens"), 0)
		if err != nil {
			t.Fatal(err)
		}
		return pv
	}
	before := view()
	if strings.Contains(before.HTML, "missing") {
		t.Fatalf("the link is missing before the rule: %s", before.HTML)
	}
	if _, err := f.svc.SetNamespaceRules(f.ctx, admin, "marches", wiki.Rules{Read: wiki.Rule{"e-lyco"}, Edit: wiki.Rule{"e-lyco"}}); err != nil {
		t.Fatal(err)
	}
	after := view()
	if !strings.Contains(after.HTML, "missing") || strings.Contains(after.HTML, "Contrat secret") || after.ETag == before.ETag {
		t.Fatalf("after the rule: etag %s (was %s), %s", after.ETag, before.ETag, after.HTML)
	}
	if again := view(); again.ETag != after.ETag || again.HTML != after.HTML {
		t.Error("the rendering kept for those kept out differs from the first")
	}
}
