package render_test

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/kdecole-club/clubwiki/render"
	"github.com/kdecole-club/clubwiki/wiki"
)

func TestRenderer_Render_headings(t *testing.T) {
	src := "# Problème d'accès à l'ENT\n\n## Problème d'accès à l'ENT\n\n## Problème d'accès à l'ENT\n\n" +
		"### probleme-d-acces-a-l-ent-1\n\n#### ???\n\n##### 🎉\n\n###### Entrée/Sortie *du* `CDI`\n\nTitre souligné\n---\n"
	out := mustRender(t, src, testOptions())
	want := []wiki.Heading{
		{Level: 1, Text: "Problème d'accès à l'ENT", ID: "h-probleme-d-acces-a-l-ent"},
		{Level: 2, Text: "Problème d'accès à l'ENT", ID: "h-probleme-d-acces-a-l-ent-1"},
		{Level: 2, Text: "Problème d'accès à l'ENT", ID: "h-probleme-d-acces-a-l-ent-2"},
		{Level: 3, Text: "probleme-d-acces-a-l-ent-1", ID: "h-probleme-d-acces-a-l-ent-1-1"},
		{Level: 4, Text: "???", ID: "h-section"},
		{Level: 5, Text: "🎉", ID: "h-section-1"},
		{Level: 6, Text: "Entrée/Sortie du CDI", ID: "h-entree-sortie-du-cdi"},
		{Level: 2, Text: "Titre souligné", ID: "h-titre-souligne"},
	}
	if !reflect.DeepEqual(out.Headings, want) {
		t.Errorf("Headings =\n%#v\nwant\n%#v", out.Headings, want)
	}
	seen := map[string]bool{}
	for _, h := range out.Headings {
		if seen[h.ID] {
			t.Errorf("id %q used twice", h.ID)
		}
		seen[h.ID] = true
		if !strings.Contains(out.HTML, ` id="`+h.ID+`"`) {
			t.Errorf("id %q not in HTML", h.ID)
		}
	}
	t.Run("a long id is cut without a trailing dash", func(t *testing.T) {
		word := strings.Repeat("a", 79) // the cut at 80 bytes falls on the dash after it
		out := mustRender(t, "# "+word+" suite\n", testOptions())
		if len(out.Headings) != 1 || out.Headings[0].ID != "h-"+word {
			t.Errorf("Headings = %+v, want the id %q", out.Headings, word)
		}
	})
}

func TestRenderer_Render_wikiLinks(t *testing.T) {
	tests := []struct {
		name string
		src  string
		opt  wiki.RenderOptions
		want string // substring of the HTML
	}{
		{"relative to the page namespace", "[[Problème de connexion]]", testOptions("assistance/probleme-de-connexion"),
			`<a href="/wiki/assistance/probleme-de-connexion" class="wikilink">Problème de connexion</a>`},
		{"missing page", "[[club/Page à créer]]", testOptions(),
			`<a href="/wiki/club/page-a-creer" class="wikilink missing">club/Page à créer</a>`},
		{"label", "[[club/reglement|le règlement]]", testOptions("club/reglement"),
			`<a href="/wiki/club/reglement" class="wikilink">le règlement</a>`},
		{"empty label is the target", "[[club/reglement| ]]", testOptions("club/reglement"),
			`<a href="/wiki/club/reglement" class="wikilink">club/reglement</a>`},
		{"anchor", "[[club/reglement#Article 3 : Sanctions|art. 3]]", testOptions("club/reglement"),
			`<a href="/wiki/club/reglement#h-article-3-sanctions" class="wikilink">art. 3</a>`},
		{"first segment not a namespace", "[[imprimantes/B204]]", testOptions(),
			`href="/wiki/assistance/imprimantes/b204"`},
		{"no IsNamespace: relative to the page", "[[club/x]]", wiki.RenderOptions{Page: wiki.MustPath("assistance/guide")},
			`<a href="assistance/club/x" class="wikilink">`},
		{"no page: multi-segment as written", "[[Club/X]]", wiki.RenderOptions{},
			`<a href="club/x" class="wikilink">Club/X</a>`},
		{"no page: one segment is text", "[[seul]]", wiki.RenderOptions{}, `<p>[[seul]]</p>`},
		{"invalid target is escaped text", "[[ <&> ]]", testOptions(), `<p>[[ &lt;&amp;&gt; ]]</p>`},
		{"label is escaped", `[[club/a|<img src=x onerror=alert(1)>]]`, testOptions("club/a"),
			`<a href="/wiki/club/a" class="wikilink">&lt;img src=x onerror=alert(1)&gt;</a>`},
		{"code span stays literal", "`[[club/a]]`", testOptions(), `<code>[[club/a]]</code>`},
		{"code block stays literal", "```\n[[club/a]]\n```", testOptions(), `<code>[[club/a]]`},
		{"too long", "[[club/" + strings.Repeat("a", 300) + "]]", testOptions(), `<p>[[club/aaaa`},
		{"inside a markdown link", "[voir [[club/a]]](https://example.org)", testOptions(),
			`<a href="https://example.org" rel="nofollow noopener">voir club/a</a>`},
	}
	r := render.New(render.Options{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := r.Render(context.Background(), []byte(tt.src), tt.opt)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(out.HTML, tt.want) {
				t.Errorf("HTML = %s\nwant it to contain %s", out.HTML, tt.want)
			}
		})
	}
}

func TestRenderer_Render_links(t *testing.T) {
	calls := 0
	var asked []wiki.Path
	opt := testOptions("club/a")
	existing := opt.Existing
	opt.Existing = func(paths []wiki.Path) map[wiki.Path]bool {
		calls++
		asked = paths
		return existing(paths)
	}
	src := "[[club/b]] [[club/a]] [[Club/A|encore]] [[x]] [[ ?? ]] `[[club/code]]`\n\n" +
		"- [[vie-scolaire/Absences]]\n\n| [[club/b]] |\n|---|\n| [[club/c]] |\n"
	out := mustRender(t, src, opt)
	want := []wiki.Path{
		wiki.MustPath("assistance/x"), wiki.MustPath("club/a"), wiki.MustPath("club/b"),
		wiki.MustPath("club/c"), wiki.MustPath("vie-scolaire/absences"),
	}
	if !reflect.DeepEqual(out.Links, want) {
		t.Errorf("Links = %v, want %v", out.Links, want)
	}
	if calls != 1 || !reflect.DeepEqual(asked, want) {
		t.Errorf("Existing called %d times with %v, want once with %v", calls, asked, want)
	}
	if n := strings.Count(out.HTML, `class="wikilink missing"`); n != 5 {
		t.Errorf("%d missing links, want 5 (everything but club/a): %s", n, out.HTML)
	}

	t.Run("no links: Existing not called, empty slice", func(t *testing.T) {
		calls = 0
		out := mustRender(t, "Rien ici.", opt)
		if calls != 0 || out.Links == nil || len(out.Links) != 0 {
			t.Errorf("calls = %d, Links = %#v", calls, out.Links)
		}
	})
}

func TestRenderer_Render_text(t *testing.T) {
	src := "---\nsecret: ne pas indexer\n---\n# Titre *accentué* é\n\nUn paragraphe avec un [lien](https://example.org) et [[club/a|une page]],\n" +
		"un `bout de code` et <span>du HTML</span> &amp; des entités\\*.\n\n<div>\nbloc HTML ignoré\n</div>\n\n" +
		"- premier point\n- second point\n\n| Colonne | Autre |\n|---|---|\n| cellule | case |\n\n```\nfunc main() {}\n```\n\n![une image](i.png)\n"
	got := mustRender(t, src, testOptions()).Text
	want := "Titre accentué é\n" +
		"Un paragraphe avec un lien et une page, un bout de code et du HTML & des entités*.\n" +
		"premier point\nsecond point\n" +
		"Colonne\tAutre\ncellule\tcase\n" +
		"func main() {}\n" +
		"une image"
	if got != want {
		t.Errorf("Text =\n%q\nwant\n%q", got, want)
	}
	for _, bad := range []string{"secret", "ignoré", "<", "**", "]("} {
		if strings.Contains(got, bad) {
			t.Errorf("Text contains %q", bad)
		}
	}
}

// TestRenderer_Render_concurrent shares one Renderer between goroutines;
// run with -race.
func TestRenderer_Render_concurrent(t *testing.T) {
	r := render.New(render.Options{})
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range 20 {
				src := fmt.Sprintf("# Page %d-%d\n\n[[club/p%d]] et [[club/q%d]]\n", i, j, i, j)
				out, err := r.Render(context.Background(), []byte(src), testOptions())
				if err != nil {
					t.Error(err)
					return
				}
				if want := fmt.Sprintf("Page %d-%d", i, j); out.Title != want {
					t.Errorf("Title = %q, want %q", out.Title, want)
				}
				if len(out.Links) != 2 {
					t.Errorf("Links = %v", out.Links)
				}
			}
		}()
	}
	wg.Wait()
}
