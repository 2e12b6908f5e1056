package render_test

import (
	"context"
	"strings"
	"testing"

	"github.com/kdecole-club/clubwiki/render"
)

// TestRenderer_Render_body checks that the body is the HTML without the
// heading the page's title comes from, only when the page starts with it,
// and that the heading list, its ids and the full HTML are unchanged.
func TestRenderer_Render_body(t *testing.T) {
	tests := []struct {
		name, src string
		title     string // the heading dropped from the body, "" for none
	}{
		{"title heading first", "# Réunion du club\n\nDu texte.\n\n## Présents\n", "Réunion du club"},
		{"setext heading", "Réunion du club\n===============\n\nDu texte.\n", "Réunion du club"},
		{"title from front matter, same heading", "---\ntitle: Réunion du club\n---\n# Réunion du club\n\nDu texte.\n", "Réunion du club"},
		{"title from front matter, other heading", "---\ntitle: Compte rendu\n---\n# Réunion du club\n\nDu texte.\n", ""},
		{"title from front matter, no heading", "---\ntitle: Compte rendu\n---\nDu texte.\n", ""},
		{"no heading", "Du texte.\n\n## Présents\n", ""},
		{"heading not at the start", "Du texte.\n\n# Réunion du club\n", ""},
		{"level-2 heading first", "## Présents\n\n# Réunion du club\n", ""},
		{"heading in a quote", "> # Réunion du club\n\nDu texte.\n", ""},
		{"after a link definition", "[site]: https://example.org\n\n# Réunion du club\n\nVoir [site].\n", "Réunion du club"},
		{"after omitted raw HTML", "<div>x</div>\n\n# Réunion du club\n\nDu texte.\n", "Réunion du club"},
		{"only the heading", "# Réunion du club\n", "Réunion du club"},
		{"heading with markup", "# Réunion *du* [[club/a|club]]\n\nDu texte.\n", "Réunion du club"},
		{"CRLF", "# Réunion du club\r\n\r\nDu texte.\r\n", "Réunion du club"},
		{"empty page", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := mustRender(t, tt.src, testOptions("club/a"))
			body := out.Body()
			if !strings.HasSuffix(out.HTML, body) || len(body) != len(out.HTML)-out.BodyStart {
				t.Fatalf("Body() %q is not the end of HTML %q at %d", body, out.HTML, out.BodyStart)
			}
			head := out.HTML[:out.BodyStart]
			if tt.title == "" {
				if out.BodyStart != 0 {
					t.Errorf("BodyStart = %d, want 0: dropped %q", out.BodyStart, head)
				}
				return
			}
			if !strings.HasPrefix(head, `<h1 id="`+out.Headings[0].ID+`">`) || !strings.HasSuffix(head, "</h1>\n") || strings.Count(head, "<h1") != 1 {
				t.Errorf("head of HTML = %q, want the title heading alone", head)
			}
			if out.Headings[0].Text != tt.title || out.Headings[0].Level != 1 {
				t.Errorf("Headings[0] = %+v, want the title heading %q", out.Headings[0], tt.title)
			}
			if strings.Contains(body, "<h1") {
				t.Errorf("Body() still has a level-1 heading: %q", body)
			}
			if strings.HasPrefix(body, "\n") {
				t.Errorf("Body() starts with a blank line: %q", body)
			}
		})
	}
}

// TestRenderer_Render_bodyKeepsHeadings checks that dropping the title
// heading from the body changes neither the heading list nor the ids: the
// table of contents still points into the body, whose ids do not restart.
func TestRenderer_Render_bodyKeepsHeadings(t *testing.T) {
	src := "# Titre\n\n## Titre\n\n## Suite\n\nVoir [[club/a#Titre]].\n"
	out := mustRender(t, src, testOptions("club/a"))
	if len(out.Headings) != 3 || out.Headings[0].ID != "h-titre" || out.Headings[1].ID != "h-titre-1" {
		t.Fatalf("Headings = %+v", out.Headings)
	}
	for _, h := range out.Headings[1:] {
		if !strings.Contains(out.Body(), `id="`+h.ID+`"`) {
			t.Errorf("the contents link to #%s, which the body does not have: %s", h.ID, out.Body())
		}
	}
	if strings.Contains(out.Body(), `id="h-titre"`) {
		t.Errorf("the body kept the title heading: %s", out.Body())
	}
	whole := mustRender(t, "Avant.\n\n"+src, testOptions("club/a"))
	if strings.TrimPrefix(whole.HTML, "<p>Avant.</p>\n") != out.HTML {
		t.Errorf("HTML differs from the same page's without a body cut:\n%s\n%s", out.HTML, whole.HTML)
	}
}

// FuzzRenderer_Render_body checks on any text that the body cut is a whole
// title heading, and that sanitizing the heading apart from the body gives
// the HTML the same text gets when nothing is cut (a paragraph before it).
func FuzzRenderer_Render_body(f *testing.F) {
	for _, s := range []string{
		"# Titre\n\nTexte.", "Titre\n===\n", "# Titre[^1]\n\n[^1]: note", "<div>\n\n# Titre *x*\n\n## Suite",
		"# <script>alert(1)</script>\n\n<b>x</b>", "# `code` & [[club/a|A]]\n\n- a\n", "#\n\ntexte", "# a\n# a\n",
	} {
		f.Add(s)
	}
	r := render.New(render.Options{})
	f.Fuzz(func(t *testing.T, src string) {
		if strings.HasPrefix(src, "---") || strings.HasPrefix(src, "\uFEFF") {
			return // front matter: the text before would end it
		}
		out, err := r.Render(context.Background(), []byte(src), testOptions("club/a"))
		if err != nil {
			return
		}
		if head := out.HTML[:out.BodyStart]; out.BodyStart > 0 && (!strings.HasPrefix(head, "<h1 ") || !strings.HasSuffix(head, "</h1>\n") || strings.Count(head, "</h1>") != 1) {
			t.Fatalf("the cut %q is not one heading", head)
		}
		whole, err := r.Render(context.Background(), []byte("Avant.\n\n"+src), testOptions("club/a"))
		if err != nil {
			return
		}
		if whole.BodyStart != 0 || whole.HTML != "<p>Avant.</p>\n"+out.HTML {
			t.Fatalf("cut at %d:\n%q\nuncut:\n%q", out.BodyStart, out.HTML, whole.HTML)
		}
	})
}
