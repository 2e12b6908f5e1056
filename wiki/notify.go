package wiki

import (
	"context"
	"net/mail"
	"strings"
	"time"
)

// NotifyMode is how a member hears of changes to what they watch.
type NotifyMode string

// The notification modes; the zero value is NotifyOff.
const (
	NotifyOff       NotifyMode = "off"
	NotifyImmediate NotifyMode = "immediate"
	NotifyDaily     NotifyMode = "daily"
)

// ParseNotifyMode reads a mode as the API and the settings form write it.
func ParseNotifyMode(s string) (NotifyMode, error) {
	switch m := NotifyMode(s); m {
	case NotifyOff, NotifyImmediate, NotifyDaily:
		return m, nil
	}
	return "", Errorf(EInvalid, "unknown notify mode %q: off, immediate or daily", s).Because(ReasonNotifyMode)
}

// NotifySettings are a member's choices about e-mail notifications. The
// zero value (never chosen) is off, in French.
type NotifySettings struct {
	Mode NotifyMode // "" reads as off
	Lang string     // "en" or "fr" ("" reads as French): the mails' language
}

// On reports whether the member wants mail at all.
func (n NotifySettings) On() bool { return n.Mode == NotifyImmediate || n.Mode == NotifyDaily }

// Subscriber is a member whose notifications are on, and which of the
// paths asked about they watch (the page itself or its namespace).
type Subscriber struct {
	Login    string
	Settings NotifySettings
	Paths    []Path
}

// Notice is one change to tell one member, waiting in the outbox until a
// mail carries it. It is written with the notifier's cursor, in one
// transaction, so a restart neither loses nor repeats one.
type Notice struct {
	Login  string
	Seq    uint64 // the change's
	Path   Path
	Rev    int
	Author string
	Title  string
	// Summary of the change, and when it was made and queued.
	Summary string
	Time    time.Time
	Queued  time.Time
}

// NotifyStore holds the members' notification settings and the outbox of
// notices the notifier derives from the change log.
type NotifyStore interface {
	// NotifySettings returns login's settings: the zero value when they
	// never chose.
	NotifySettings(ctx context.Context, login string) (NotifySettings, error)
	// PutNotifySettings replaces login's settings.
	PutNotifySettings(ctx context.Context, login string, n NotifySettings) error
	// Subscribers returns the members whose notifications are on that
	// watch one of paths or its namespace, each with what they watch of
	// paths, by login.
	Subscribers(ctx context.Context, paths []Path) ([]Subscriber, error)
	// NotifyCursor returns the Seq of the last change the notifier read.
	NotifyCursor(ctx context.Context) (uint64, error)
	// QueueNotices adds ns to the outbox and sets the cursor to upto, in
	// one transaction; a notice already queued is kept as it is.
	QueueNotices(ctx context.Context, upto uint64, ns []Notice) error
	// Outbox returns up to limit queued notices, by login then Seq, at
	// most perLogin of each member (their oldest): a member whose
	// notices pile up for the digest does not hide the others'.
	Outbox(ctx context.Context, perLogin, limit int) ([]Notice, error)
	// DropNotices removes notices from the outbox (sent, or not to send).
	DropNotices(ctx context.Context, ns []Notice) error
	// MailSecret returns the secret unsubscribe links are signed with:
	// 32 random bytes made on the first call and kept.
	MailSecret(ctx context.Context) ([]byte, error)
}

// Mail is one message for a Mailer: a plain text body and its HTML
// alternative. From is the mailer's own.
type Mail struct {
	To      string
	Subject string
	Text    string
	HTML    string
	// ID is the Message-ID's left part, the same for the same notices:
	// a mail sent again after a crash between its sending and its
	// removal from the outbox can be told for the same one.
	ID string
	// Unsubscribe is the one-click unsubscribe URL (List-Unsubscribe).
	Unsubscribe string
}

// Mailer sends mail; the wiki/mail package implements it over SMTP.
type Mailer interface {
	Send(ctx context.Context, m Mail) error
}

// Me is what a member sees and sets of their own account.
type Me struct {
	Login   string
	Name    string
	Email   string
	Project string // profiles.go
	Bio     string
	Notify  NotifySettings
}

// MeChange is what a member changes of their own account; nil fields
// stay as they are.
type MeChange struct {
	Name   *string
	Email  *string
	Notify *NotifyMode
	Lang   *string
	// Project and Bio are the member's profile (profiles.go).
	Project, Bio *string
}

// Me returns actor's own account and notification settings.
func (s *Service) Me(ctx context.Context, actor *User) (Me, error) {
	if err := s.authorize(ctx, actor, ActRead, ""); err != nil {
		return Me{}, err
	}
	u, err := s.store.User(ctx, actor.Login)
	if err != nil {
		return Me{}, err
	}
	n, err := s.store.NotifySettings(ctx, actor.Login)
	if err != nil {
		return Me{}, err
	}
	if n.Mode == "" {
		n.Mode = NotifyOff
	}
	return Me{Login: u.Login, Name: u.Name, Email: u.Email, Project: u.Project, Bio: u.Bio, Notify: n}, nil
}

// UpdateMe changes actor's own name, address and notifications. Nothing
// is written when any part is invalid.
func (s *Service) UpdateMe(ctx context.Context, actor *User, ch MeChange) (Me, error) {
	if err := s.authorize(ctx, actor, ActRead, ""); err != nil {
		return Me{}, err
	}
	u, err := s.store.User(ctx, actor.Login)
	if err != nil {
		return Me{}, err
	}
	n, err := s.store.NotifySettings(ctx, actor.Login)
	if err != nil {
		return Me{}, err
	}
	changedUser, err := applyMeChange(&u, &n, ch)
	if err != nil {
		return Me{}, err
	}
	if n.On() && u.Email == "" {
		return Me{}, Errorf(EInvalid, "an e-mail address is needed to receive notifications").Because(ReasonEmailNeeded)
	}
	if changedUser {
		if err := s.store.UpdateUser(ctx, u); err != nil {
			return Me{}, err
		}
	}
	if err := s.store.PutNotifySettings(ctx, actor.Login, n); err != nil {
		return Me{}, err
	}
	return s.Me(ctx, actor)
}

// applyMeChange checks ch and applies it to u and n; it reports whether
// the user record changed.
func applyMeChange(u *User, n *NotifySettings, ch MeChange) (bool, error) {
	before := profileFields(*u)
	if err := applyProfileChange(u, ProfileChange{Name: ch.Name, Email: ch.Email, Project: ch.Project, Bio: ch.Bio}); err != nil {
		return false, err
	}
	changed := profileFields(*u) != before
	if ch.Notify != nil {
		m, err := ParseNotifyMode(string(*ch.Notify))
		if err != nil {
			return false, err
		}
		n.Mode = m
	}
	if ch.Lang != nil && (*ch.Lang == "fr" || *ch.Lang == "en") {
		n.Lang = *ch.Lang
	}
	return changed, nil
}

// CheckEmail reads an e-mail address alone ("" clears it): a bare
// address, no display name, at most 254 bytes.
func CheckEmail(raw string) (string, error) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return "", nil
	}
	bad := Errorf(EInvalid, "invalid e-mail address %q: write it as name@example.org", cutUTF8(raw, 80)).Because(ReasonEmailInvalid)
	if len(s) > 254 || strings.ContainsAny(s, " <>\r\n\x00\",;") {
		return "", bad
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Name != "" || a.Address != s {
		return "", bad
	}
	at := strings.LastIndexByte(s, '@')
	if at < 1 || !strings.Contains(s[at+1:], ".") || strings.HasSuffix(s, ".") {
		return "", bad
	}
	return s, nil
}
