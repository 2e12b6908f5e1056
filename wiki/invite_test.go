package wiki_test

import (
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kdecole-club/clubwiki/wiki"
)

// linkSecret returns the secret at the end of a ticket link's path.
func linkSecret(t *testing.T, path string) string {
	t.Helper()
	i := strings.LastIndexByte(path, '/')
	if i < 0 || path[i+1:] == "" {
		t.Fatalf("no secret in %q", path)
	}
	return path[i+1:]
}

func wantReason(t *testing.T, err error, r wiki.Reason) {
	t.Helper()
	if got, _ := wiki.ErrorReason(err); got != r {
		t.Fatalf("error %v: reason %q, want %q", err, got, r)
	}
}

func TestService_Invite(t *testing.T) {
	clock := &setClock{now: time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)}
	f := newFixture(t, wiki.Config{Now: clock.Now})
	admin := f.user(t, "chef", wiki.RoleAdmin)
	if err := f.svc.PutGroup(f.ctx, admin, wiki.Group{Name: "e-lyco", Title: "e-lyco"}); err != nil {
		t.Fatal(err)
	}
	inv := wiki.Invitation{Login: "Paul", Email: "paul@exemple.fr", Role: wiki.RoleReader, Groups: []string{"e-lyco"}}
	t.Run("only admins invite", func(t *testing.T) {
		_, err := f.svc.Invite(f.ctx, f.editor, inv)
		if wiki.ErrorCode(err) != wiki.EForbidden {
			t.Fatalf("an editor invites: %v", err)
		}
	})
	t.Run("bad invitations", func(t *testing.T) {
		for name, c := range map[string]struct {
			inv    wiki.Invitation
			reason wiki.Reason
		}{
			"bad login":   {wiki.Invitation{Login: "Paul Martin"}, wiki.ReasonLoginInvalid},
			"login taken": {wiki.Invitation{Login: "camille"}, wiki.ReasonLoginTaken},
			"bad role":    {wiki.Invitation{Login: "paul", Role: "chef"}, wiki.ReasonRoleUnknown},
			"bad e-mail":  {wiki.Invitation{Login: "paul", Email: "paul at exemple"}, wiki.ReasonEmailInvalid},
			"bad name":    {wiki.Invitation{Login: "paul", Name: "deux\nlignes"}, wiki.ReasonNameInvalid},
		} {
			t.Run(name, func(t *testing.T) {
				_, err := f.svc.Invite(f.ctx, admin, c.inv)
				wantReason(t, err, c.reason)
			})
		}
		_, err := f.svc.Invite(f.ctx, admin, wiki.Invitation{Login: "paul", Groups: []string{"nulle"}})
		if wiki.ErrorCode(err) != wiki.EInvalid {
			t.Fatalf("an unknown group: %v", err)
		}
	})
	link, err := f.svc.Invite(f.ctx, admin, inv)
	if err != nil || link.Mailed || !strings.HasPrefix(link.Path, "/invite/cwi_") || !link.Ticket.Expires.Equal(clock.Now().Add(7*24*time.Hour)) {
		t.Fatalf("Invite = %+v, %v", link, err)
	}
	secret := linkSecret(t, link.Path)
	t.Run("the link opens", func(t *testing.T) {
		tk, err := f.svc.OpenTicket(f.ctx, wiki.TicketInvite, secret)
		if err != nil || tk.Login != "paul" || tk.Role != wiki.RoleReader {
			t.Fatalf("OpenTicket = %+v, %v", tk, err)
		}
		_, err = f.svc.OpenTicket(f.ctx, wiki.TicketReset, secret)
		wantReason(t, err, wiki.ReasonTicketInvalid)
		// Change the last character to another one: "A" unless it already is.
		last := "A"
		if strings.HasSuffix(secret, last) {
			last = "B"
		}
		_, err = f.svc.OpenTicket(f.ctx, wiki.TicketInvite, secret[:len(secret)-1]+last)
		wantReason(t, err, wiki.ReasonTicketInvalid)
	})
	t.Run("a short password keeps the link", func(t *testing.T) {
		_, err := f.svc.AcceptInvite(f.ctx, secret, "Paul Martin", "court")
		wantReason(t, err, wiki.ReasonPasswordTooShort)
	})
	t.Run("accepted once", func(t *testing.T) {
		u, err := f.svc.AcceptInvite(f.ctx, secret, " Paul Martin ", "un mot de passe long")
		if err != nil || u.Login != "paul" || u.Name != "Paul Martin" || u.Role != wiki.RoleReader || !slices.Equal(u.Groups, []string{"e-lyco"}) || u.Email != "paul@exemple.fr" {
			t.Fatalf("AcceptInvite = %+v, %v", u, err)
		}
		if _, err := f.svc.Authenticate(f.ctx, "paul", "un mot de passe long"); err != nil {
			t.Fatalf("the invitee cannot sign in: %v", err)
		}
		_, err = f.svc.AcceptInvite(f.ctx, secret, "Autre", "un mot de passe long")
		wantReason(t, err, wiki.ReasonTicketUsed)
	})
	t.Run("expires after 7 days", func(t *testing.T) {
		link, err := f.svc.Invite(f.ctx, admin, wiki.Invitation{Login: "tardif"})
		if err != nil {
			t.Fatal(err)
		}
		clock.set(clock.Now().Add(7*24*time.Hour + time.Second))
		_, err = f.svc.AcceptInvite(f.ctx, linkSecret(t, link.Path), "Tardif", "un mot de passe long")
		wantReason(t, err, wiki.ReasonTicketExpired)
	})
}

// An admin sees the invitations waiting to be used and withdraws one:
// its link no longer opens, and the journal says who withdrew it.
func TestService_RevokeInvitation(t *testing.T) {
	clock := &setClock{now: time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)}
	f := newFixture(t, wiki.Config{Now: clock.Now})
	admin := f.user(t, "chef", wiki.RoleAdmin)
	invite := func(login, email string) string {
		t.Helper()
		link, err := f.svc.Invite(f.ctx, admin, wiki.Invitation{Login: login, Email: email})
		if err != nil {
			t.Fatal(err)
		}
		clock.set(clock.Now().Add(time.Minute))
		return linkSecret(t, link.Path)
	}
	wrong := invite("lea", "lea@mauvaise-adresse.fr")
	invite("paul", "")
	used := invite("ines", "")
	if _, err := f.svc.AcceptInvite(f.ctx, used, "Inès", "un mot de passe long"); err != nil {
		t.Fatal(err)
	}
	logins := func(t *testing.T) []string {
		t.Helper()
		got, err := f.svc.PendingLinks(f.ctx, admin, wiki.TicketInvite)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, tk := range got {
			if tk.Hash != nil {
				t.Errorf("the invitation of %s carries its hash", tk.Login)
			}
			out = append(out, tk.Login+" "+tk.Email+" "+tk.By)
		}
		return out
	}
	t.Run("pending ones, newest first", func(t *testing.T) {
		if got, want := logins(t), []string{"paul  chef", "lea lea@mauvaise-adresse.fr chef"}; !slices.Equal(got, want) {
			t.Fatalf("Invitations = %q, want %q", got, want)
		}
	})
	t.Run("only admins", func(t *testing.T) {
		if _, err := f.svc.PendingLinks(f.ctx, f.editor, wiki.TicketInvite); wiki.ErrorCode(err) != wiki.EForbidden {
			t.Fatalf("an editor lists invitations: %v", err)
		}
		if err := revoke(f, f.editor, wiki.TicketInvite, "lea"); wiki.ErrorCode(err) != wiki.EForbidden {
			t.Fatalf("an editor revokes: %v", err)
		}
	})
	t.Run("revoked", func(t *testing.T) {
		if err := revoke(f, admin, wiki.TicketInvite, " Lea "); err != nil {
			t.Fatal(err)
		}
		if got, want := logins(t), []string{"paul  chef"}; !slices.Equal(got, want) {
			t.Fatalf("Invitations = %q, want %q", got, want)
		}
		_, err := f.svc.AcceptInvite(f.ctx, wrong, "Léa", "un mot de passe long")
		wantReason(t, err, wiki.ReasonTicketInvalid)
		if _, err := f.svc.Authenticate(f.ctx, "lea", "un mot de passe long"); err == nil {
			t.Fatal("a revoked invitation made the member")
		}
		entries, err := f.svc.Audit(f.ctx, admin, 0, 1)
		if err != nil || len(entries) != 1 || entries[0].Subject != "revoke-invite:lea" || entries[0].Author != "chef" {
			t.Fatalf("the journal's newest entry: %+v, %v", entries, err)
		}
	})
	t.Run("nothing to revoke", func(t *testing.T) {
		for _, login := range []string{"lea", "ines", "personne"} {
			err := revoke(f, admin, wiki.TicketInvite, login)
			if wiki.ErrorCode(err) != wiki.ENotFound {
				t.Errorf("revoking %s: %v", login, err)
			}
		}
	})
	t.Run("expired ones are not listed", func(t *testing.T) {
		clock.set(clock.Now().Add(wiki.InviteTTL))
		if got := logins(t); len(got) != 0 {
			t.Fatalf("Invitations after 7 days = %q", got)
		}
	})
}

func TestService_ResetLink(t *testing.T) {
	f := newFixture(t, wiki.Config{})
	admin := f.user(t, "chef", wiki.RoleAdmin)
	secret, _, err := f.svc.Login(f.ctx, "camille", "un mot de passe long")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.ResetLink(f.ctx, f.editor, "lecteur"); wiki.ErrorCode(err) != wiki.EForbidden {
		t.Fatalf("an editor makes a reset link: %v", err)
	}
	if _, err := f.svc.ResetLink(f.ctx, admin, "personne"); wiki.ErrorCode(err) != wiki.ENotFound {
		t.Fatalf("a reset of nobody: %v", err)
	}
	link, err := f.svc.ResetLink(f.ctx, admin, "camille")
	if err != nil || link.Mailed || !strings.HasPrefix(link.Path, "/reset/cwr_") {
		t.Fatalf("ResetLink = %+v, %v", link, err)
	}
	if _, err := f.svc.AcceptInvite(f.ctx, linkSecret(t, link.Path), "X", "un mot de passe long"); wiki.ErrorCode(err) != wiki.ENotFound {
		t.Fatalf("a reset link used as an invitation: %v", err)
	}
	if _, err := f.svc.ResetPassword(f.ctx, linkSecret(t, link.Path), "un nouveau mot de passe"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.svc.SessionUser(f.ctx, secret); wiki.ErrorCode(err) != wiki.EUnauthenticated {
		t.Fatalf("the session before the reset still works: %v", err)
	}
	if _, err := f.svc.Authenticate(f.ctx, "camille", "un nouveau mot de passe"); err != nil {
		t.Fatalf("the new password: %v", err)
	}
	_, err = f.svc.ResetPassword(f.ctx, linkSecret(t, link.Path), "encore un autre mot")
	wantReason(t, err, wiki.ReasonTicketUsed)
}

func TestService_ForgotPassword(t *testing.T) {
	f := newFixture(t, wiki.Config{})
	if err := f.svc.ForgotPassword(f.ctx, "camille"); wiki.ErrorCode(err) != wiki.EInvalid {
		t.Fatalf("without mail: %v", err)
	}
	sink := startSink(t)
	mailer := newCountingMailer(sender(t, sink))
	f.svc.NewNotifier(wiki.NotifyConfig{Mailer: mailer, BaseURL: "https://wiki.example"})
	subscribe(t, f, f.editor, wiki.NotifyOff, "")
	t.Run("by e-mail, once a quarter of an hour", func(t *testing.T) {
		for range 3 {
			if err := f.svc.ForgotPassword(f.ctx, "CAMILLE@club.example"); err != nil {
				t.Fatal(err)
			}
		}
		// An ask that mails stores its link's ticket before it returns,
		// and the mail carrying it goes in the background: one ticket
		// is one mail on its way.
		pending, err := f.db.PendingTickets(f.ctx, wiki.TicketReset, time.Now(), 100)
		if err != nil {
			t.Fatal(err)
		}
		if n := len(slices.DeleteFunc(pending, func(tk wiki.Ticket) bool { return tk.Login != "camille" })); n != 1 {
			t.Fatalf("%d reset links made for three asks", n)
		}
		msgs := sink.Wait(1, 10*time.Second)
		if len(msgs) != 1 || msgs[0].To[0] != "camille@club.example" {
			t.Fatalf("mails %+v", msgs)
		}
		m := regexp.MustCompile(`https://wiki\.example/reset/(cwr_[A-Za-z0-9_-]+)`).FindStringSubmatch(msgs[0].Text)
		if m == nil || !strings.Contains(msgs[0].HTML, m[0]) {
			t.Fatalf("no link in %q", msgs[0].Text)
		}
		if _, err := f.svc.ResetPassword(f.ctx, m[1], "un nouveau mot de passe"); err != nil {
			t.Fatal(err)
		}
		// The one mail on its way has gone (its send returned): none
		// other was sent.
		mailer.waitFor(t, "done sending", func(failed, sent int) bool { return failed+sent >= 1 })
		if failed, sent := mailer.counts(); failed+sent != 1 {
			t.Fatalf("%d mails sent and %d failed for three asks", sent, failed)
		}
		if n := len(sink.Messages()); n != 1 {
			t.Fatalf("%d mails for three asks", n)
		}
	})
	t.Run("says nothing of who exists", func(t *testing.T) {
		for _, who := range []string{"personne", "personne@club.example", "lecteur"} {
			if err := f.svc.ForgotPassword(f.ctx, who); err != nil {
				t.Fatalf("%s: %v", who, err)
			}
		}
	})
}

func TestService_Audit(t *testing.T) {
	f := newFixture(t, wiki.Config{})
	admin := f.user(t, "chef", wiki.RoleAdmin)
	if _, err := f.svc.Audit(f.ctx, f.editor, 0, 0); wiki.ErrorCode(err) != wiki.EForbidden {
		t.Fatalf("an editor reads the audit log: %v", err)
	}
	role := wiki.RoleReader
	disabled := true
	steps := []func() error{
		func() error { return f.svc.PutGroup(f.ctx, admin, wiki.Group{Name: "e-lyco", Title: "e-lyco"}) },
		func() error {
			_, err := f.svc.SetNamespaceRules(f.ctx, admin, "marches", wiki.Rules{Read: wiki.Rule{"e-lyco"}, Edit: wiki.Rule{"e-lyco"}})
			return err
		},
		func() error {
			_, err := f.svc.UpdateMember(f.ctx, admin, "camille", wiki.MemberChange{Role: &role, Groups: []string{"e-lyco"}, Disabled: &disabled})
			return err
		},
		func() error { _, err := f.svc.Invite(f.ctx, admin, wiki.Invitation{Login: "paul"}); return err },
		func() error { _, err := f.svc.ResetLink(f.ctx, admin, "lecteur"); return err },
		func() error { _, _, err := f.svc.CreateToken(f.ctx, admin, "lecteur", "script"); return err },
		func() error { _, _, err := f.svc.CreateToken(f.ctx, f.reader, "lecteur", "le mien"); return err },
	}
	for _, step := range steps {
		if err := step(); err != nil {
			t.Fatal(err)
		}
	}
	got, err := f.svc.Audit(f.ctx, admin, 0, 6)
	if err != nil {
		t.Fatal(err)
	}
	var what []string
	for _, ch := range got {
		what = append(what, strings.TrimSpace(string(ch.Kind)+" "+ch.Subject+" "+ch.Summary+" by "+ch.Author+" "+ch.Title))
		if ch.Time.IsZero() {
			t.Errorf("untimed: %+v", ch)
		}
	}
	want := []string{
		"permission token:lecteur script by chef",
		"permission reset:lecteur  by chef",
		"permission invite:paul role=editor groups= by chef",
		"user-update camille role,groups,disabled by chef role=reader groups=e-lyco disabled=true",
		"permission rules:marches read=e-lyco edit=e-lyco by chef",
		"permission group:e-lyco e-lyco by chef",
	}
	if !slices.Equal(what, want) {
		t.Fatalf("audit\n%s\nwant\n%s", strings.Join(what, "\n"), strings.Join(want, "\n"))
	}
}

func TestService_InviteByMail(t *testing.T) {
	f := newFixture(t, wiki.Config{})
	admin := f.user(t, "chef", wiki.RoleAdmin)
	sink := startSink(t)
	f.svc.NewNotifier(wiki.NotifyConfig{Mailer: sender(t, sink), BaseURL: "https://wiki.example"})
	t.Run("an invitation with an address goes by mail", func(t *testing.T) {
		link, err := f.svc.Invite(f.ctx, admin, wiki.Invitation{Login: "paul", Email: "paul@exemple.fr"})
		if err != nil || !link.Mailed || link.Path != "" {
			t.Fatalf("Invite = %+v, %v", link, err)
		}
		msgs := sink.Wait(1, 10*time.Second)
		if len(msgs) != 1 || msgs[0].To[0] != "paul@exemple.fr" || !strings.Contains(msgs[0].Subject, "Invitation") {
			t.Fatalf("mails %+v", msgs)
		}
		m := regexp.MustCompile(`https://wiki\.example/invite/(cwi_[A-Za-z0-9_-]+)`).FindStringSubmatch(msgs[0].Text)
		if m == nil {
			t.Fatalf("no link in %q", msgs[0].Text)
		}
		if _, err := f.svc.AcceptInvite(f.ctx, m[1], "Paul", "un mot de passe long"); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("without an address the link is shown", func(t *testing.T) {
		link, err := f.svc.Invite(f.ctx, admin, wiki.Invitation{Login: "sansmail"})
		if err != nil || link.Mailed || link.Path == "" {
			t.Fatalf("Invite = %+v, %v", link, err)
		}
	})
	t.Run("a reset of a member with an address goes by mail", func(t *testing.T) {
		link, err := f.svc.ResetLink(f.ctx, admin, "paul")
		if err != nil || !link.Mailed || link.Path != "" {
			t.Fatalf("ResetLink = %+v, %v", link, err)
		}
		if msgs := sink.Wait(2, 10*time.Second); len(msgs) != 2 || !strings.Contains(msgs[1].Text, "https://wiki.example/reset/cwr_") {
			t.Fatalf("mails %+v", msgs)
		}
	})
	t.Run("a failed mail shows the link", func(t *testing.T) {
		sink.Down()
		link, err := f.svc.ResetLink(f.ctx, admin, "paul")
		if err != nil || link.Mailed || link.MailError == nil || !strings.HasPrefix(link.Path, "/reset/") {
			t.Fatalf("ResetLink = %+v, %v", link, err)
		}
	})
}

// TestService_AuditHidesRules: an admin kept out of a namespace by the
// configured read rule does not see its rules' changes in the log.
func TestService_AuditHidesRules(t *testing.T) {
	f := newFixture(t, wiki.Config{ReadRule: func(u *wiki.User, ns string) bool { return u.Login != "ext" || ns != "marches" }})
	admin := f.user(t, "chef", wiki.RoleAdmin)
	ext := f.user(t, "ext", wiki.RoleAdmin)
	if _, err := f.svc.SetNamespaceRules(f.ctx, admin, "marches", wiki.Rules{Read: wiki.Rule{}, Edit: wiki.Rule{}}); err != nil {
		t.Fatal(err)
	}
	for who, want := range map[*wiki.User]bool{admin: true, ext: false} {
		got, err := f.svc.Audit(f.ctx, who, 0, 500)
		if err != nil {
			t.Fatal(err)
		}
		seen := slices.ContainsFunc(got, func(ch wiki.Change) bool { return ch.Subject == "rules:marches" })
		if seen != want || len(got) == 0 {
			t.Errorf("%s sees the rules of marches: %v (%d entries)", who.Login, seen, len(got))
		}
	}
}

// An admin sees the reset links waiting to be used, the members' own
// included, and withdraws one: it no longer sets the password.
func TestService_RevokeResetLinks(t *testing.T) {
	f := newFixture(t, wiki.Config{})
	admin := f.user(t, "chef", wiki.RoleAdmin)
	link, err := f.svc.ResetLink(f.ctx, admin, "camille")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.PendingLinks(f.ctx, f.editor, wiki.TicketReset); wiki.ErrorCode(err) != wiki.EForbidden {
		t.Fatalf("an editor lists reset links: %v", err)
	}
	if err := revoke(f, f.editor, wiki.TicketReset, "camille"); wiki.ErrorCode(err) != wiki.EForbidden {
		t.Fatalf("an editor revokes: %v", err)
	}
	got, err := f.svc.PendingLinks(f.ctx, admin, wiki.TicketReset)
	if err != nil || len(got) != 1 || got[0].Login != "camille" || got[0].By != "chef" || got[0].Hash != nil {
		t.Fatalf("ResetLinks = %+v, %v", got, err)
	}
	if err := revoke(f, admin, wiki.TicketReset, "Camille"); err != nil {
		t.Fatal(err)
	}
	_, err = f.svc.ResetPassword(f.ctx, linkSecret(t, link.Path), "un nouveau mot de passe")
	wantReason(t, err, wiki.ReasonTicketInvalid)
	if got, err := f.svc.PendingLinks(f.ctx, admin, wiki.TicketReset); err != nil || len(got) != 0 {
		t.Fatalf("after the revocation: %+v, %v", got, err)
	}
	if err := revoke(f, admin, wiki.TicketReset, "camille"); wiki.ErrorCode(err) != wiki.ENotFound {
		t.Fatalf("revoking again: %v", err)
	}
	entries, err := f.svc.Audit(f.ctx, admin, 0, 1)
	if err != nil || len(entries) != 1 || entries[0].Subject != "revoke-reset:camille" || entries[0].Author != "chef" {
		t.Fatalf("the journal's newest entry: %+v, %v", entries, err)
	}
}

// revoke is Service.RevokeLinks without the login it returns.
func revoke(f *fixture, actor *wiki.User, k wiki.TicketKind, login string) error {
	_, err := f.svc.RevokeLinks(f.ctx, actor, k, login)
	return err
}
