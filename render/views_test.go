package render

import (
	"context"
	"strings"
	"testing"

	"github.com/kdecole-club/clubwiki/wiki"
)

func TestRenderer_Views(t *testing.T) {
	r := New(Options{})
	render := func(t *testing.T, md string) *wiki.Rendered {
		t.Helper()
		out, err := r.Render(context.Background(), []byte(md), wiki.RenderOptions{})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	t.Run("a vue block becomes a placeholder", func(t *testing.T) {
		out := render(t, "# Axe\n\n## Ouvertes\n\n```vue\ntype:resolution\n-statut:resolu\n```\n\n```vue table colonnes=version\ntype:fiche-projet\n```\n")
		want := []wiki.ViewBlock{{Info: "", Query: "type:resolution -statut:resolu"}, {Info: "table colonnes=version", Query: "type:fiche-projet"}}
		if len(out.Views) != 2 || out.Views[0] != want[0] || out.Views[1] != want[1] {
			t.Fatalf("views %+v, want %+v", out.Views, want)
		}
		for i := range want {
			if !strings.Contains(out.HTML, wiki.ViewPlaceholder(i)) {
				t.Errorf("no placeholder %d in %s", i, out.HTML)
			}
		}
		if strings.Contains(out.HTML, "<pre") || strings.Contains(out.Text, "type:resolution") {
			t.Errorf("the query shows as code or text: %s / %q", out.HTML, out.Text)
		}
	})
	t.Run("other fences stay code", func(t *testing.T) {
		out := render(t, "```go\nx := 1\n```\n\n```vuex\ntype:a\n```\n\n```\nvue\n```\n")
		if len(out.Views) != 0 || strings.Count(out.HTML, "<pre>") != 3 || !strings.Contains(out.HTML, `class="language-go"`) {
			t.Fatalf("views %v, html %s", out.Views, out.HTML)
		}
	})
	t.Run("views are bounded", func(t *testing.T) {
		out := render(t, strings.Repeat("```vue\nx\n```\n\n", wiki.MaxViews+2))
		if len(out.Views) != wiki.MaxViews || strings.Count(out.HTML, `class="wiki-view"`) != wiki.MaxViews || strings.Count(out.HTML, "<pre>") != 2 {
			t.Fatalf("%d views, html %s", len(out.Views), out.HTML)
		}
	})
	t.Run("a placeholder cannot be typed", func(t *testing.T) {
		out := render(t, "<div class=\"wiki-view\" data-view=\"0\"></div>\n\ntext <div class=\"wiki-view\" data-view=\"0\"></div>\n")
		if strings.Contains(out.HTML, wiki.ViewPlaceholder(0)) {
			t.Fatalf("typed placeholder rendered: %s", out.HTML)
		}
	})
}
