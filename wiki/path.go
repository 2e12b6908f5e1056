package wiki

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// MaxPathBytes is the longest canonical page path accepted.
const MaxPathBytes = 200

// Path is a canonical page path: "namespace/slug[/slug…]", only a-z, 0-9, '-'
// and '/', at least two segments. The zero Path is invalid. The only way to
// build one from outside text is ParsePath, so a Path value is always
// canonical.
type Path struct{ s string }

// String returns the canonical path.
func (p Path) String() string { return p.s }

// IsZero reports whether p is the zero (invalid) Path.
func (p Path) IsZero() bool { return p.s == "" }

// Namespace returns the first segment.
func (p Path) Namespace() string {
	ns, _, _ := strings.Cut(p.s, "/")
	return ns
}

// Slug returns everything after the namespace.
func (p Path) Slug() string {
	_, rest, _ := strings.Cut(p.s, "/")
	return rest
}

// Base returns the last segment.
func (p Path) Base() string { return p.s[strings.LastIndexByte(p.s, '/')+1:] }

// DefaultTitle is the title of a page without a title of its own: the last
// segment with '-' read as spaces.
func (p Path) DefaultTitle() string { return strings.ReplaceAll(p.Base(), "-", " ") }

// MarshalText makes a Path encode as its string in JSON.
func (p Path) MarshalText() ([]byte, error) { return []byte(p.s), nil }

// Canonical returns the canonical form of raw as CONTRACT.md defines it,
// without checking the number of segments or the length. It is idempotent.
func Canonical(raw string) string {
	s := norm.NFKD.String(ligatures.Replace(raw))
	var b strings.Builder
	b.Grow(len(s))
	dash := false // a run of other characters was seen since the last kept one
	for _, r := range s {
		r = unicode.ToLower(r)
		switch {
		case unicode.Is(unicode.Mn, r):
			// Combining marks left by NFKD are dropped, not read as
			// separators: "é" is "e" followed by U+0301.
		case r == '/':
			b.WriteByte('/')
			dash = false
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			if dash && b.Len() > 0 && !strings.HasSuffix(b.String(), "/") {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		default:
			dash = true
		}
	}
	// A segment never starts or ends with '-' by construction; drop the
	// empty ones.
	segs := strings.Split(b.String(), "/")
	out := segs[:0]
	for _, seg := range segs {
		if seg != "" {
			out = append(out, seg)
		}
	}
	return strings.Join(out, "/")
}

var ligatures = strings.NewReplacer("ß", "ss", "ẞ", "ss", "œ", "oe", "Œ", "oe", "æ", "ae", "Æ", "ae")

// ParsePath canonicalises raw into a Path. It fails with EInvalid when the
// result has fewer than two segments or is longer than MaxPathBytes. Whether
// the namespace exists is checked by the Service, which knows the namespaces.
func ParsePath(raw string) (Path, error) {
	c := Canonical(raw)
	if c == "" || !strings.Contains(c, "/") {
		return Path{}, Errorf(EInvalid, "a page path needs a namespace and a name, like \"assistance/connexion\": %q", truncate(raw, 80)).Because(ReasonPathInvalid)
	}
	if len(c) > MaxPathBytes {
		return Path{}, Errorf(EInvalid, "the page path is longer than %d bytes once canonical", MaxPathBytes)
	}
	return Path{s: c}, nil
}

// MustPath is ParsePath for constants in code and tests; it panics on error.
func MustPath(raw string) Path {
	p, err := ParsePath(raw)
	if err != nil {
		panic(err)
	}
	return p
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

func utf8RuneStart(b byte) bool { return b&0xC0 != 0x80 }
