package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/kdecole-club/clubwiki/wiki"
)

func TestLinkWords(t *testing.T) {
	t.Parallel()
	from, _ := wiki.ParsePath("assistance/accueil")
	target, _ := wiki.ParsePath("assistance/probleme-de-connexion-a-l-ent")
	tests := []struct{ name, md, want string }{
		{"relative", "Voir [[Problème de connexion à l'ENT]].", "Problème de connexion à l'ENT"},
		{"with namespace and anchor", "[[assistance/Problème de connexion à l'ENT#Cause|la cause]]", "Problème de connexion à l'ENT"},
		{"slug with a label", "[[probleme-de-connexion-a-l-ent|Connexion à l'ENT]]", "Connexion à l'ENT"},
		{"slug alone", "[[assistance/probleme-de-connexion-a-l-ent]]", ""},
		{"another page first", "[[Autre page]] puis [[Problème de connexion à l'ENT]]", "Problème de connexion à l'ENT"},
		{"not closed on its line", "[[Problème de connexion\nà l'ENT]]", ""},
		{"none", "Pas de lien.", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := linkWords(tt.md, from, target); got != tt.want {
				t.Errorf("linkWords = %q, want %q", got, tt.want)
			}
		})
	}
}

func FuzzLinkWords(f *testing.F) {
	from, _ := wiki.ParsePath("assistance/accueil")
	target, _ := wiki.ParsePath("assistance/probleme-de-connexion-a-l-ent")
	f.Add("Voir [[Problème de connexion à l'ENT|x]] [[")
	f.Add("[[[[]]]]")
	f.Fuzz(func(t *testing.T, md string) {
		got := linkWords(md, from, target)
		if got != "" && !strings.Contains(md, got) {
			t.Errorf("linkWords(%q) = %q, not from the text", md, got)
		}
	})
}

// countingRenderer counts the pages rendered.
type countingRenderer struct {
	wiki.Renderer
	n atomic.Int64
}

func (r *countingRenderer) Render(ctx context.Context, src []byte, opt wiki.RenderOptions) (*wiki.Rendered, error) {
	r.n.Add(1)
	return r.Renderer.Render(ctx, src, opt)
}

// TestServer_MissingPageTitle_renders checks that the title a missing page is
// offered under comes from the words of a link to it, and that finding them
// renders none of the linking pages, also for a reader kept out of a
// namespace, whose renderings are not cached.
func TestServer_MissingPageTitle_renders(t *testing.T) {
	t.Parallel()
	r := &countingRenderer{}
	e := newTestEnvWith(t, envOptions{
		readRule:     hideMarchesFrom("remi"),
		wrapRenderer: func(in wiki.Renderer) wiki.Renderer { r.Renderer = in; return r },
		server:       Options{LoginDelay: -1},
	})
	// The first four links say no more than the path: all five
	// linking pages are read.
	for i := range 4 {
		e.save("club/lien-"+strconv.Itoa(i), "Voir [[club/page-a-creer]].\n", 0, http.StatusCreated)
	}
	e.save("club/lien-4", "Voir [[club/page-a-creer|Page à créer]].\n", 0, http.StatusCreated)
	e.save("marches/cache", "Voir [[club/page-a-creer|Mot caché]].\n", 0, http.StatusCreated)
	for _, login := range []string{"edith", "remi"} {
		t.Run(login, func(t *testing.T) {
			b := e.signIn(login)
			for i := range 2 {
				before := r.n.Load()
				doc := page(t, b.get("/wiki/club/page-a-creer"), http.StatusNotFound)
				if got := text(doc, "main h1"); got != "Page à créer" {
					t.Errorf("view %d: title %q, want the words of the links", i, got)
				}
				if n := r.n.Load() - before; n != 0 {
					t.Errorf("view %d rendered %d pages to find a title", i, n)
				}
			}
		})
	}
}
