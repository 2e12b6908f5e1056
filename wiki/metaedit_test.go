package wiki_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/kdecole-club/clubwiki/wiki"
)

func TestYAMLScalar(t *testing.T) {
	tests := []struct{ in, want string }{
		{"résolu", "résolu"},
		{"e-lyco", "e-lyco"},
		{"cahier de textes", "cahier de textes"},
		{"2026-11-30", "2026-11-30"},
		{"120", "120"},
		{"5.10", `"5.10"`},
		{"yes", `"yes"`},
		{"a: b", `"a: b"`},
		{"Kosmos, Itop", `"Kosmos, Itop"`},
		{`dit "non"`, `"dit \"non\""`},
		{"<b>", `"<b>"`},
		{" espace", `" espace"`},
		{"", `""`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := wiki.YAMLScalar(tt.in); got != tt.want {
				t.Errorf("YAMLScalar(%q) = %s, want %s", tt.in, got, tt.want)
			}
		})
	}
}

func TestSetFrontMatterLine(t *testing.T) {
	tests := []struct{ name, text, line, want string }{
		{"adds a block", "# T\n", "type: resolution", "---\ntype: resolution\n---\n# T\n"},
		{"replaces in place", "---\ntype: x\nstatut: ouvert\ntags: [a]\n---\n# T\n", "statut: résolu", "---\ntype: x\nstatut: résolu\ntags: [a]\n---\n# T\n"},
		{"replaces a block list", "---\nprojets:\n  - a\n  - b\ntags: [a]\n---\n", "projets: [e-lyco]", "---\nprojets: [e-lyco]\ntags: [a]\n---\n"},
		{"appends", "---\ntype: x\n---\n# T\n", "projets: [e-lyco]", "---\ntype: x\nprojets: [e-lyco]\n---\n# T\n"},
		{"removes", "---\ntype: x\nstatut: ouvert\n---\n", "", "---\ntype: x\n---\n"},
		{"alias kept", "---\nstatus: ouvert\n---\n", "status: résolu", "---\nstatus: résolu\n---\n"},
		{"nothing to remove", "# T\n", "", "# T\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			key := "statut"
			if tt.line != "" {
				key, _, _ = strings.Cut(tt.line, ":")
			} else if strings.Contains(tt.text, "statut") {
				key = "statut"
			}
			got := wiki.SetFrontMatterLine(tt.text, []string{key, "status"}, tt.line)
			if got != tt.want {
				t.Errorf("got\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

func TestTypeField_FieldLine(t *testing.T) {
	typ, _ := wiki.DefaultTypes().Lookup("attente")
	prio, _ := typ.Field("priorites")
	if got := prio.FieldLine("priorites", nil, map[string]string{"e-lyco": "haute", "ent-mip": "basse"}); got != "priorites: {ent-mip: basse, e-lyco: haute}" {
		t.Errorf("priorities: %s", got)
	}
	proj, _ := typ.Field("projets")
	if got := proj.FieldLine("projets", []string{"e-lyco", " ", "ent-mip"}, nil); got != "projets: [ent-mip, e-lyco]" {
		t.Errorf("projets: %s", got)
	}
	if got := proj.FieldLine("projets", nil, nil); got != "" {
		t.Errorf("empty: %q", got)
	}
}

func TestService_NewPageText(t *testing.T) {
	f := newFixture(t, wiki.Config{})
	p := wiki.MustPath("assistance/panne")
	t.Run("resolution", func(t *testing.T) {
		got := f.svc.NewPageText(f.ctx, f.editor, p, "Panne", "resolution")
		for _, want := range []string{"---\ntype: resolution\nstatut: ouvert\ndate: 20", "# Panne\n\n## Symptômes\n\n## Contexte\n\n## Projets concernés\n\n## Version de k-d'école\n\n## Cause\n\n## Solution\n"} {
			if !strings.Contains(got, want) {
				t.Errorf("no %q in\n%s", want, got)
			}
		}
		if _, err := f.svc.Save(f.ctx, f.editor, wiki.SaveRequest{Path: p, Markdown: got}); err != nil {
			t.Errorf("the template does not save: %v", err)
		}
	})
	t.Run("best practice and minutes", func(t *testing.T) {
		bp := f.svc.NewPageText(f.ctx, f.editor, p, "T", "bonne-pratique")
		cr := f.svc.NewPageText(f.ctx, f.editor, p, "T", "compte-rendu")
		if !strings.Contains(bp, "statut: brouillon\n") || !strings.Contains(bp, "## Contexte\n\n## Démarche\n\n## Ce qui a marché\n\n## Pour aller plus loin\n") {
			t.Errorf("best practice:\n%s", bp)
		}
		if !strings.Contains(cr, "## Date\n\n## Participants\n\n## Ordre du jour\n\n## Décisions\n\n## Actions\n") {
			t.Errorf("minutes:\n%s", cr)
		}
	})
	t.Run("free page", func(t *testing.T) {
		if got := f.svc.NewPageText(f.ctx, f.editor, p, "Libre", ""); got != "# Libre\n\n" {
			t.Errorf("got %q", got)
		}
	})
	t.Run("namespace model", func(t *testing.T) {
		f.save(t, "usages/modele", "---\ntags: [usage]\n---\n# Modèle\n\n## Classe\n\n## Déroulé\n", 0)
		q := wiki.MustPath("usages/seance")
		if got := f.svc.NewPageText(f.ctx, f.editor, q, "Séance", ""); got != "---\ntags: [usage]\n---\n# Séance\n\n## Classe\n\n## Déroulé\n" {
			t.Errorf("free: %q", got)
		}
		got := f.svc.NewPageText(f.ctx, f.editor, q, "Séance", "bonne-pratique")
		if !strings.HasPrefix(got, "---\ntype: bonne-pratique\n") || !strings.HasSuffix(got, "# Séance\n\n## Classe\n\n## Déroulé\n") {
			t.Errorf("typed: %q", got)
		}
		if other := f.svc.NewPageText(f.ctx, f.editor, p, "X", ""); other != "# X\n\n" {
			t.Errorf("another namespace: %q", other)
		}
	})
	t.Run("types page round trip", func(t *testing.T) {
		f.editor = f.user(t, "chef", wiki.RoleAdmin)
		text := f.svc.NewPageText(f.ctx, f.editor, wiki.TypesPage, "", "")
		f.save(t, wiki.TypesPage.String(), text, 0)
		pv := f.html(t, f.editor, wiki.TypesPage.String())
		got, err := wiki.ParseTypes(pv.Meta, text)
		if err != nil || !reflect.DeepEqual(got, wiki.DefaultTypes()) {
			t.Errorf("ParseTypes = %+v, %v", got, err)
		}
	})
}
