package wiki

import (
	"context"
	"html"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// mailTimeout bounds the sending of one invitation or reset mail.
const mailTimeout = 30 * time.Second

// ticketMail is how invitations and resets are mailed: set by NewNotifier
// when the wiki sends mail.
type ticketMail struct {
	mu      sync.Mutex
	mailer  Mailer
	baseURL string
	// sent remembers when each member was last mailed a reset they asked
	// for, so that "forgotten password" mails one a quarter of an hour at
	// most (forgot.go).
	sent map[string]time.Time
}

func (m *ticketMail) set(mailer Mailer, baseURL string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.mailer, m.baseURL = mailer, baseURL
}

func (m *ticketMail) get() (Mailer, string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.mailer, m.baseURL
}

// Invitation is what an admin asks: who to invite, with which role and
// groups; Name is a suggestion the invitee may change.
type Invitation struct {
	Login, Name, Email string
	Role               Role
	Groups             []string
}

// TicketLink is a ticket just made: its secret (shown once, as the link's
// Path) unless it went by mail.
type TicketLink struct {
	Ticket Ticket
	Path   string // the link's path in the wiki, "" when Mailed
	Mailed bool   // the link was mailed to Ticket's e-mail
	// MailError says why a mail could not go (the link is then shown).
	MailError error
}

// Invite makes an invitation, by an admin: a one-time link, valid for
// InviteTTL, that creates the member as asked. When the invitation has an
// e-mail and the wiki sends mail, the link goes by mail and is not shown.
func (s *Service) Invite(ctx context.Context, actor *User, inv Invitation) (TicketLink, error) {
	if err := s.authorize(ctx, actor, ActAdmin, ""); err != nil {
		return TicketLink{}, err
	}
	t, err := s.checkInvitation(ctx, inv)
	if err != nil {
		return TicketLink{}, err
	}
	secret, hash := newTicketSecret(TicketInvite)
	now := s.cfg.Now().UTC()
	t.Hash, t.By, t.Created, t.Expires = hash, actor.Login, now, now.Add(InviteTTL)
	if _, err := s.store.PutTicket(ctx, t); err != nil {
		return TicketLink{}, err
	}
	return s.deliver(ctx, t, secret), nil
}

// MaxLinksListed bounds the links PendingLinks returns.
const MaxLinksListed = 500

// PendingLinks returns the links of kind k waiting to be used (the
// invitations, or the password resets), the newest first, for an admin:
// whose, as what, made by whom (an admin, or the member who forgot),
// until when; not the links, which only their hashes could check.
func (s *Service) PendingLinks(ctx context.Context, actor *User, k TicketKind) ([]Ticket, error) {
	if err := s.authorize(ctx, actor, ActAdmin, ""); err != nil {
		return nil, err
	}
	out, err := s.store.PendingTickets(ctx, k, s.cfg.Now(), MaxLinksListed)
	for i := range out {
		out[i].Hash = nil
	}
	return out, err
}

// RevokeLinks withdraws every link of kind k for login not used yet, by
// an admin (one sent to a wrong address, say): they then say they are not
// valid. It returns the login as the links name it; ENotFound when none
// waits.
func (s *Service) RevokeLinks(ctx context.Context, actor *User, k TicketKind, login string) (string, error) {
	if err := s.authorize(ctx, actor, ActAdmin, ""); err != nil {
		return "", err
	}
	login = strings.ToLower(strings.TrimSpace(login))
	_, err := s.store.RevokeTickets(ctx, k, login, actor.Login)
	return login, err
}

// checkInvitation checks what an admin asks and makes the ticket of it.
func (s *Service) checkInvitation(ctx context.Context, inv Invitation) (Ticket, error) {
	login := strings.ToLower(strings.TrimSpace(inv.Login))
	if !loginRE.MatchString(login) || login == SystemAuthor {
		return Ticket{}, Errorf(EInvalid, "invalid login %q: use 1 to 63 characters among a-z, 0-9, '.', '_' and '-'", inv.Login).Because(ReasonLoginInvalid)
	}
	if _, err := s.store.User(ctx, login); err == nil {
		return Ticket{}, Errorf(EConflict, "the login %q is taken", login).Because(ReasonLoginTaken)
	} else if ErrorCode(err) != ENotFound {
		return Ticket{}, err
	}
	if inv.Role == "" {
		inv.Role = RoleEditor
	}
	if !inv.Role.Valid() {
		return Ticket{}, Errorf(EInvalid, "unknown role %q (reader, editor or admin)", inv.Role).Because(ReasonRoleUnknown)
	}
	name, err := checkName(inv.Name)
	if err != nil {
		return Ticket{}, err
	}
	email, err := CheckEmail(inv.Email)
	if err != nil {
		return Ticket{}, err
	}
	groups, err := s.memberGroups(ctx, inv.Groups)
	if err != nil {
		return Ticket{}, err
	}
	return Ticket{Kind: TicketInvite, Login: login, Name: name, Email: email, Role: inv.Role, Groups: groups}, nil
}

// checkName reads a display name: one line of at most 200 bytes.
func checkName(raw string) (string, error) {
	name := strings.TrimSpace(raw)
	if !utf8.ValidString(name) || len(name) > 200 || strings.ContainsAny(name, "\r\n\x00") {
		return "", Errorf(EInvalid, "a name is one line of at most 200 bytes").Because(ReasonNameInvalid)
	}
	return name, nil
}

// OpenTicket returns the ticket of a link's secret, of kind k, when it can
// still serve: what the page behind the link shows.
func (s *Service) OpenTicket(ctx context.Context, k TicketKind, secret string) (Ticket, error) {
	hash, err := ParseTicketSecret(k, secret)
	if err != nil {
		return Ticket{}, err
	}
	t, err := s.store.Ticket(ctx, hash)
	if err != nil {
		return Ticket{}, err
	}
	if t.Kind != k {
		return Ticket{}, Errorf(ENotFound, "this link is not valid").Because(ReasonTicketInvalid)
	}
	return t, CheckTicket(t, s.cfg.Now())
}

// AcceptInvite uses an invitation: the invitee chose their display name
// and password; the member is created as the admin asked.
func (s *Service) AcceptInvite(ctx context.Context, secret, name, password string) (User, error) {
	t, err := s.OpenTicket(ctx, TicketInvite, secret)
	if err != nil {
		return User{}, err
	}
	if name, err = checkName(name); err != nil {
		return User{}, err
	}
	if name == "" {
		return User{}, Errorf(EInvalid, "give your name").Because(ReasonNameInvalid)
	}
	hash, err := s.hashPassword(password)
	if err != nil {
		return User{}, err
	}
	now := s.cfg.Now().UTC()
	return s.store.UseTicket(ctx, t.Hash, now, User{Name: name, Email: t.Email, PasswordHash: hash, Created: now})
}

// ResetLink makes a one-time link that sets login's password, by an
// admin: mailed when the member has an address and the wiki sends mail,
// else shown to the admin to hand over.
func (s *Service) ResetLink(ctx context.Context, actor *User, login string) (TicketLink, error) {
	if err := s.authorize(ctx, actor, ActAdmin, ""); err != nil {
		return TicketLink{}, err
	}
	u, err := s.store.User(ctx, strings.ToLower(strings.TrimSpace(login)))
	if err != nil {
		return TicketLink{}, err
	}
	secret, t, err := s.putReset(ctx, u, actor.Login)
	if err != nil {
		return TicketLink{}, err
	}
	return s.deliver(ctx, t, secret), nil
}

// putReset stores a reset ticket of u made by by.
func (s *Service) putReset(ctx context.Context, u User, by string) (string, Ticket, error) {
	secret, hash := newTicketSecret(TicketReset)
	now := s.cfg.Now().UTC()
	t := Ticket{Hash: hash, Kind: TicketReset, Login: u.Login, Email: u.Email, By: by, Created: now, Expires: now.Add(ResetTTL)}
	_, err := s.store.PutTicket(ctx, t)
	return secret, t, err
}

// ResetPassword uses a reset link: the member's password becomes password
// and every session of theirs ends.
func (s *Service) ResetPassword(ctx context.Context, secret, password string) (User, error) {
	t, err := s.OpenTicket(ctx, TicketReset, secret)
	if err != nil {
		return User{}, err
	}
	hash, err := s.hashPassword(password)
	if err != nil {
		return User{}, err
	}
	return s.store.UseTicket(ctx, t.Hash, s.cfg.Now().UTC(), User{PasswordHash: hash})
}

// deliver mails the link of t when it can, else returns it to be shown.
func (s *Service) deliver(ctx context.Context, t Ticket, secret string) TicketLink {
	out := TicketLink{Ticket: t, Path: TicketPath(t.Kind, secret)}
	mailer, base := s.tickets.get()
	if mailer == nil || t.Email == "" {
		return out
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), mailTimeout)
	defer cancel()
	if out.MailError = mailer.Send(ctx, ticketMessage(t, base+out.Path)); out.MailError == nil {
		out.Path, out.Mailed = "", true
	}
	return out
}

// ticketMessage is the mail that carries the link of t.
func ticketMessage(t Ticket, link string) Mail {
	var subject, text string
	until := t.Expires.In(parisOrUTC()).Format("02/01/2006 15:04")
	if t.Kind == TicketInvite {
		subject = "Invitation au wiki du club"
		text = "Bonjour,\n\nVous êtes invité·e à rejoindre le wiki du club sous l'identifiant « " + t.Login + " ».\n" +
			"Ouvrez ce lien pour choisir votre nom et votre mot de passe (il sert une fois, jusqu'au " + until + ") :\n\n" + link + "\n"
	} else {
		subject = "Réinitialisation de votre mot de passe"
		text = "Bonjour,\n\nPour choisir un nouveau mot de passe pour l'identifiant « " + t.Login + " », ouvrez ce lien " +
			"(il sert une fois, jusqu'au " + until + ") :\n\n" + link + "\n\nSi vous n'avez rien demandé, ignorez ce message.\n"
	}
	return Mail{To: t.Email, Subject: subject, Text: text, HTML: textToHTML(text, link)}
}

// textToHTML is the HTML alternative of a plain text mail: its paragraphs,
// escaped, with link made a link.
func textToHTML(text, link string) string {
	var b strings.Builder
	for _, para := range strings.Split(strings.TrimSpace(text), "\n\n") {
		if para == link {
			b.WriteString(`<p><a href="` + html.EscapeString(link) + `">` + html.EscapeString(link) + "</a></p>\n")
			continue
		}
		b.WriteString("<p>" + strings.ReplaceAll(html.EscapeString(para), "\n", "<br>") + "</p>\n")
	}
	return b.String()
}

func parisOrUTC() *time.Location {
	if loc, err := time.LoadLocation("Europe/Paris"); err == nil {
		return loc
	}
	return time.UTC
}
