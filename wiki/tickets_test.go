package wiki_test

import (
	"crypto/sha256"
	"strings"
	"testing"

	"github.com/kdecole-club/clubwiki/wiki"
)

func TestParseTicketSecret(t *testing.T) {
	good := "cwi_" + strings.Repeat("A", 43)
	for name, c := range map[string]struct {
		kind   wiki.TicketKind
		secret string
		ok     bool
	}{
		"invite":            {wiki.TicketInvite, good, true},
		"reset":             {wiki.TicketReset, "cwr_" + strings.Repeat("_", 42) + "w", true},
		"other kind":        {wiki.TicketReset, good, false},
		"no prefix":         {wiki.TicketInvite, strings.Repeat("A", 47), false},
		"short":             {wiki.TicketInvite, good[:len(good)-1], false},
		"long":              {wiki.TicketInvite, good + "A", false},
		"padding":           {wiki.TicketInvite, "cwi_" + strings.Repeat("A", 42) + "=", false},
		"standard alphabet": {wiki.TicketInvite, "cwi_" + strings.Repeat("+", 43), false},
		"not canonical":     {wiki.TicketInvite, "cwi_" + strings.Repeat("A", 42) + "B", false},
		"empty":             {wiki.TicketInvite, "", false},
	} {
		t.Run(name, func(t *testing.T) {
			hash, err := wiki.ParseTicketSecret(c.kind, c.secret)
			if !c.ok {
				wantReason(t, err, wiki.ReasonTicketInvalid)
				if wiki.ErrorCode(err) != wiki.ENotFound {
					t.Fatalf("code %q", wiki.ErrorCode(err))
				}
				return
			}
			if sum := sha256.Sum256([]byte(c.secret)); err != nil || string(hash) != string(sum[:]) {
				t.Fatalf("ParseTicketSecret = %x, %v", hash, err)
			}
		})
	}
}

// FuzzParseTicketSecret: any text is a secret's hash or the one "not
// valid" error, never a panic; what parses is exactly the secrets the
// wiki makes (prefix and 43 canonical base64url characters).
func FuzzParseTicketSecret(f *testing.F) {
	for _, s := range []string{"cwi_" + strings.Repeat("A", 43), "cwr_" + strings.Repeat("-", 43), "cwi_", "", "cwi_%00", "cwr_" + strings.Repeat("é", 20)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, secret string) {
		for _, k := range []wiki.TicketKind{wiki.TicketInvite, wiki.TicketReset} {
			hash, err := wiki.ParseTicketSecret(k, secret)
			if err != nil {
				if r, _ := wiki.ErrorReason(err); r != wiki.ReasonTicketInvalid || hash != nil {
					t.Fatalf("%q: %v, %x", secret, err, hash)
				}
				continue
			}
			sum := sha256.Sum256([]byte(secret))
			if string(hash) != string(sum[:]) || len(secret) != 47 || !strings.HasPrefix(wiki.TicketPath(k, secret), "/") {
				t.Fatalf("%q parsed as %x", secret, hash)
			}
		}
	})
}
