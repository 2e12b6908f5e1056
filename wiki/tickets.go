package wiki

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"strings"
	"time"
)

// TicketKind says what a one-time ticket is for.
type TicketKind string

// The kinds of tickets.
const (
	// TicketInvite creates a member: the invitee sets their password and
	// display name.
	TicketInvite TicketKind = "invite"
	// TicketReset sets a member's password and ends their sessions.
	TicketReset TicketKind = "reset"
)

// How long tickets last.
const (
	InviteTTL = 7 * 24 * time.Hour
	ResetTTL  = 24 * time.Hour
)

// Ticket is a one-time link: an invitation or a password reset. Only the
// SHA-256 of its secret is stored, as for tokens.
type Ticket struct {
	Hash  []byte
	Kind  TicketKind
	Login string // the member it creates (invite) or whose password it sets (reset)
	// What an invitation makes the member; empty for a reset.
	Name, Email string
	Role        Role
	Groups      []string
	// By is who made it: an admin, or the member who forgot their password.
	By      string
	Created time.Time
	Expires time.Time
	Used    time.Time // zero until used
}

// TicketStore holds the one-time tickets by the hash of their secret.
// Making and using a ticket each append an audited entry to the change log
// in the same transaction (see AuditLog).
type TicketStore interface {
	// PutTicket stores t and appends its entry: KindPermission, Subject
	// "invite:LOGIN" or "reset:LOGIN", Author t.By. EConflict
	// (ReasonLoginTaken) for an invitation of a member's login, ENotFound
	// for a reset of no member.
	PutTicket(ctx context.Context, t Ticket) (Change, error)
	// Ticket returns the ticket with that hash, used or not.
	Ticket(ctx context.Context, hash []byte) (Ticket, error)
	// UseTicket uses the ticket with that hash at now, all or nothing:
	// ENotFound when there is none, EInvalid with ReasonTicketUsed or
	// ReasonTicketExpired when it cannot serve. An invitation creates u
	// (its Login, Role and Groups are the ticket's); a reset sets the
	// member's password hash to u.PasswordHash and ends all their
	// sessions. The ticket is marked used; the user comes back.
	UseTicket(ctx context.Context, hash []byte, now time.Time, u User) (User, error)
	// PurgeTickets removes the tickets that expired before t.
	PurgeTickets(ctx context.Context, t time.Time) (int, error)
	// PendingTickets returns the tickets of kind k neither used nor
	// expired at now, the newest first, at most limit.
	PendingTickets(ctx context.Context, k TicketKind, now time.Time, limit int) ([]Ticket, error)
	// RevokeTickets removes the tickets of kind k for login that were
	// not used, and appends one entry: KindPermission, Subject
	// "revoke-KIND:LOGIN", Author by. It returns how many it removed;
	// ENotFound (ReasonTicketInvalid) when there was none.
	RevokeTickets(ctx context.Context, k TicketKind, login, by string) (int, error)
}

// AuditLog is the record of what admins did: the change-log entries of
// permission events (rules, groups, invitations, resets, tokens made for
// someone) and of members changed by someone named, indexed apart so
// that reading it does not walk the page changes.
type AuditLog interface {
	// UpdateUserBy is UserStore.UpdateUser with the change's author, which
	// puts the entry in the audit log; its Title holds the new values of
	// what changed of the role, groups and state ("role=reader
	// groups=a,b disabled=true").
	UpdateUserBy(ctx context.Context, u User, author string) error
	// CreateTokenBy is SessionStore.CreateToken by author for t's owner,
	// with an audited entry (KindPermission, Subject "token:LOGIN",
	// Summary the label) in the same transaction.
	CreateTokenBy(ctx context.Context, t Token, author string) error
	// Audit returns up to limit audited entries with Seq < before (0: from
	// the newest), newest first.
	Audit(ctx context.Context, before uint64, limit int) ([]Change, error)
}

// Prefixes of ticket secrets, so that a link says what it is for.
const (
	invitePrefix = "cwi_"
	resetPrefix  = "cwr_"
	ticketBytes  = 32
)

// newTicketSecret returns a secret of kind k and its hash.
func newTicketSecret(k TicketKind) (string, []byte) {
	raw := make([]byte, ticketBytes)
	rand.Read(raw)
	prefix := invitePrefix
	if k == TicketReset {
		prefix = resetPrefix
	}
	secret := prefix + base64.RawURLEncoding.EncodeToString(raw)
	sum := sha256.Sum256([]byte(secret))
	return secret, sum[:]
}

// ParseTicketSecret reads the secret of a link of kind k and returns its
// hash; anything but a well-formed secret of that kind is ENotFound with
// ReasonTicketInvalid, as an unknown one is.
func ParseTicketSecret(k TicketKind, secret string) ([]byte, error) {
	prefix := invitePrefix
	if k == TicketReset {
		prefix = resetPrefix
	}
	bad := Errorf(ENotFound, "this link is not valid").Because(ReasonTicketInvalid)
	rest, ok := strings.CutPrefix(secret, prefix)
	if !ok || len(rest) != base64.RawURLEncoding.EncodedLen(ticketBytes) {
		return nil, bad
	}
	raw, err := base64.RawURLEncoding.Strict().DecodeString(rest)
	if err != nil || len(raw) != ticketBytes {
		return nil, bad
	}
	sum := sha256.Sum256([]byte(secret))
	return sum[:], nil
}

// TicketPath returns the wiki's path of the link of a ticket's secret.
func TicketPath(k TicketKind, secret string) string {
	if k == TicketReset {
		return "/reset/" + secret
	}
	return "/invite/" + secret
}

// CheckTicket says why t cannot serve at now, if it cannot: the same
// errors for the service and the stores.
func CheckTicket(t Ticket, now time.Time) error {
	if !t.Used.IsZero() {
		return Errorf(EInvalid, "this link has already been used").Because(ReasonTicketUsed)
	}
	if !now.Before(t.Expires) {
		return Errorf(EInvalid, "this link has expired").Because(ReasonTicketExpired)
	}
	return nil
}
