package wiki

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestParsePath(t *testing.T) {
	cases := []struct{ raw, want string }{
		{"Assistance/Problème de connexion à l'ENT", "assistance/probleme-de-connexion-a-l-ent"},
		{"usages/Cahier de textes", "usages/cahier-de-textes"},
		{"club/Vœux 2027", "club/voeux-2027"},
		{"club/ŒUVRE Æsthétique", "club/oeuvre-aesthetique"},
		{"portails/Straße", "portails/strasse"},
		{"usages/Ça marche !", "usages/ca-marche"},
		{"  usages / -- a --b-- ", "usages/a-b"},
		{"usages//x///y/", "usages/x/y"},
		{"USAGES/École/Élève", "usages/ecole/eleve"},
		{"usages/ﬁchier ½", "usages/fichier-1-2"}, // NFKD compatibility forms
		{"connecteurs/ENT-MIP", "connecteurs/ent-mip"},
		{"services/e-lyco_v2.3", "services/e-lyco-v2-3"},
		{"assistance/l’école", "assistance/l-ecole"},
		{"assistance/日本語 et ENT", "assistance/et-ent"},
	}
	for _, c := range cases {
		t.Run(c.raw, func(t *testing.T) {
			p, err := ParsePath(c.raw)
			if err != nil {
				t.Fatalf("ParsePath(%q): %v", c.raw, err)
			}
			if p.String() != c.want {
				t.Errorf("ParsePath(%q) = %q, want %q", c.raw, p, c.want)
			}
		})
	}
	bad := []string{"", "usages", "usages/", "/usages", "École", "usages/!!!", "///", "usages/日本語",
		"usages/" + strings.Repeat("a", 200)}
	for _, raw := range bad {
		t.Run("invalid "+raw[:min(len(raw), 20)], func(t *testing.T) {
			if p, err := ParsePath(raw); err == nil {
				t.Errorf("ParsePath(%q) = %q, want an error", raw, p)
			} else if ErrorCode(err) != EInvalid {
				t.Errorf("code = %s, want %s", ErrorCode(err), EInvalid)
			}
		})
	}
}

func TestPath_Accessors(t *testing.T) {
	p := MustPath("assistance/connexion/Mot de passe oublié")
	if p.Namespace() != "assistance" || p.Slug() != "connexion/mot-de-passe-oublie" ||
		p.Base() != "mot-de-passe-oublie" || p.DefaultTitle() != "mot de passe oublie" {
		t.Errorf("accessors of %q: %q %q %q %q", p, p.Namespace(), p.Slug(), p.Base(), p.DefaultTitle())
	}
	if (Path{}).IsZero() != true || p.IsZero() {
		t.Error("IsZero")
	}
}

// TestParsePath_RoundTrip draws random titles from French letters,
// punctuation and separators and checks the canonical form's invariants:
// canonicalising is idempotent, the result has only the allowed characters,
// segments neither start nor end with '-', and the letters survive (a title
// typed with or without accents lands on the same page).
func TestParsePath_RoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(42, 7))
	alphabet := []rune("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789éèêëàâäîïôöùûüçÉÈÊÀÇÔœŒæÆß '’-_/.,;:!?«»()\t")
	accentFree := strings.NewReplacer("é", "e", "è", "e", "ê", "e", "ë", "e", "à", "a", "â", "a", "ä", "a", "î", "i", "ï", "i",
		"ô", "o", "ö", "o", "ù", "u", "û", "u", "ü", "u", "ç", "c", "É", "E", "È", "E", "Ê", "E", "À", "A", "Ç", "C", "Ô", "O",
		"œ", "oe", "Œ", "OE", "æ", "ae", "Æ", "AE", "ß", "ss")
	for i := range 5000 {
		n := 1 + r.IntN(40)
		rs := make([]rune, n)
		for j := range rs {
			rs[j] = alphabet[r.IntN(len(alphabet))]
		}
		raw := "usages/" + string(rs)
		c := Canonical(raw)
		if Canonical(c) != c {
			t.Fatalf("case %d: not idempotent: %q -> %q -> %q", i, raw, c, Canonical(c))
		}
		if Canonical(accentFree.Replace(raw)) != c {
			t.Fatalf("case %d: %q and its accent-free form differ", i, raw)
		}
		for _, seg := range strings.Split(c, "/") {
			if seg == "" || strings.HasPrefix(seg, "-") || strings.HasSuffix(seg, "-") || strings.Contains(seg, "--") {
				t.Fatalf("case %d: bad segment %q in %q", i, seg, c)
			}
			for _, ch := range seg {
				if !(ch >= 'a' && ch <= 'z' || ch >= '0' && ch <= '9' || ch == '-') {
					t.Fatalf("case %d: bad character %q in %q", i, ch, c)
				}
			}
		}
		p, err := ParsePath(raw)
		if err != nil {
			if strings.Contains(c, "/") && len(c) <= MaxPathBytes {
				t.Fatalf("case %d: ParsePath(%q) failed: %v", i, raw, err)
			}
			continue
		}
		// The canonical path read back is itself (URL ↔ key round trip).
		if q, err := ParsePath(p.String()); err != nil || q != p {
			t.Fatalf("case %d: %q does not round-trip: %q %v", i, p, q, err)
		}
		if !utf8.ValidString(p.String()) {
			t.Fatalf("invalid UTF-8")
		}
	}
}

func FuzzParsePath(f *testing.F) {
	for _, s := range []string{"Assistance/Problème de connexion à l'ENT", "a/b", "", "é/è", "\xff/\xfe"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		p, err := ParsePath(raw)
		if err != nil {
			return
		}
		if q, err := ParsePath(p.String()); err != nil || q != p {
			t.Fatalf("%q -> %q does not round-trip (%v)", raw, p, err)
		}
		if len(p.String()) > MaxPathBytes || !strings.Contains(p.String(), "/") {
			t.Fatalf("invalid canonical path %q", p)
		}
	})
}
