package render

import (
	"html"
	"regexp"
	"strings"
	"unicode"

	"github.com/microcosm-cc/bluemonday"
)

// newPolicy is the second safety layer, applied to goldmark's output. It is
// bluemonday's user-content policy plus exactly the attributes this package
// writes itself: wiki link and footnote classes, heading and footnote ids
// (UGCPolicy already allows id), read-only task check boxes, code language
// classes, table alignment classes. No style attribute is allowed anywhere.
func newPolicy() *bluemonday.Policy {
	p := bluemonday.UGCPolicy()
	p.AllowAttrs("class").Matching(regexp.MustCompile(`^(wikilink|wikilink missing|footnote-ref|footnote-backref)$`)).OnElements("a")
	p.AllowAttrs("rel").Matching(regexp.MustCompile(`^` + relExternal + `$`)).OnElements("a")
	p.AllowAttrs("role").Matching(regexp.MustCompile(`^doc-(noteref|backlink)$`)).OnElements("a")
	p.AllowAttrs("class").Matching(regexp.MustCompile(`^(footnotes|wiki-view)$`)).OnElements("div")
	p.AllowAttrs("data-view").Matching(regexp.MustCompile(`^[0-9]{1,2}$`)).OnElements("div")
	p.AllowAttrs("role").Matching(regexp.MustCompile(`^doc-endnotes$`)).OnElements("div")
	p.AllowAttrs("class").Matching(regexp.MustCompile(`^language-[\w+#.-]{1,40}$`)).OnElements("code")
	p.AllowAttrs("class").Matching(regexp.MustCompile(`^task-list-item$`)).OnElements("li")
	p.AllowAttrs("class").Matching(regexp.MustCompile(`^contains-task-list$`)).OnElements("ul", "ol")
	p.AllowAttrs("class").Matching(regexp.MustCompile(`^align-(left|center|right)$`)).OnElements("th", "td")
	p.AllowAttrs("type").Matching(regexp.MustCompile(`^checkbox$`)).OnElements("input")
	p.AllowAttrs("checked", "disabled").Matching(regexp.MustCompile(`^(|checked|disabled)$`)).OnElements("input")
	// UGCPolicy puts nofollow on every link, wiki links included; only
	// links leaving the wiki need it. They already carry rel="nofollow
	// noopener" from inspect; the fully-qualified rule catches any that
	// would not.
	p.RequireNoFollowOnLinks(false)
	p.RequireNoFollowOnFullyQualifiedLinks(true)
	p.AllowDataURIImages()
	return p
}

// allowedSchemes are the only URL schemes a link may use; anything else,
// known-bad (javascript, vbscript, file, data) or unknown, is refused.
var allowedSchemes = map[string]bool{"http": true, "https": true, "mailto": true}

// allowedDataImages are the data: image types an <img> may embed: raster
// formats that cannot carry script (unlike SVG).
var allowedDataImages = []string{"data:image/png", "data:image/gif", "data:image/jpeg", "data:image/webp"}

// safeURL reports whether u may be an href (or, with image, an img src). It
// judges the URL the way a lenient browser might read it: HTML entities and
// percent-encoding decoded (repeatedly), every blank and control character
// removed, letters lower-cased. A URL without a scheme is a relative link and
// is allowed.
func safeURL(u string, image bool) bool {
	s := normaliseURL(u)
	i := strings.IndexAny(s, ":/?#")
	if i <= 0 || s[i] != ':' {
		return true
	}
	scheme := s[:i]
	if allowedSchemes[scheme] {
		return true
	}
	if image && scheme == "data" {
		for _, prefix := range allowedDataImages {
			if strings.HasPrefix(s, prefix+";") || strings.HasPrefix(s, prefix+",") {
				return true
			}
		}
	}
	return false
}

// percentDecode decodes the valid %XX escapes of s and keeps any other
// "%" as it is, as a browser reads the URL goldmark writes (which escapes
// a stray "%" as "%25"): url.PathUnescape refuses the whole string for
// one stray "%", and "javascript%3A%" would then pass undecoded.
func percentDecode(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			b.WriteByte(unhex(s[i+1])<<4 | unhex(s[i+2]))
			i += 2
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c <= 'F':
		return c - 'A' + 10
	}
	return c - 'a' + 10
}

// normaliseURL undoes the disguises a scheme may wear.
func normaliseURL(u string) string {
	s := u
	for range 4 {
		d := percentDecode(html.UnescapeString(s))
		if d == s {
			break
		}
		s = d
	}
	s = strings.Map(func(r rune) rune {
		if r <= ' ' || r == 0x7f || unicode.IsSpace(r) || unicode.Is(unicode.Cf, r) || unicode.IsControl(r) {
			return -1
		}
		return r
	}, s)
	return strings.ToLower(s)
}
