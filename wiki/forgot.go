package wiki

import (
	"context"
	"strings"
	"time"
)

// Bounds of "forgotten password": one mail a member per forgotEvery, and
// at most forgotRemembered members remembered (past it, the oldest are
// forgotten first, which only lets a mail go sooner).
const (
	forgotEvery      = 15 * time.Minute
	forgotRemembered = 10000
)

// ForgotPassword mails a reset link to the member whose login or e-mail
// is who, when the wiki sends mail and the member has an address. It says
// nothing of whether such a member exists: it returns nil alike, and the
// mail goes in the background so that the answer takes the same time.
// EInvalid when the wiki sends no mail (the member then asks an admin).
func (s *Service) ForgotPassword(ctx context.Context, who string) error {
	mailer, base := s.tickets.get()
	if mailer == nil {
		return Errorf(EInvalid, "this wiki sends no mail: ask an admin for a reset link")
	}
	who = strings.ToLower(strings.TrimSpace(who))
	if who == "" || len(who) > 254 {
		return Errorf(EInvalid, "give your login or your e-mail address")
	}
	u, ok, err := s.memberByLoginOrEmail(ctx, who)
	if err != nil || !ok || u.Email == "" || u.Disabled || !s.tickets.mayMail(u.Login, s.cfg.Now()) {
		return err
	}
	secret, t, err := s.putReset(ctx, u, u.Login)
	if err != nil {
		return err
	}
	go func() {
		// The request ends before the mail goes: its context does not
		// bound the sending, mailTimeout does.
		ctx, cancel := context.WithTimeout(context.Background(), mailTimeout)
		defer cancel()
		_ = mailer.Send(ctx, ticketMessage(t, base+TicketPath(TicketReset, secret)))
	}()
	return nil
}

// memberByLoginOrEmail finds the member with login who, else the one
// member whose e-mail is who (none when two share it).
func (s *Service) memberByLoginOrEmail(ctx context.Context, who string) (User, bool, error) {
	u, err := s.store.User(ctx, who)
	if err == nil {
		return u, true, nil
	}
	if ErrorCode(err) != ENotFound || !strings.Contains(who, "@") {
		return User{}, false, nilIfNotFound(err)
	}
	all, err := s.store.Users(ctx)
	if err != nil {
		return User{}, false, err
	}
	var found []User
	for _, m := range all {
		if strings.EqualFold(m.Email, who) {
			found = append(found, m)
		}
	}
	if len(found) != 1 {
		return User{}, false, nil
	}
	return found[0], true, nil
}

func nilIfNotFound(err error) error {
	if ErrorCode(err) == ENotFound {
		return nil
	}
	return err
}

// mayMail reports whether login may be mailed a reset now, and if so
// remembers it.
func (m *ticketMail) mayMail(login string, now time.Time) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	if last, ok := m.sent[login]; ok && now.Sub(last) < forgotEvery {
		return false
	}
	if m.sent == nil || len(m.sent) >= forgotRemembered {
		m.prune(now)
	}
	m.sent[login] = now
	return true
}

// prune forgets who was mailed long enough ago, and everyone when that is
// not enough.
func (m *ticketMail) prune(now time.Time) {
	if m.sent == nil {
		m.sent = map[string]time.Time{}
		return
	}
	for l, t := range m.sent {
		if now.Sub(t) >= forgotEvery {
			delete(m.sent, l)
		}
	}
	if len(m.sent) >= forgotRemembered {
		m.sent = map[string]time.Time{}
	}
}

// MailEnabledForTickets reports whether invitations and resets can go by
// mail.
func (s *Service) MailEnabledForTickets() bool {
	mailer, _ := s.tickets.get()
	return mailer != nil
}
