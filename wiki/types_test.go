package wiki_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/kdecole-club/clubwiki/wiki"
)

// checkCase is a front matter and whether the default types accept it.
type checkCase struct {
	name, md string
	field    string // the field refused; "" when accepted
	line     int
}

func fm(lines ...string) string {
	return "---\n" + strings.Join(lines, "\n") + "\n---\n\n# Page\n"
}

func TestPageTypes_Check(t *testing.T) {
	tests := []checkCase{
		{name: "no type", md: "# Libre\n"},
		{name: "unknown type is free", md: fm("type: recette", "statut: n'importe")},
		{name: "seed accueil type is free", md: fm("type: accueil")},
		{name: "resolution statut with accents", md: fm("type: resolution", "statut: résolu")},
		{name: "resolution statut without accents nor case", md: fm("type: Résolution", "statut: CONTOURNE")},
		{name: "resolution statut wrong", md: fm("type: resolution", "statut: fini"), field: "statut", line: 3},
		{name: "resolution statut a list", md: fm("type: resolution", "statut: [ouvert]"), field: "statut", line: 3},
		{name: "status read as statut", md: fm("type: resolution", "status: fini"), field: "status", line: 3},
		{name: "status right", md: fm("type: resolution", "status: Ouvert")},
		{name: "projets list", md: fm("type: resolution", "projets: [e-lyco, ENT-MIP]")},
		{name: "projets one", md: fm("type: resolution", "projets: ecollege-31")},
		{name: "projets block list", md: fm("type: resolution", "projets:", "  - cyber-colleges-42", "  - e-lyco")},
		{name: "projets wrong", md: fm("type: resolution", "titre: x", "projets: [e-lyco, lyon]"), field: "projets", line: 4},
		{name: "projects read as projets", md: fm("type: resolution", "projects: [paris]"), field: "projects", line: 3},
		{name: "projets nested", md: fm("type: resolution", "projets: [[e-lyco]]"), field: "projets", line: 3},
		{name: "version text", md: fm("type: resolution", "version: 5.10")},
		{name: "version list", md: fm("type: resolution", "version: [5, 6]"), field: "version", line: 3},
		{name: "services list", md: fm("type: resolution", "services: [messagerie, cahier de textes]")},
		{name: "services mapping", md: fm("type: resolution", "services: {a: b}"), field: "services", line: 3},
		{name: "date right", md: fm("type: resolution", "date: 2026-11-30")},
		{name: "date wrong", md: fm("type: resolution", "date: 30/11/2026"), field: "date", line: 3},
		{name: "date impossible", md: fm("type: compte-rendu", "date: 2026-02-30"), field: "date", line: 3},
		{name: "empty field", md: fm("type: resolution", "statut:", "projets: []", "date:")},
		{name: "other keys free", md: fm("type: resolution", "tags: [x]", "auteur: moi")},
		{name: "bonne-pratique validee", md: fm("type: bonne-pratique", "statut: Validée", "projets: [e-lyco]")},
		{name: "bonne-pratique resolu refused", md: fm("type: bonne-pratique", "statut: résolu"), field: "statut", line: 3},
		{name: "compte-rendu participants", md: fm("type: compte-rendu", "date: 2026-12-01", "participants: [Anne, Paul]")},
		{name: "fiche-projet number", md: fm("type: fiche-projet", "etablissements: 120", "editeur: Kosmos")},
		{name: "fiche-projet negative", md: fm("type: fiche-projet", "etablissements: -3"), field: "etablissements", line: 3},
		{name: "fiche-projet words", md: fm("type: fiche-projet", "etablissements: beaucoup"), field: "etablissements", line: 3},
		{name: "attente priorities", md: fm("type: attente", "statut: transmise", "priorites: {e-lyco: haute, ent-mip: Basse}")},
		{name: "attente priority level wrong", md: fm("type: attente", "priorites: {e-lyco: urgente}"), field: "priorites", line: 3},
		{name: "attente priority project wrong", md: fm("type: attente", "priorites: {lyon: haute}"), field: "priorites", line: 3},
		{name: "attente priorities a list", md: fm("type: attente", "priorites: [e-lyco]"), field: "priorites", line: 3},
	}
	types := wiki.DefaultTypes()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, wiki.Config{})
			_, err := f.svc.Save(f.ctx, f.editor, wiki.SaveRequest{Path: wiki.MustPath("assistance/cas"), Markdown: tt.md})
			checkRefusal(t, err, tt, types)
		})
	}
}

func checkRefusal(t *testing.T, err error, tt checkCase, types *wiki.PageTypes) {
	t.Helper()
	if tt.field == "" {
		if err != nil {
			t.Fatalf("refused: %v", err)
		}
		return
	}
	var we *wiki.Error
	if !errors.As(err, &we) || we.Code != wiki.EInvalidMeta {
		t.Fatalf("err = %v, want invalid_meta", err)
	}
	if we.Field != tt.field || we.Line != tt.line {
		t.Errorf("field, line = %q, %d; want %q, %d", we.Field, we.Line, tt.field, tt.line)
	}
	if !strings.Contains(we.Message, "« "+tt.field+" »") || !strings.Contains(we.Message, "ligne") {
		t.Errorf("message %q does not name the field and its line", we.Message)
	}
	typ, _ := types.Lookup("resolution")
	if tt.field == "statut" && strings.Contains(tt.md, "resolution") {
		f, _ := typ.Field("statut")
		if !strings.Contains(we.Message, strings.Join(f.Values, ", ")) {
			t.Errorf("message %q does not list the allowed values", we.Message)
		}
	}
}

func TestPageTypes_Lookup(t *testing.T) {
	types := wiki.DefaultTypes()
	for _, name := range []string{"resolution", "bonne-pratique", "compte-rendu", "fiche-projet", "attente"} {
		t.Run(name, func(t *testing.T) {
			if _, ok := types.Lookup(strings.ToUpper(name)); !ok {
				t.Fatalf("%s unknown", name)
			}
		})
	}
	t.Run("aliases", func(t *testing.T) {
		typ, _ := types.Lookup("resolution")
		for key, want := range map[string]string{"status": "statut", "projects": "projets", "Statut": "statut"} {
			if f, ok := typ.Field(key); !ok || f.Name != want {
				t.Errorf("Field(%q) = %v, %v", key, f, ok)
			}
		}
	})
}

func TestParseTypes(t *testing.T) {
	t.Run("an editor may not change them", func(t *testing.T) {
		f := newFixture(t, wiki.Config{})
		_, err := f.svc.Save(f.ctx, f.editor, wiki.SaveRequest{Path: wiki.TypesPage, Markdown: wiki.FormatTypes(wiki.DefaultTypes())})
		if wiki.ErrorCode(err) != wiki.EForbidden {
			t.Errorf("err = %v, want forbidden", err)
		}
	})
	t.Run("an admin's extra type and value", func(t *testing.T) {
		f := newFixture(t, wiki.Config{})
		f.editor = f.user(t, "chef", wiki.RoleAdmin)
		defs := fm("title: Types", "types:",
			"  - nom: resolution",
			"    champs:",
			"      - {nom: statut, genre: choix, valeurs: [ouvert, résolu, abandonné], alias: [status]}",
			"  - nom: recette",
			"    libelle: Recette",
			"    plan: [Ingrédients, Étapes]",
			"    champs:",
			"      - {nom: plat, genre: choix, valeurs: [entrée, dessert]}")
		f.save(t, "club/types", defs, 0)
		types := f.svc.PageTypes(f.ctx)
		if r, ok := types.Lookup("recette"); !ok || r.Label != "Recette" || len(r.Outline) != 2 {
			t.Fatalf("recette = %+v, %v", r, ok)
		}
		f.save(t, "usages/gateau", fm("type: recette", "plat: Dessert"), 0)
		f.save(t, "assistance/abandon", fm("type: resolution", "statut: abandonné"), 0)
		_, err := f.svc.Save(f.ctx, f.editor, wiki.SaveRequest{Path: wiki.MustPath("usages/soupe"), Markdown: fm("type: recette", "plat: soupe")})
		checkRefusal(t, err, checkCase{field: "plat", line: 3}, types)
	})
	t.Run("a broken definition is refused", func(t *testing.T) {
		f := newFixture(t, wiki.Config{})
		f.editor = f.user(t, "chef", wiki.RoleAdmin)
		for name, md := range map[string]string{
			"not a list":     fm("types: resolution"),
			"no name":        fm("types:", "  - libelle: Sans nom"),
			"unknown kind":   fm("types:", "  - nom: x", "    champs: [{nom: a, genre: couleur}]"),
			"choice no vals": fm("types:", "  - nom: x", "    champs: [{nom: a, genre: choix}]"),
			"duplicate type": fm("types:", "  - nom: x", "  - nom: X"),
		} {
			_, err := f.svc.Save(f.ctx, f.editor, wiki.SaveRequest{Path: wiki.TypesPage, Markdown: md})
			if wiki.ErrorCode(err) != wiki.EInvalidMeta {
				t.Errorf("%s: err = %v, want invalid_meta", name, err)
			}
		}
		if _, ok := f.svc.PageTypes(f.ctx).Lookup("resolution"); !ok {
			t.Error("the defaults are gone")
		}
	})
}

func TestService_PageMetas(t *testing.T) {
	f, admin := titleFixture(t)
	f.save(t, "usages/a", fm("type: resolution", "statut: ouvert"), 0)
	if _, err := f.svc.Save(f.ctx, admin, wiki.SaveRequest{Path: wiki.MustPath("marches/b"), Markdown: fm("type: resolution", "statut: résolu")}); err != nil {
		t.Fatal(err)
	}
	paths := []wiki.Path{wiki.MustPath("usages/a"), wiki.MustPath("marches/b"), wiki.MustPath("usages/absente")}
	t.Run("a member kept out of marches", func(t *testing.T) {
		got := f.svc.PageMetas(f.ctx, f.editor, paths)
		if len(got) != 1 || got[wiki.MustPath("usages/a")]["statut"] != "ouvert" {
			t.Errorf("metas = %v", got)
		}
	})
	t.Run("the admin, twice (cached)", func(t *testing.T) {
		for range 2 {
			if got := f.svc.PageMetas(f.ctx, admin, paths); len(got) != 2 || got[wiki.MustPath("marches/b")]["statut"] != "résolu" {
				t.Errorf("metas = %v", got)
			}
		}
	})
}

func TestFoldValue(t *testing.T) {
	for _, s := range []string{"resolu", "Résolu", "e-lyco", "E-LYCO", "a--b", "-a", "a-", "cyber-colleges-42", " ouvert ", "k-d'école", ""} {
		t.Run(s, func(t *testing.T) {
			if got, want := wiki.FoldValue(s), wiki.Canonical(strings.TrimSpace(s)); got != want {
				t.Errorf("FoldValue(%q) = %q, want %q", s, got, want)
			}
		})
	}
}
