package wiki

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"regexp"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/crypto/bcrypt"
)

// MinPasswordBytes is the shortest password accepted.
const MinPasswordBytes = 10

// maxPasswordBytes is what bcrypt reads; longer passwords are refused
// rather than cut, which would give a false sense of strength.
const maxPasswordBytes = 72

// tokenPrefix marks clubwiki API tokens so that secret scanners and people
// recognise them.
const tokenPrefix = "cw_"

var loginRE = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,62}$`)

// NewUser describes a user to create.
type NewUser struct {
	Login    string
	Name     string
	Email    string
	Role     Role // default RoleEditor
	Password string
	Groups   []string // groups the member belongs to; each must exist
}

// CreateUser adds a user. The login is lower-cased; it must be 1–63
// characters of a-z, 0-9, '.', '_' or '-'.
func (s *Service) CreateUser(ctx context.Context, nu NewUser) (User, error) {
	login := strings.ToLower(strings.TrimSpace(nu.Login))
	if !loginRE.MatchString(login) || login == SystemAuthor {
		return User{}, Errorf(EInvalid, "invalid login %q: use 1 to 63 characters among a-z, 0-9, '.', '_' and '-'", nu.Login).Because(ReasonLoginInvalid)
	}
	if nu.Role == "" {
		nu.Role = RoleEditor
	}
	if !nu.Role.Valid() {
		return User{}, Errorf(EInvalid, "unknown role %q (reader, editor or admin)", nu.Role).Because(ReasonRoleUnknown)
	}
	if !utf8.ValidString(nu.Name) || !utf8.ValidString(nu.Email) || len(nu.Name) > 200 || len(nu.Email) > 254 {
		return User{}, Errorf(EInvalid, "invalid name or e-mail")
	}
	groups, err := s.memberGroups(ctx, nu.Groups)
	if err != nil {
		return User{}, err
	}
	hash, err := s.hashPassword(nu.Password)
	if err != nil {
		return User{}, err
	}
	u := User{Login: login, Name: strings.TrimSpace(nu.Name), Email: strings.TrimSpace(nu.Email),
		Role: nu.Role, PasswordHash: hash, Created: s.cfg.Now().UTC(), Groups: groups}
	if err := s.store.CreateUser(ctx, u); err != nil {
		return User{}, err
	}
	return u, nil
}

// checkPassword applies the rules of a new password.
func checkPassword(pw string) error {
	if len(pw) < MinPasswordBytes {
		return Errorf(EInvalid, "the password must be at least %d bytes long", MinPasswordBytes).Because(ReasonPasswordTooShort, MinPasswordBytes)
	}
	if len(pw) > maxPasswordBytes {
		return Errorf(EInvalid, "the password must be at most %d bytes long", maxPasswordBytes).Because(ReasonPasswordTooLong, maxPasswordBytes)
	}
	return nil
}

func (s *Service) hashPassword(pw string) ([]byte, error) {
	if err := checkPassword(pw); err != nil {
		return nil, err
	}
	h, err := bcrypt.GenerateFromPassword([]byte(pw), s.bcryptCost())
	if err != nil {
		return nil, Internal(err, "hashing the password")
	}
	return h, nil
}

// SetPassword replaces a user's password.
func (s *Service) SetPassword(ctx context.Context, login, password string) error {
	u, err := s.store.User(ctx, strings.ToLower(login))
	if err != nil {
		return err
	}
	if u.PasswordHash, err = s.hashPassword(password); err != nil {
		return err
	}
	return s.store.UpdateUser(ctx, u)
}

// Authenticate checks a login and password. Any failure is the same
// EUnauthenticated error, so that it does not tell which part was wrong.
func (s *Service) Authenticate(ctx context.Context, login, password string) (User, error) {
	u, err := s.store.User(ctx, strings.ToLower(strings.TrimSpace(login)))
	if err != nil && ErrorCode(err) != ENotFound {
		return User{}, err
	}
	hash := u.PasswordHash
	if hash == nil {
		// Spend the same time as for a real user.
		hash = dummyHash(s.bcryptCost())
	}
	// A member without a password (made by single sign-on) has none to
	// guess: the dummy hash is checked for the time only.
	if bcrypt.CompareHashAndPassword(hash, []byte(password)) != nil || u.Login == "" || u.PasswordHash == nil {
		return User{}, Errorf(EUnauthenticated, "wrong login or password")
	}
	if err := refuseDisabled(u); err != nil {
		return User{}, err
	}
	return u, nil
}

// refuseDisabled is EUnauthenticated for a disabled member: whatever
// signs them in (password, session, token, feed key) stops at once, and
// works again when an admin enables them.
func refuseDisabled(u User) error {
	if u.Disabled {
		return Errorf(EUnauthenticated, "this account is disabled; ask an admin")
	}
	return nil
}

// bcryptCost is the cost of the password hashes the service makes.
func (s *Service) bcryptCost() int {
	if s.cfg.BcryptCost == 0 {
		return bcrypt.DefaultCost
	}
	return s.cfg.BcryptCost
}

// dummyHashes holds, by cost, the hash an unknown login is checked against.
var dummyHashes sync.Map

// dummyHash returns a hash of that cost, made once.
func dummyHash(cost int) []byte {
	if h, ok := dummyHashes.Load(cost); ok {
		return h.([]byte)
	}
	h, _ := bcrypt.GenerateFromPassword([]byte("clubwiki-dummy-password"), cost)
	h2, _ := dummyHashes.LoadOrStore(cost, h)
	return h2.([]byte)
}

// GeneratePassword returns a random password of 20 URL-safe characters.
func GeneratePassword() string {
	b := make([]byte, 15)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// EnsureAdmin creates the user "admin" with a random password when the wiki
// has no user at all. It returns the password when it created one.
func (s *Service) EnsureAdmin(ctx context.Context) (password string, err error) {
	n, err := s.store.UserCount(ctx)
	if err != nil || n > 0 {
		return "", err
	}
	pw := GeneratePassword()
	if _, err := s.CreateUser(ctx, NewUser{Login: "admin", Name: "Administrateur", Role: RoleAdmin, Password: pw}); err != nil {
		return "", err
	}
	return pw, nil
}

// CreateToken makes a new API token for login, by actor (the owner, or an
// admin), and returns its secret, which is shown once: only its hash is
// stored.
func (s *Service) CreateToken(ctx context.Context, actor *User, login, label string) (string, Token, error) {
	login = strings.ToLower(login)
	if err := s.authorizeTokens(ctx, actor, login); err != nil {
		return "", Token{}, err
	}
	u, err := s.store.User(ctx, login)
	if err != nil {
		return "", Token{}, err
	}
	if !utf8.ValidString(label) || len(label) > 200 {
		return "", Token{}, Errorf(EInvalid, "invalid token label")
	}
	raw := make([]byte, 32)
	rand.Read(raw)
	secret := tokenPrefix + base64.RawURLEncoding.EncodeToString(raw)
	id := make([]byte, 8)
	rand.Read(id)
	sum := sha256.Sum256([]byte(secret))
	t := Token{ID: hex.EncodeToString(id), Login: u.Login, Label: strings.TrimSpace(label), Hash: sum[:], Created: s.cfg.Now().UTC()}
	by := "" // a member's own token is theirs; one made for someone is audited
	if actor.Login != u.Login {
		by = actor.Login
	}
	if err := s.store.CreateTokenBy(ctx, t, by); err != nil {
		return "", Token{}, err
	}
	return secret, t, nil
}

// AuthenticateToken returns the owner of an API token secret.
func (s *Service) AuthenticateToken(ctx context.Context, secret string) (User, error) {
	if !strings.HasPrefix(secret, tokenPrefix) || len(secret) > 200 {
		return User{}, Errorf(EUnauthenticated, "invalid API token")
	}
	sum := sha256.Sum256([]byte(secret))
	t, u, err := s.store.TokenByHash(ctx, sum[:])
	if ErrorCode(err) == ENotFound {
		return User{}, Errorf(EUnauthenticated, "invalid API token")
	}
	if err != nil {
		return User{}, err
	}
	// The lookup was by hash already; comparing again costs nothing and
	// keeps the check explicit should the store ever match by prefix.
	if subtle.ConstantTimeCompare(t.Hash, sum[:]) != 1 {
		return User{}, Errorf(EUnauthenticated, "invalid API token")
	}
	if err := refuseDisabled(u); err != nil {
		return User{}, err
	}
	return u, nil
}

// Tokens lists a user's tokens, for actor (the owner, or an admin).
func (s *Service) Tokens(ctx context.Context, actor *User, login string) ([]Token, error) {
	login = strings.ToLower(login)
	if err := s.authorizeTokens(ctx, actor, login); err != nil {
		return nil, err
	}
	return s.store.Tokens(ctx, login)
}

// RevokeToken deletes one of a user's tokens, by actor (the owner, or an
// admin).
func (s *Service) RevokeToken(ctx context.Context, actor *User, login, id string) error {
	login = strings.ToLower(login)
	if err := s.authorizeTokens(ctx, actor, login); err != nil {
		return err
	}
	return s.store.DeleteToken(ctx, login, id)
}

// User returns a user by login.
func (s *Service) User(ctx context.Context, login string) (User, error) {
	return s.store.User(ctx, strings.ToLower(login))
}

// System returns the actor the wiki's own commands (seed pages, export,
// import) act as.
func System() *User { return &User{Login: SystemAuthor, Name: "clubwiki", Role: RoleAdmin} }
