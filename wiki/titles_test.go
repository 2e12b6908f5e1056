package wiki_test

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/kdecole-club/clubwiki/wiki"
	"golang.org/x/text/unicode/norm"
)

func TestTitleKey(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"case folded", "Accès à l'ENT", "accès à l'ent"},
		{"blanks trimmed and collapsed", "  Accès \t à  l'ENT \n", "accès à l'ent"},
		{"NFD composed", "Acce\u0300s", "accès"},
		{"accents count", "Acces", "acces"},
		{"only blanks", " \t ", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := wiki.TitleKey(tt.in); got != tt.want {
				t.Errorf("TitleKey(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// titleFixture is a service where marches is read by admins only.
func titleFixture(t *testing.T) (*fixture, *wiki.User) {
	f := newFixture(t, wiki.Config{ReadRule: func(u *wiki.User, ns string) bool { return ns != "marches" || u.Role == wiki.RoleAdmin }})
	return f, f.user(t, "chef", wiki.RoleAdmin)
}

func (f *fixture) html(t *testing.T, u *wiki.User, path string) *wiki.PageView {
	t.Helper()
	pv, err := f.svc.Page(f.ctx, u, wiki.MustPath(path), 0)
	if err != nil {
		t.Fatalf("Page(%s): %v", path, err)
	}
	return pv
}

func backlinkPaths(t *testing.T, f *fixture, u *wiki.User, path string) []string {
	t.Helper()
	bl, err := f.svc.Backlinks(f.ctx, u, wiki.MustPath(path))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, h := range bl {
		out = append(out, h.Path.String())
	}
	return out
}

func TestService_Page_linksByTitle(t *testing.T) {
	f, admin := titleFixture(t)
	f.save(t, "usages/acces", "# Accès à l'ENT\n", 0)
	f.save(t, "club/acces-club", "# Accès à l'ENT\n", 0)
	f.save(t, "usages/guide", "# Guide\n\n[[accès  à l'ENT]] et [[club/acces-club]] et [[Accès à l'ENT|ici]]\n", 0)
	f.save(t, "portails/vue", "# Vue\n\n[[Accès à l'ENT]]\n", 0)
	t.Run("own namespace first, label shows the title", func(t *testing.T) {
		html := f.html(t, f.reader, "usages/guide").HTML
		for _, want := range []string{
			`<a href="/wiki/usages/acces" class="wikilink">Accès à l&#39;ENT</a>`,
			`<a href="/wiki/club/acces-club" class="wikilink">Accès à l&#39;ENT</a>`,
			`<a href="/wiki/usages/acces" class="wikilink">ici</a>`,
		} {
			if !strings.Contains(html, want) {
				t.Errorf("HTML = %s\nwant %s", html, want)
			}
		}
	})
	t.Run("else the first by path", func(t *testing.T) {
		if html := f.html(t, f.reader, "portails/vue").HTML; !strings.Contains(html, `href="/wiki/club/acces-club" class="wikilink"`) {
			t.Errorf("HTML = %s", html)
		}
	})
	t.Run("backlinks by title", func(t *testing.T) {
		if got := backlinkPaths(t, f, f.reader, "usages/acces"); !slices.Equal(got, []string{"usages/guide"}) {
			t.Errorf("backlinks = %v", got)
		}
	})
	t.Run("a page the reader may not read stays missing, without its title", func(t *testing.T) {
		if _, err := f.svc.Save(f.ctx, admin, wiki.SaveRequest{Path: wiki.MustPath("marches/contrat"), Markdown: "# Contrat du prestataire\n"}); err != nil {
			t.Fatal(err)
		}
		f.save(t, "usages/renvoi", "# Renvoi\n\n[[contrat DU prestataire]] [[marches/contrat]]\n", 0)
		pv := f.html(t, f.editor, "usages/renvoi")
		if strings.Contains(pv.HTML, "Contrat du prestataire") || strings.Count(pv.HTML, "wikilink missing") != 2 {
			t.Errorf("a member kept out sees %s", pv.HTML)
		}
		if got := backlinkPaths(t, f, admin, "marches/contrat"); !slices.Equal(got, []string{"usages/renvoi"}) {
			t.Errorf("backlinks for the admin = %v", got)
		}
		adm := f.html(t, admin, "usages/renvoi")
		if strings.Count(adm.HTML, `href="/wiki/marches/contrat" class="wikilink">Contrat du prestataire</a>`) != 2 || strings.Contains(adm.HTML, "missing") {
			t.Errorf("the admin sees %s", adm.HTML)
		}
	})
}

func TestService_Page_titlesFollow(t *testing.T) {
	f, _ := titleFixture(t)
	f.save(t, "usages/lien", "# Lien\n\n[[Sujet tardif]] et [[usages/sujet]]\n", 0)
	before := f.html(t, f.reader, "usages/lien")
	if strings.Count(before.HTML, "wikilink missing") != 2 {
		t.Fatalf("before: %s", before.HTML)
	}
	t.Run("a page created with the title others link to", func(t *testing.T) {
		f.save(t, "usages/sujet", "# Sujet tardif\n", 0)
		after := f.html(t, f.reader, "usages/lien")
		if strings.Contains(after.HTML, "missing") || strings.Count(after.HTML, `href="/wiki/usages/sujet" class="wikilink">Sujet tardif</a>`) != 2 {
			t.Errorf("after: %s", after.HTML)
		}
		if got := backlinkPaths(t, f, f.reader, "usages/sujet"); !slices.Equal(got, []string{"usages/lien"}) {
			t.Errorf("backlinks = %v", got)
		}
	})
	t.Run("a title change", func(t *testing.T) {
		old := f.html(t, f.reader, "usages/lien")
		f.save(t, "usages/sujet", "# Sujet renommé\n", 1)
		now := f.html(t, f.reader, "usages/lien")
		if now.ETag == old.ETag || !strings.Contains(now.HTML, `href="/wiki/usages/sujet" class="wikilink">Sujet renommé</a>`) ||
			!strings.Contains(now.HTML, `class="wikilink missing">Sujet tardif</a>`) {
			t.Errorf("after the title change (etag %s, was %s): %s", now.ETag, old.ETag, now.HTML)
		}
	})
}

func TestService_Save_linkToOwnNewTitle(t *testing.T) {
	f, admin := titleFixture(t)
	f.save(t, "club/autre", "# Mon sujet\n", 0)
	f.save(t, "usages/page", "# Ancien\n\n[[Mon sujet]]\n", 0)
	f.save(t, "usages/page", "# Mon sujet\n\n[[Mon sujet]]\n", 1)
	if html := f.html(t, admin, "usages/page").HTML; !strings.Contains(html, `href="/wiki/usages/page" class="wikilink"`) {
		t.Errorf("the page retitled does not link to itself by its new title: %s", html)
	}
}

func TestService_PagesTitled(t *testing.T) {
	f, admin := titleFixture(t)
	f.save(t, "usages/acces", "# Accès à l'ENT\n", 0)
	if _, err := f.svc.Save(f.ctx, admin, wiki.SaveRequest{Path: wiki.MustPath("marches/acces"), Markdown: "# Accès à l'ENT\n"}); err != nil {
		t.Fatal(err)
	}
	paths := func(u *wiki.User, title string) []string {
		hs, err := f.svc.PagesTitled(f.ctx, u, title)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, h := range hs {
			out = append(out, h.Path.String())
		}
		return out
	}
	t.Run("the reader's pages only", func(t *testing.T) {
		if got := paths(f.reader, " accès à l'ent "); !slices.Equal(got, []string{"usages/acces"}) {
			t.Errorf("reader: %v", got)
		}
		if got := paths(admin, "Accès à l'ENT"); !slices.Equal(got, []string{"marches/acces", "usages/acces"}) {
			t.Errorf("admin: %v", got)
		}
	})
	t.Run("no title", func(t *testing.T) {
		if got := paths(f.reader, "  "); len(got) != 0 {
			t.Errorf("blank: %v", got)
		}
	})
}

// FuzzTitleKey checks that a title key is its own key, with no blank at
// either end nor two in a row, NFC, and valid UTF-8 for a valid title.
func FuzzTitleKey(f *testing.F) {
	f.Add("Accès à l'ENT")
	f.Add("  Acce\u0300s \t\u00a0 à  ")
	f.Fuzz(func(t *testing.T, title string) {
		k := wiki.TitleKey(title)
		if again := wiki.TitleKey(k); again != k {
			t.Fatalf("TitleKey(%q) = %q, whose key is %q", title, k, again)
		}
		if strings.TrimSpace(k) != k || strings.Contains(k, "  ") {
			t.Fatalf("blanks left in %q", k)
		}
		if !norm.NFC.IsNormalString(k) {
			t.Fatalf("%q is not NFC", k)
		}
		if utf8.ValidString(title) && !utf8.ValidString(k) {
			t.Fatalf("%q is not valid UTF-8", k)
		}
	})
}
