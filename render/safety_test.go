package render_test

import (
	"context"
	"errors"
	"html"
	"net/url"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/kdecole-club/clubwiki/render"
	"github.com/kdecole-club/clubwiki/wiki"
	xhtml "golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// scriptInputs are inputs that try to get script into the page. Each must come
// out harmless; see checkSafe for what that means.
var scriptInputs = []struct{ name, src string }{
	{"script tag", "<script>alert(1)</script>"},
	{"inline script", "texte <script>alert(1)</script> texte"},
	{"event handler", `<img src=x onerror="alert(1)">`},
	{"event handler inline", `du <b onmouseover=alert(1)>texte</b>`},
	{"iframe", `<iframe src="https://evil.example"></iframe>`},
	{"object and embed", `<object data="x.swf"></object><embed src="x.swf">`},
	{"style tag", "<style>body{display:none}</style>"},
	{"style attribute", `<p style="background:url(javascript:alert(1))">x</p>`},
	{"svg onload", `<svg onload=alert(1)><circle r=1 /></svg>`},
	{"html comment", "<!-- <script>alert(1)</script> -->"},
	{"unclosed tag", "<div onclick=alert(1)\n\n*encore*"},
	{"markdown inside html", "<div>\n\n[x](javascript:alert(1))\n\n</div>"},
	{"javascript link", "[clic](javascript:alert(1))"},
	{"javascript mixed case", "[clic](JaVaScRiPt:alert(1))"},
	{"javascript entity", "[clic](&#106;avascript:alert(1))"},
	{"javascript hex entity colon", "[clic](javascript&#x3A;alert(1))"},
	{"javascript named entity colon", "[clic](javascript&colon;alert(1))"},
	{"javascript with tab entity", "[clic](java&#9;script:alert(1))"},
	{"javascript leading space", "[clic](< javascript:alert(1)>)"},
	{"javascript in angle destination with newline", "[clic](<java\nscript:alert(1)>)"},
	{"javascript percent-encoded", "[clic](%6Aavascript:alert(1))"},
	{"javascript percent colon", "[clic](javascript%3Aalert(1))"},
	{"javascript control char", "[clic](java\x01script:alert(1))"},
	{"javascript image", "![img](javascript:alert(1))"},
	{"vbscript link", "[clic](vbscript:msgbox(1))"},
	{"file link", "[clic](file:///etc/passwd)"},
	{"data html link", "[clic](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)"},
	{"data svg image", "![img](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)"},
	{"data html image", "![img](data:text/html,<script>alert(1)</script>)"},
	{"autolink javascript", "<javascript:alert(1)>"},
	{"autolink vbscript mixed case", "<VBScript:msgbox(1)>"},
	{"autolink data", "<data:text/html,alert(1)>"},
	{"reference definition", "[clic][r]\n\n[r]: javascript:alert(1)"},
	{"reference definition entity", "[clic][r]\n\n[r]: &#x6A;avascript:alert(1) \"titre\""},
	{"wiki link javascript", "[[javascript:alert(1)]]"},
	{"wiki link javascript label", "[[club/a|<script>alert(1)</script>]]"},
	{"wiki link quote breakout", `[[club/a" onclick="alert(1)|x]]`},
	{"link title breakout", `[x](https://example.org "a\" onclick=\"alert(1)")`},
	{"footnote with html", "note[^1]\n\n[^1]: <script>alert(1)</script> [x](javascript:alert(1))"},
	{"table with html", "| a |\n|---|\n| <img src=x onerror=alert(1)> |"},
	{"task list with html", "- [ ] <input type=text onfocus=alert(1) autofocus>"},
	{"code fence language breakout", "```\"><script>alert(1)</script>\nx\n```"},
	{"front matter with script", "---\ntitle: <script>alert(1)</script>\n---\n# <script>alert(2)</script>"},
	{"form and meta", `<form action="javascript:alert(1)"><button>x</button></form><meta http-equiv="refresh" content="0;url=javascript:alert(1)">`},
	{"base tag", `<base href="javascript:alert(1)//">`},
	{"math and template", "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>"},
	{"nul and invalid utf-8", "a\x00b \xff\xfe [x](java\x00script:alert(1))"},
	{"linkify lookalike", "javascript://example.com/%0Aalert(1)"},
}

func TestRenderer_Render_hostile(t *testing.T) {
	r := render.New(render.Options{})
	for _, tt := range scriptInputs {
		t.Run(tt.name, func(t *testing.T) {
			out, err := r.Render(context.Background(), []byte(tt.src), testOptions("club/a"))
			if err != nil {
				t.Fatalf("Render: %v", err)
			}
			checkSafe(t, out.HTML)
		})
	}
}

// FuzzRenderer_Render checks the safety invariants on any input: no panic,
// valid UTF-8 everywhere, no error but invalid front matter, and nothing
// checkSafe forbids in the HTML.
func FuzzRenderer_Render(f *testing.F) {
	for _, tt := range scriptInputs {
		f.Add(tt.src)
	}
	f.Add("---\ntitle: x\n---\n# Titre\n\n[[club/a|b]] [^1]\n\n[^1]: note")
	r := render.New(render.Options{})
	f.Fuzz(func(t *testing.T, src string) {
		start := time.Now()
		out, err := r.Render(context.Background(), []byte(src), testOptions("club/a"))
		if d := time.Since(start); d > 2*time.Second {
			// Fuzz inputs are small; seconds mean super-linear work.
			t.Fatalf("Render took %v on %d bytes", d, len(src))
		}
		if err != nil {
			var we *wiki.Error
			var le *wiki.LimitError
			frontMatter := errors.As(err, &we) && we.Code == wiki.EInvalid && strings.Contains(we.Message, "front matter")
			bound := errors.As(err, &we) && we.Code == wiki.ETooLarge && errors.As(err, &le)
			if !frontMatter && !bound {
				t.Fatalf("unexpected error: %v", err)
			}
			return
		}
		for name, s := range map[string]string{"HTML": out.HTML, "Title": out.Title, "Text": out.Text} {
			if !utf8.ValidString(s) {
				t.Fatalf("%s is not valid UTF-8: %q", name, s)
			}
		}
		for _, h := range out.Headings {
			if h.ID == "" || !utf8.ValidString(h.Text) {
				t.Fatalf("bad heading %#v", h)
			}
		}
		if out.Meta == nil {
			t.Fatal("Meta is nil")
		}
		checkSafe(t, out.HTML)
	})
}

// forbiddenElements may never appear in the output, whatever their
// attributes.
var forbiddenElements = map[string]bool{
	"script": true, "iframe": true, "object": true, "embed": true, "style": true,
	"frame": true, "frameset": true, "applet": true, "form": true, "base": true,
	"meta": true, "link": true, "svg": true, "math": true, "template": true,
}

// checkSafe parses h as a browser would and fails on any forbidden element,
// event handler, style attribute, or URL attribute with a dangerous scheme.
func checkSafe(t *testing.T, h string) {
	t.Helper()
	nodes, err := xhtml.ParseFragment(strings.NewReader(h), &xhtml.Node{Type: xhtml.ElementNode, Data: "div", DataAtom: atom.Div})
	if err != nil {
		t.Fatalf("unparseable HTML: %v\n%s", err, h)
	}
	var walk func(n *xhtml.Node)
	walk = func(n *xhtml.Node) {
		if n.Type == xhtml.ElementNode {
			if forbiddenElements[n.Data] {
				t.Errorf("<%s> element in output:\n%s", n.Data, h)
			}
			for _, a := range n.Attr {
				key := strings.ToLower(a.Key)
				switch {
				case strings.HasPrefix(key, "on"):
					t.Errorf("event handler %s=%q on <%s>:\n%s", a.Key, a.Val, n.Data, h)
				case key == "style":
					t.Errorf("style attribute on <%s>:\n%s", n.Data, h)
				case key == "href" || key == "src" || key == "action" || key == "formaction" || key == "xlink:href" || key == "cite" || key == "srcset" || key == "poster":
					if dangerousURL(a.Val, n.Data == "img" && key == "src") {
						t.Errorf("dangerous %s=%q on <%s>:\n%s", a.Key, a.Val, n.Data, h)
					}
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	for _, n := range nodes {
		walk(n)
	}
}

// dangerousURL reports whether a URL attribute value (already entity-decoded
// by the HTML parser) could run script or read local files once a browser
// strips blanks and control characters and lower-cases the scheme. Percent
// decoding is applied too, for margin, although browsers do not decode a
// scheme.
func dangerousURL(v string, imgSrc bool) bool {
	for _, s := range []string{v, percentDecoded(v)} {
		s = html.UnescapeString(s)
		s = strings.Map(func(r rune) rune {
			if r <= ' ' || unicode.IsControl(r) || unicode.IsSpace(r) || unicode.Is(unicode.Cf, r) {
				return -1
			}
			return r
		}, s)
		s = strings.ToLower(s)
		for _, bad := range []string{"javascript:", "vbscript:", "file:", "data:"} {
			if strings.HasPrefix(s, bad) {
				if bad == "data:" && imgSrc && strings.HasPrefix(s, "data:image/") && !strings.HasPrefix(s, "data:image/svg") {
					continue
				}
				return true
			}
		}
	}
	return false
}

func percentDecoded(s string) string {
	for range 3 {
		d, err := url.PathUnescape(s)
		if err != nil || d == s {
			break
		}
		s = d
	}
	return s
}

func TestRenderer_Render_safeLinksKept(t *testing.T) {
	src := "[site](https://example.org/a?b=c#d) [courriel](mailto:cdi@example.fr) [relatif](../club/a) [ancre](#titre) " +
		"![png](data:image/png;base64,iVBORw0KGgo=) <https://example.org> www.example.org"
	out := mustRender(t, src, testOptions())
	for _, want := range []string{
		`<a href="https://example.org/a?b=c#d" rel="nofollow noopener">site</a>`,
		`<a href="mailto:cdi@example.fr">courriel</a>`,
		`<a href="../club/a">relatif</a>`,
		`<a href="#titre">ancre</a>`,
		`<img src="data:image/png;base64,iVBORw0KGgo=" alt="png">`,
		`<a href="https://example.org" rel="nofollow noopener">https://example.org</a>`,
		`<a href="http://www.example.org" rel="nofollow noopener">www.example.org</a>`,
	} {
		if !strings.Contains(out.HTML, want) {
			t.Errorf("HTML lacks %s\n%s", want, out.HTML)
		}
	}
}
