package storetest

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/kdecole-club/clubwiki/wiki"
)

// testTickets covers invitations and resets: made once by hash, used
// once, refused when used or expired, each in the audit log.
func testTickets(t *testing.T, open func(t *testing.T) wiki.Store) {
	ctx := context.Background()
	s := open(t)
	addUsers(t, s, "chef", "marie")
	if err := s.PutGroup(ctx, wiki.Group{Name: "e-lyco", Title: "e-lyco"}, "chef"); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)
	invite := wiki.Ticket{Hash: hash("i1"), Kind: wiki.TicketInvite, Login: "paul", Email: "paul@exemple.fr", Role: wiki.RoleReader,
		Groups: []string{"e-lyco"}, By: "chef", Created: now, Expires: now.Add(wiki.InviteTTL)}
	t.Run("made", func(t *testing.T) {
		ch, err := s.PutTicket(ctx, invite)
		if err != nil || ch.Kind != wiki.KindPermission || ch.Subject != "invite:paul" || ch.Author != "chef" || ch.Seq == 0 {
			t.Fatalf("PutTicket = %+v, %v", ch, err)
		}
		got, err := s.Ticket(ctx, hash("i1"))
		if err != nil || got.Login != "paul" || got.Role != wiki.RoleReader || !slices.Equal(got.Groups, []string{"e-lyco"}) ||
			got.By != "chef" || !got.Expires.Equal(invite.Expires) || !got.Used.IsZero() || got.Email != "paul@exemple.fr" {
			t.Fatalf("Ticket = %+v, %v", got, err)
		}
		wantAudit(t, s, 0, "invite:paul", "chef")
	})
	t.Run("refused", func(t *testing.T) {
		taken := invite
		taken.Hash, taken.Login = hash("i2"), "marie"
		_, err := s.PutTicket(ctx, taken)
		wantCode(t, err, wiki.EConflict)
		_, err = s.PutTicket(ctx, wiki.Ticket{Hash: hash("r0"), Kind: wiki.TicketReset, Login: "personne", By: "chef", Expires: now})
		wantCode(t, err, wiki.ENotFound)
		_, err = s.PutTicket(ctx, wiki.Ticket{Kind: wiki.TicketReset, Login: "marie"})
		wantCode(t, err, wiki.EInvalid)
		_, err = s.PutTicket(ctx, invite)
		wantCode(t, err, wiki.EConflict)
		_, err = s.Ticket(ctx, hash("i2"))
		wantCode(t, err, wiki.ENotFound)
		_, err = s.Ticket(ctx, nil)
		wantCode(t, err, wiki.ENotFound)
	})
	testPending(t, s, now)
	testInviteUse(t, s, now)
	testResetUse(t, s, now)
	testAuditLog(t, s, now)
}

// testPending lists the invitations waiting to be used and revokes one:
// paul's of testTickets stays; two of lea's go at once.
func testPending(t *testing.T, s wiki.Store, now time.Time) {
	ctx := context.Background()
	pending := func(t *testing.T, at time.Time, limit int) []string {
		t.Helper()
		got, err := s.PendingTickets(ctx, wiki.TicketInvite, at, limit)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, tk := range got {
			out = append(out, tk.Login+"@"+tk.Created.Format("15:04"))
		}
		return out
	}
	for i, tk := range []wiki.Ticket{
		{Hash: hash("l1"), Kind: wiki.TicketInvite, Login: "lea", By: "chef", Created: now.Add(time.Minute), Expires: now.Add(wiki.InviteTTL)},
		{Hash: hash("l2"), Kind: wiki.TicketInvite, Login: "lea", By: "marie", Created: now.Add(2 * time.Minute), Expires: now.Add(time.Hour)},
		{Hash: hash("r9"), Kind: wiki.TicketReset, Login: "marie", By: "marie", Created: now.Add(3 * time.Minute), Expires: now.Add(time.Hour)},
	} {
		if _, err := s.PutTicket(ctx, tk); err != nil {
			t.Fatalf("ticket %d: %v", i, err)
		}
	}
	t.Run("pending, newest first", func(t *testing.T) {
		if got, want := pending(t, now, 10), []string{"lea@10:02", "lea@10:01", "paul@10:00"}; !slices.Equal(got, want) {
			t.Fatalf("pending invitations %q, want %q", got, want)
		}
		if got := pending(t, now, 1); !slices.Equal(got, []string{"lea@10:02"}) {
			t.Fatalf("at most one: %q", got)
		}
		// lea's second expires in an hour; a reset is not an invitation.
		if got, want := pending(t, now.Add(2*time.Hour), 10), []string{"lea@10:01", "paul@10:00"}; !slices.Equal(got, want) {
			t.Fatalf("two hours later %q, want %q", got, want)
		}
	})
	t.Run("revoked", func(t *testing.T) {
		n, err := s.RevokeTickets(ctx, wiki.TicketInvite, "lea", "chef")
		if err != nil || n != 2 {
			t.Fatalf("RevokeTickets = %d, %v", n, err)
		}
		wantAudit(t, s, 0, "revoke-invite:lea", "chef")
		if got, want := pending(t, now, 10), []string{"paul@10:00"}; !slices.Equal(got, want) {
			t.Fatalf("after the revocation %q, want %q", got, want)
		}
		for _, h := range []string{"l1", "l2"} {
			if _, err := s.Ticket(ctx, hash(h)); wiki.ErrorCode(err) != wiki.ENotFound {
				t.Fatalf("a revoked link still opens: %v", err)
			}
		}
		// Nothing left to revoke: an error, and no entry.
		before := lastSeq(t, s)
		_, err = s.RevokeTickets(ctx, wiki.TicketInvite, "lea", "chef")
		wantReason(t, err, wiki.ReasonTicketInvalid)
		_, err = s.RevokeTickets(ctx, wiki.TicketInvite, "marie", "chef") // her ticket is a reset
		wantCode(t, err, wiki.ENotFound)
		if after := lastSeq(t, s); after != before {
			t.Fatalf("a failed revocation wrote to the log: %d → %d", before, after)
		}
		if _, err := s.Ticket(ctx, hash("r9")); err != nil {
			t.Fatalf("marie's reset went too: %v", err)
		}
	})
}

// testInviteUse uses the invitation of testTickets.
func testInviteUse(t *testing.T, s wiki.Store, now time.Time) {
	ctx := context.Background()
	t.Run("unknown", func(t *testing.T) {
		_, err := s.UseTicket(ctx, hash("nope"), now, wiki.User{})
		wantCode(t, err, wiki.ENotFound)
	})
	t.Run("expired", func(t *testing.T) {
		_, err := s.UseTicket(ctx, hash("i1"), now.Add(wiki.InviteTTL), wiki.User{Name: "Paul"})
		wantReason(t, err, wiki.ReasonTicketExpired)
		if _, err := s.User(ctx, "paul"); wiki.ErrorCode(err) != wiki.ENotFound {
			t.Fatalf("an expired invitation made the member: %v", err)
		}
	})
	t.Run("used once", func(t *testing.T) {
		u, err := s.UseTicket(ctx, hash("i1"), now.Add(time.Hour), wiki.User{Login: "autre", Name: "Paul Martin", Role: wiki.RoleAdmin, PasswordHash: []byte("h")})
		if err != nil || u.Login != "paul" || u.Role != wiki.RoleReader || u.Name != "Paul Martin" {
			t.Fatalf("UseTicket = %+v, %v", u, err)
		}
		got, err := s.User(ctx, "paul")
		if err != nil || got.Role != wiki.RoleReader || !slices.Equal(got.Groups, []string{"e-lyco"}) || string(got.PasswordHash) != "h" || got.Name != "Paul Martin" {
			t.Fatalf("User(paul) = %+v, %v", got, err)
		}
		if tk, err := s.Ticket(ctx, hash("i1")); err != nil || !tk.Used.Equal(now.Add(time.Hour)) {
			t.Fatalf("the ticket after use: %+v, %v", tk, err)
		}
		_, err = s.UseTicket(ctx, hash("i1"), now.Add(2*time.Hour), wiki.User{Name: "Encore"})
		wantReason(t, err, wiki.ReasonTicketUsed)
		wantAudit(t, s, 0, "paul", "paul")
	})
}

// testResetUse makes and uses a reset of marie: her password changes and
// her sessions end, and nobody else's.
func testResetUse(t *testing.T, s wiki.Store, now time.Time) {
	ctx := context.Background()
	for _, se := range []wiki.Session{
		{Hash: hash("m1"), Login: "marie", Created: now, Expires: now.Add(time.Hour)},
		{Hash: hash("m2"), Login: "marie", Created: now, Expires: now.Add(time.Hour)},
		{Hash: hash("c1"), Login: "chef", Created: now, Expires: now.Add(time.Hour)},
	} {
		if err := s.CreateSession(ctx, se); err != nil {
			t.Fatal(err)
		}
	}
	reset := wiki.Ticket{Hash: hash("r1"), Kind: wiki.TicketReset, Login: "marie", By: "chef", Created: now, Expires: now.Add(wiki.ResetTTL)}
	t.Run("reset", func(t *testing.T) {
		if _, err := s.PutTicket(ctx, reset); err != nil {
			t.Fatal(err)
		}
		wantAudit(t, s, 0, "reset:marie", "chef")
		u, err := s.UseTicket(ctx, hash("r1"), now.Add(time.Minute), wiki.User{PasswordHash: []byte("neuf"), Role: wiki.RoleAdmin})
		if err != nil || u.Login != "marie" || u.Role != wiki.RoleEditor || string(u.PasswordHash) != "neuf" {
			t.Fatalf("UseTicket = %+v, %v", u, err)
		}
		gone(t, s, "m1", "m2")
		kept(t, s, "c1")
		_, err = s.UseTicket(ctx, hash("r1"), now.Add(2*time.Minute), wiki.User{PasswordHash: []byte("autre")})
		wantReason(t, err, wiki.ReasonTicketUsed)
		if got, _ := s.User(ctx, "marie"); string(got.PasswordHash) != "neuf" {
			t.Fatalf("a used reset changed the password: %q", got.PasswordHash)
		}
	})
	t.Run("purge", func(t *testing.T) {
		// r1 and testPending's r9 expired; the invitation did not.
		n, err := s.PurgeTickets(ctx, now.Add(wiki.ResetTTL+time.Second))
		if err != nil || n != 2 {
			t.Fatalf("PurgeTickets = %d, %v", n, err)
		}
		_, err = s.Ticket(ctx, hash("r1"))
		wantCode(t, err, wiki.ENotFound)
		if _, err := s.Ticket(ctx, hash("i1")); err != nil {
			t.Fatalf("the invitation is gone too: %v", err)
		}
	})
}

// testAuditLog checks what goes to the audit log and its paging.
func testAuditLog(t *testing.T, s wiki.Store, now time.Time) {
	ctx := context.Background()
	t.Run("members changed by someone", func(t *testing.T) {
		u, _ := s.User(ctx, "marie")
		u.Role = wiki.RoleReader
		if err := s.UpdateUserBy(ctx, u, "chef"); err != nil {
			t.Fatal(err)
		}
		wantAudit(t, s, 0, "marie", "chef")
		before := lastSeq(t, s)
		u.Name = "Marie"
		if err := s.UpdateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		if got := audit(t, s, 0, 1); got[0].Seq >= before+1 {
			t.Fatalf("an update by nobody named is in the audit log: %+v", got[0])
		}
	})
	t.Run("token made for someone", func(t *testing.T) {
		if err := s.CreateTokenBy(ctx, wiki.Token{ID: "t1", Login: "marie", Label: "script", Hash: hash("tok"), Created: now}, "chef"); err != nil {
			t.Fatal(err)
		}
		wantAudit(t, s, 0, "token:marie", "chef")
		if _, owner, err := s.TokenByHash(ctx, hash("tok")); err != nil || owner.Login != "marie" {
			t.Fatalf("TokenByHash = %v, %v", owner, err)
		}
	})
	t.Run("rules and groups", func(t *testing.T) {
		if err := s.PutNamespace(ctx, wiki.Namespace{Key: "marches", Title: "Marchés"}); err != nil {
			t.Fatal(err)
		}
		if err := s.PutRules(ctx, "marches", wiki.Rules{Read: wiki.Rule{"e-lyco"}, Edit: wiki.Rule{"e-lyco"}}, "chef"); err != nil {
			t.Fatal(err)
		}
		wantAudit(t, s, 0, "rules:marches", "chef")
	})
	t.Run("newest first, paged", func(t *testing.T) {
		all := audit(t, s, 0, 100)
		var subjects []string
		for i, ch := range all {
			subjects = append(subjects, ch.Subject)
			if i > 0 && ch.Seq >= all[i-1].Seq {
				t.Fatalf("not newest first: %+v", all)
			}
		}
		want := []string{"rules:marches", "token:marie", "marie", "marie", "reset:marie", "paul",
			"revoke-invite:lea", "reset:marie", "invite:lea", "invite:lea", "invite:paul", "group:e-lyco"}
		if !slices.Equal(subjects, want) {
			t.Fatalf("audit subjects %q, want %q", subjects, want)
		}
		page := audit(t, s, all[2].Seq, 2)
		if len(page) != 2 || page[0].Seq != all[3].Seq || page[1].Seq != all[4].Seq {
			t.Fatalf("page before %d: %+v", all[2].Seq, page)
		}
		if got := audit(t, s, 1, 10); len(got) != 0 {
			t.Fatalf("before 1: %+v", got)
		}
	})
}

func audit(t *testing.T, s wiki.AuditLog, before uint64, limit int) []wiki.Change {
	t.Helper()
	out, err := s.Audit(context.Background(), before, limit)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// wantAudit fails unless the newest audited entry before before is about
// subject, by author, and timed.
func wantAudit(t *testing.T, s wiki.AuditLog, before uint64, subject, author string) {
	t.Helper()
	got := audit(t, s, before, 1)
	if len(got) != 1 || got[0].Subject != subject || got[0].Author != author || got[0].Time.IsZero() {
		t.Fatalf("newest audited entry %+v, want %s by %s", got, subject, author)
	}
}

func wantReason(t *testing.T, err error, r wiki.Reason) {
	t.Helper()
	if got, _ := wiki.ErrorReason(err); got != r {
		t.Fatalf("error %v: reason %q, want %q", err, got, r)
	}
}
