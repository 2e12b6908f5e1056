package render_test

import (
	"context"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/kdecole-club/clubwiki/render"
	"github.com/kdecole-club/clubwiki/wiki"
)

// TestRenderer_Render_linkRefs checks the source spans of wiki links: each
// slices the page's text to the link as written and to its target, front
// matter included, and text that is not a link (code, escapes) has none.
func TestRenderer_Render_linkRefs(t *testing.T) {
	type ref struct{ whole, target, path string }
	tests := []struct {
		name string
		src  string
		want []ref
	}{
		{"plain", "Voir [[club/a]].", []ref{{"[[club/a]]", "club/a", "club/a"}}},
		{"label", "Voir [[club/a|la page A]].", []ref{{"[[club/a|la page A]]", "club/a", "club/a"}}},
		{"anchor", "Voir [[club/a#Article 3]] et [[club/b#x|ici]].",
			[]ref{{"[[club/a#Article 3]]", "club/a", "club/a"}, {"[[club/b#x|ici]]", "club/b", "club/b"}}},
		{"blanks around the target", "[[  club/a \t| A ]]", []ref{{"[[  club/a \t| A ]]", "club/a", "club/a"}}},
		{"relative target", "[[Problème de connexion]]", []ref{{"[[Problème de connexion]]", "Problème de connexion", "assistance/probleme-de-connexion"}}},
		{"accents before", "Réunion à l'école, élève : [[club/Été]] puis [[club/b]].",
			[]ref{{"[[club/Été]]", "club/Été", "club/ete"}, {"[[club/b]]", "club/b", "club/b"}}},
		{"front matter", "---\ntitle: « Été »\ntags: [\"[[club/x]]\"]\n---\n# Été\n\n[[club/a]]\n", []ref{{"[[club/a]]", "club/a", "club/a"}}},
		{"BOM and front matter", "\uFEFF---\ntitle: x\n---\n[[club/a]]\n", []ref{{"[[club/a]]", "club/a", "club/a"}}},
		{"CRLF", "---\r\ntitle: x\r\n---\r\nUn.\r\n\r\n[[club/a]]\r\n[[club/b|B]]\r\n", []ref{{"[[club/a]]", "club/a", "club/a"}, {"[[club/b|B]]", "club/b", "club/b"}}},
		{"code span", "`[[club/a]]` [[club/b]]", []ref{{"[[club/b]]", "club/b", "club/b"}}},
		{"fenced code", "```\n[[club/a]]\n```\n[[club/b]]\n", []ref{{"[[club/b]]", "club/b", "club/b"}}},
		{"indented code", "    [[club/a]]\n\n[[club/b]]\n", []ref{{"[[club/b]]", "club/b", "club/b"}}},
		{"escaped bracket", `\[[club/a]] [\[club/b]] [[club/c]]`, []ref{{"[[club/c]]", "club/c", "club/c"}}},
		{"in a heading, list, quote and table", "# [[club/a]]\n\n- [[club/b]]\n\n> [[club/c]]\n\n| x |\n|---|\n| [[club/d]] |\n",
			[]ref{{"[[club/a]]", "club/a", "club/a"}, {"[[club/b]]", "club/b", "club/b"}, {"[[club/c]]", "club/c", "club/c"}, {"[[club/d]]", "club/d", "club/d"}}},
		{"inside a Markdown link", "[voir [[club/a]]](https://example.org)", []ref{{"[[club/a]]", "club/a", "club/a"}}},
		{"footnote before the text", "Texte[^1] et [[club/b]].\n\n[^1]: Voir [[club/a]].\n",
			[]ref{{"[[club/b]]", "club/b", "club/b"}, {"[[club/a]]", "club/a", "club/a"}}},
		{"tab before", "-\t[[club/a]]\n", []ref{{"[[club/a]]", "club/a", "club/a"}}},
		{"unresolvable", "[[ <&> ]]", []ref{{"[[ <&> ]]", "<&>", ""}}},
		{"too long", "[[club/" + strings.Repeat("é", 300) + "]]", nil},
		{"none", "Du texte.", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := mustRender(t, tt.src, testOptions())
			var got []ref
			for _, l := range out.LinkRefs {
				got = append(got, ref{tt.src[l.Start:l.End], tt.src[l.TargetStart:l.TargetEnd], l.Path.String()})
			}
			if len(got) != len(tt.want) {
				t.Fatalf("LinkRefs = %+v (%q), want %q", out.LinkRefs, got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("link %d = %q, want %q", i, got[i], tt.want[i])
				}
			}
		})
	}
	t.Run("invalid UTF-8 gives no spans", func(t *testing.T) {
		// The spans would be into the cleaned text, not the caller's;
		// the wiki never saves such a text.
		out := mustRender(t, "\xff[[club/a]]", testOptions())
		if out.LinkRefs != nil || len(out.Links) != 1 {
			t.Errorf("LinkRefs = %+v, Links = %v", out.LinkRefs, out.Links)
		}
	})
}

// TestRenderer_Render_linkRefsRewrite rewrites every link of a page by
// slicing with its spans and renders the result again: the links point to
// the new targets and nothing else of the text changed.
func TestRenderer_Render_linkRefsRewrite(t *testing.T) {
	src := "---\r\ntitle: « Été »\r\n---\r\n# Été [[club/a]]\r\n\r\nÉlève : [[club/a|l'a]], [[ club/b#Sec ]], `[[club/a]]`.\r\n\r\n" +
		"[^n]: [[Connexion]]\r\n\r\nNote[^n].\r\n"
	out := mustRender(t, src, testOptions())
	if len(out.LinkRefs) != 4 {
		t.Fatalf("LinkRefs = %+v", out.LinkRefs)
	}
	got, err := wiki.RewriteLinks(src, out.LinkRefs, func(l wiki.LinkRef) (string, bool) {
		return "vie-scolaire/" + strings.ReplaceAll(l.Path.String(), "/", "-"), true
	})
	if err != nil {
		t.Fatal(err)
	}
	want := "---\r\ntitle: « Été »\r\n---\r\n# Été [[vie-scolaire/club-a]]\r\n\r\nÉlève : [[vie-scolaire/club-a|l'a]], [[ vie-scolaire/club-b#Sec ]], `[[club/a]]`.\r\n\r\n" +
		"[^n]: [[vie-scolaire/assistance-connexion]]\r\n\r\nNote[^n].\r\n"
	if got != want {
		t.Fatalf("rewritten:\n%q\nwant\n%q", got, want)
	}
	again, err := render.New(render.Options{}).Render(context.Background(), []byte(got), testOptions())
	if err != nil {
		t.Fatal(err)
	}
	if s := strings.Join(pathStrings(again.Links), " "); s != "vie-scolaire/assistance-connexion vie-scolaire/club-a vie-scolaire/club-b" {
		t.Errorf("links after the rewrite: %s", s)
	}
}

func pathStrings(ps []wiki.Path) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.String()
	}
	return out
}

// FuzzRenderer_Render_linkRefs checks that for any text every reported
// span slices to "[[…]]" holding its target, in order, without overlap.
func FuzzRenderer_Render_linkRefs(f *testing.F) {
	for _, s := range []string{
		"[[club/a]]", "---\ntitle: x\n---\n[[a|b]] [[c#d]]", "`[[x]]` \\[[y]] [[z]]", "[[é]]\r\n[[ à | ç ]]",
		"[^1]: [[a]]\n\n[[b]][^1]", "| [[a|b]] |\n|---|\n| [[c]] |", "> - [[a]]\n>\t[[b]]", "[[[a]]]", "[x [[a]]](u)",
	} {
		f.Add(s)
	}
	r := render.New(render.Options{})
	f.Fuzz(func(t *testing.T, src string) {
		out, err := r.Render(context.Background(), []byte(src), testOptions())
		if err != nil {
			return
		}
		prev, targets := 0, map[wiki.Path]bool{}
		for _, l := range out.LinkRefs {
			if !l.Path.IsZero() {
				targets[l.Path] = true
			}
			if l.Start < prev || l.End > len(src) || l.Start > l.TargetStart || l.TargetStart > l.TargetEnd || l.TargetEnd > l.End {
				t.Fatalf("span %+v out of order or bounds (previous end %d, %d bytes)", l, prev, len(src))
			}
			whole := src[l.Start:l.End]
			if !strings.HasPrefix(whole, "[[") || !strings.HasSuffix(whole, "]]") || l.End-l.Start < 4 {
				t.Fatalf("span %+v is %q", l, whole)
			}
			if l.TargetStart < l.Start+2 || l.TargetEnd > l.End-2 {
				t.Fatalf("target %+v outside the brackets of %q", l, whole)
			}
			prev = l.End
		}
		if utf8.ValidString(src) && !strings.Contains(src, "\x00") && len(targets) != len(out.Links) {
			t.Fatalf("links %v, but spans for %v only", out.Links, targets)
		}
		if _, err := wiki.RewriteLinks(src, out.LinkRefs, func(wiki.LinkRef) (string, bool) { return "x", true }); err != nil {
			t.Fatalf("RewriteLinks refused the renderer's spans: %v", err)
		}
	})
}
