package web

import (
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/net/html"
)

const (
	insS = "\uE000"
	insE = "\uE001"
	delS = "\uE002"
	delE = "\uE003"
)

func TestMarkHTML(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ name, in, want string }{
		{"no marks", `<p>a &amp; b</p>`, `<p>a &amp; b</p>`},
		{"words", "<p>le " + delS + "matin" + delE + insS + "soir" + insE + " venu</p>",
			`<p>le <del class="diff-del">matin</del><ins class="diff-ins">soir</ins> venu</p>`},
		{"across tags", "<p>a " + insS + "b <em>c</em> d" + insE + " e</p>",
			`<p>a <ins class="diff-ins">b </ins><em><ins class="diff-ins">c</ins></em><ins class="diff-ins"> d</ins> e</p>`},
		{"in an attribute", `<p><a href="https://e.org/` + insS + `x` + insE + `" title="` + delS + `t">lien</a></p>`,
			`<p><a href="https://e.org/x" title="t">lien</a></p>`},
		{"escaped text stays text", "<p>&lt;script&gt;" + insS + "&lt;b onmouseover=x&gt;" + insE + "</p>",
			`<p>&lt;script&gt;<ins class="diff-ins">&lt;b onmouseover=x&gt;</ins></p>`},
		{"white space between rows is not marked", "<table>" + insS + "\n<tr><td>x</td></tr>\n" + insE + "</table>",
			"<table>\n<tr><td><ins class=\"diff-ins\">x</ins></td></tr>\n</table>"},
		{"unclosed at the end", "<p>" + insS + "a</p>", `<p><ins class="diff-ins">a</ins></p>`},
		{"an end without a start", "<p>a" + insE + "b</p>", `<p>ab</p>`},
		{"a start inside a start", "<p>" + insS + "a" + delS + "b" + delE + "</p>",
			`<p><ins class="diff-ins">a</ins><del class="diff-del">b</del></p>`},
		{"comments go", "<p>a<!-- " + insS + " --></p>", `<p>a</p>`},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := markHTML(c.in); got != c.want {
				t.Errorf("markHTML(%q)\n got %q\nwant %q", c.in, got, c.want)
			}
		})
	}
}

// FuzzMarkHTML checks that whatever the HTML and the marks, no mark rune
// is left, and every <ins> and <del> holds text only.
func FuzzMarkHTML(f *testing.F) {
	for _, s := range []string{"<p>a " + insS + "b <em>c</em>" + insE + "</p>", `<a href="` + delS + `">` + delE + `</a>`,
		"<pre><code>" + insS + "x\ny" + insE + "</code></pre>", "<script>" + insS + "</script>", "<ul><li>" + delS + "a</li><li>b" + delE + "</li></ul>"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		if !utf8.ValidString(in) {
			return
		}
		out := markHTML(in)
		if strings.ContainsFunc(out, isMarkRune) {
			t.Fatalf("a mark rune is left in %q", out)
		}
		z := html.NewTokenizer(strings.NewReader(out))
		inMark := 0
		for tt := z.Next(); tt != html.ErrorToken; tt = z.Next() {
			name, _ := z.TagName()
			switch {
			case inMark > 0 && tt == html.EndTagToken && (string(name) == "ins" || string(name) == "del"):
				inMark--
			case inMark > 0 && tt != html.TextToken:
				t.Fatalf("a tag inside a mark in %q (from %q)", out, in)
			case tt == html.StartTagToken && (string(name) == "ins" || string(name) == "del") && !strings.Contains(in, "<"+string(name)):
				inMark++
			}
		}
	})
}
