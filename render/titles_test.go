package render_test

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/kdecole-club/clubwiki/render"
	"github.com/kdecole-club/clubwiki/wiki"
)

// titleOptions renders as assistance/guide with pages known by title:
// titles maps a path to its title, byTitle a title key to the page the
// resolver would choose. It counts the resolver's calls.
func titleOptions(titles map[string]string, byTitle map[string]string, calls *int) wiki.RenderOptions {
	opt := testOptions()
	opt.Existing = nil
	opt.Resolve = func(paths []wiki.Path, keys []string) wiki.LinkResolution {
		*calls++
		res := wiki.LinkResolution{Titles: map[wiki.Path]string{}, ByTitle: map[string]wiki.Path{}}
		for _, p := range paths {
			if t, ok := titles[p.String()]; ok {
				res.Titles[p] = t
			}
		}
		for _, k := range keys {
			if q, ok := byTitle[k]; ok {
				res.ByTitle[k] = wiki.MustPath(q)
				res.Titles[wiki.MustPath(q)] = titles[q]
			}
		}
		return res
	}
	return opt
}

func TestRenderer_Render_linksByTitle(t *testing.T) {
	titles := map[string]string{
		"assistance/connexion-impossible": "Connexion impossible à l'ENT",
		"club/charte":                     "Charte du club",
	}
	byTitle := map[string]string{wiki.TitleKey("Connexion impossible à l'ENT"): "assistance/connexion-impossible"}
	tests := []struct {
		name, src, want string
		links           []string
	}{
		{"a title links to its page and shows the title", "[[connexion  impossible à l'ENT]]",
			`<a href="/wiki/assistance/connexion-impossible" class="wikilink">Connexion impossible à l&#39;ENT</a>`,
			[]string{"assistance/connexion-impossible"}},
		{"a label is kept", "[[Connexion impossible à l'ENT|voir ici]]",
			`<a href="/wiki/assistance/connexion-impossible" class="wikilink">voir ici</a>`, []string{"assistance/connexion-impossible"}},
		{"an anchor is kept", "[[Connexion impossible à l'ENT#Solution]]",
			`href="/wiki/assistance/connexion-impossible#h-solution"`, []string{"assistance/connexion-impossible"}},
		{"a path without a label shows the title", "[[club/charte]]",
			`<a href="/wiki/club/charte" class="wikilink">Charte du club</a>`, []string{"club/charte"}},
		{"an unknown title is a missing link", "[[Rien de tel]]",
			`<a href="/wiki/assistance/rien-de-tel" class="wikilink missing">Rien de tel</a>`, []string{"assistance/rien-de-tel"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			calls := 0
			out := mustRender(t, tt.src, titleOptions(titles, byTitle, &calls))
			if !strings.Contains(out.HTML, tt.want) {
				t.Errorf("HTML = %s\nwant it to hold %s", out.HTML, tt.want)
			}
			var got []string
			for _, p := range out.Links {
				got = append(got, p.String())
			}
			if !reflect.DeepEqual(got, tt.links) {
				t.Errorf("Links = %v, want %v", got, tt.links)
			}
			if calls != 1 {
				t.Errorf("Resolve called %d times, want 1", calls)
			}
		})
	}
	t.Run("the link refs say which links went by title", func(t *testing.T) {
		calls := 0
		out := mustRender(t, "[[club/charte]] [[Connexion impossible à l'ENT]]", titleOptions(titles, byTitle, &calls))
		if len(out.LinkRefs) != 2 || out.LinkRefs[0].ByTitle || !out.LinkRefs[1].ByTitle {
			t.Errorf("LinkRefs = %+v", out.LinkRefs)
		}
	})
	t.Run("a live path wins over a title", func(t *testing.T) {
		calls := 0
		ts := map[string]string{"assistance/charte-du-club": "Autre charte", "club/charte": "Charte du club"}
		out := mustRender(t, "[[Charte du club]]", titleOptions(ts, map[string]string{wiki.TitleKey("Charte du club"): "club/charte"}, &calls))
		if !strings.Contains(out.HTML, `href="/wiki/assistance/charte-du-club" class="wikilink">Autre charte<`) {
			t.Errorf("HTML = %s", out.HTML)
		}
	})
	t.Run("one call for many links", func(t *testing.T) {
		calls := 0
		src := strings.Repeat("[[Connexion impossible à l'ENT]] [[club/charte]] [[x]]\n", 200)
		mustRender(t, src, titleOptions(titles, byTitle, &calls))
		if calls != 1 {
			t.Errorf("Resolve called %d times", calls)
		}
	})
}

// FuzzRenderer_Render_titles renders any text where every title a link
// names is a page whose title is hostile HTML: the HTML stays safe, valid
// UTF-8, and the resolver is asked once at most.
func FuzzRenderer_Render_titles(f *testing.F) {
	f.Add("[[Accès à l'ENT]] [[club/charte]] [[x|y]] [[#ancre]]")
	f.Add("[[ <b>titre</b> ]] [[a/b/c#d|e]]")
	r := render.New(render.Options{})
	f.Fuzz(func(t *testing.T, src string) {
		calls := 0
		opt := testOptions()
		opt.Existing = nil
		opt.Resolve = func(paths []wiki.Path, keys []string) wiki.LinkResolution {
			calls++
			res := wiki.LinkResolution{Titles: map[wiki.Path]string{}, ByTitle: map[string]wiki.Path{}}
			for _, p := range paths {
				res.Titles[p] = `<script>alert(1)</script>` + p.String()
			}
			for _, k := range keys {
				if k != wiki.TitleKey(k) {
					t.Fatalf("key %q is not a TitleKey", k)
				}
				res.ByTitle[k] = wiki.MustPath("club/titre")
				res.Titles[wiki.MustPath("club/titre")] = `<img src=x onerror=alert(1)>` + k
			}
			return res
		}
		out, err := r.Render(context.Background(), []byte(src), opt)
		if calls > 1 {
			t.Fatalf("Resolve called %d times", calls)
		}
		if err != nil {
			return // FuzzRenderer_Render checks which errors may come
		}
		if !utf8.ValidString(out.HTML) {
			t.Fatalf("HTML is not valid UTF-8: %q", out.HTML)
		}
		checkSafe(t, out.HTML)
	})
}
