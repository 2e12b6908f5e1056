package search

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/kdecole-club/clubwiki/wiki"
)

// corpusPages is a small club wiki: the fixtures of the query tests.
var corpusPages = map[string]string{
	"assistance/connexion-ent": "---\ntype: resolution\nstatus: résolu\nprojects: [e-lyco]\ntags: [connexion, mot de passe]\nkdecole_version: \"5.2\"\n---\n# Problème de connexion à l'ENT\n\nLes parents n'arrivent pas à se connecter à e-lyco depuis l'accès famille. Réinitialiser le mot de passe.\n",
	"assistance/messagerie":    "---\ntype: resolution\nstatus: ouvert\nprojects: [ENT-MIP]\ntags: [messagerie]\n---\n# Messagerie bloquée\n\nLa messagerie de l'ENT-MIP refuse les pièces jointes trop lourdes.\n",
	"usages/pedagogie":         "---\ntype: bonne-pratique\nprojects: [e-lyco]\n---\n# Usages pédagogiques du cahier de textes\n\nLa pédagogie de projet avec le cahier de textes : rôle des enseignants, état des lieux.\n",
	"club/voeux":               "# Vœux du club\n\nLes vœux du président pour la nouvelle année scolaire.\n",
	"accompagnement/formation": "---\ntype: compte-rendu\ntags: [formation]\n---\n# Formation des personnels\n\nUne formation sur l'accès aux ressources et la messagerie.\n",
}

// newCorpusEnv returns a wiki of corpusPages, indexed: a copy of one
// built once (the order of the saves is the map's, so the copy stands for
// any of the builds).
func newCorpusEnv(t *testing.T) *env {
	t.Helper()
	return fixtureEnv(t, "corpus", func(e *env) {
		for p, md := range corpusPages {
			e.save(p, md)
		}
		e.sync()
	})
}

func TestIndex_SearchSyntax(t *testing.T) {
	t.Parallel()
	e := newCorpusEnv(t)
	tests := []struct {
		name, q string
		want    []string // exactly these pages, in any order
	}{
		{"plain word", "messagerie", []string{"assistance/messagerie", "accompagnement/formation"}},
		{"all words required", "messagerie jointes", []string{"assistance/messagerie"}},
		{"relaxed to any word", "jointes voeux", []string{"assistance/messagerie", "club/voeux"}},
		{"accents folded", "pedagogie", []string{"usages/pedagogie"}},
		{"plural and stem", "pédagogiques", []string{"usages/pedagogie"}},
		{"ligature", "voeux", []string{"club/voeux"}},
		{"elision", "acces", []string{"assistance/connexion-ent", "accompagnement/formation"}},
		{"hyphen joined", "elyco", []string{"assistance/connexion-ent", "usages/pedagogie"}},
		{"hyphen typed", "e-lyco", []string{"assistance/connexion-ent", "usages/pedagogie"}},
		{"hyphen upper", "entmip", []string{"assistance/messagerie"}},
		{"phrase", `"mot de passe"`, []string{"assistance/connexion-ent"}},
		{"phrase order matters", `"passe mot"`, nil},
		{"exclusion", "messagerie -formation", []string{"assistance/messagerie"}},
		{"exclusion phrase", `acces -"mot de passe"`, []string{"accompagnement/formation"}},
		{"prefix unaccented", "pedag*", []string{"usages/pedagogie"}},
		{"prefix accented", "pédag*", []string{"usages/pedagogie"}},
		{"prefix after elision", "l'usag*", []string{"usages/pedagogie"}},
		{"prefix after curly elision", "l’usag*", []string{"usages/pedagogie"}},
		{"filter ns", "messagerie ns:assistance", []string{"assistance/messagerie"}},
		{"filter type", "type:resolution", []string{"assistance/connexion-ent", "assistance/messagerie"}},
		{"filter status folded", "status:resolu", []string{"assistance/connexion-ent"}},
		{"negated filter", "type:resolution -status:resolu", []string{"assistance/messagerie"}},
		{"negated filter alone", "acces -status:resolu", []string{"accompagnement/formation"}},
		{"filter statut alias", "statut:Résolu", []string{"assistance/connexion-ent"}},
		{"filter projet", "projet:e-lyco", []string{"assistance/connexion-ent", "usages/pedagogie"}},
		{"filter projet joined", "projet:entmip", []string{"assistance/messagerie"}},
		{"filter tag", `tag:"mot de passe"`, []string{"assistance/connexion-ent"}},
		{"filter author", "auteur:clubwiki type:compte-rendu", []string{"accompagnement/formation"}},
		{"filter other front matter", "kdecole_version:5.2", []string{"assistance/connexion-ent"}},
		{"date since", "depuis:2000-01-01 voeux", []string{"club/voeux"}},
		{"date since future", "depuis:2999-01-01 voeux", nil},
		{"title word", "bloquée", []string{"assistance/messagerie"}},
		{"unbalanced quote is words", `"messagerie jointes`, []string{"assistance/messagerie"}},
		{"only stop words", "le la les", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := e.search(tt.q)
			got := paths(res)
			slices.Sort(got)
			want := slices.Clone(tt.want)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("%q found %v, want %v", tt.q, got, want)
			}
			if res.Total != len(got) {
				t.Errorf("total = %d, hits %d", res.Total, len(got))
			}
		})
	}
}

func TestIndex_SearchRelaxedScoresLower(t *testing.T) {
	t.Parallel()
	e := newCorpusEnv(t)
	strict := e.search("messagerie")
	relaxed := e.search("messagerie introuvable")
	if !relaxed.Relaxed || strict.Relaxed {
		t.Fatalf("relaxed flags: strict %v, relaxed %v", strict.Relaxed, relaxed.Relaxed)
	}
	if relaxed.Hits[0].Score >= strict.Hits[0].Score {
		t.Errorf("relaxed score %v not lower than strict %v", relaxed.Hits[0].Score, strict.Hits[0].Score)
	}
}

func TestIndex_SearchTitleBoost(t *testing.T) {
	t.Parallel()
	e := newCorpusEnv(t)
	res := e.search("messagerie")
	if len(res.Hits) == 0 || res.Hits[0].Path.String() != "assistance/messagerie" {
		t.Errorf("hits %v: the page titled « Messagerie » should come first", paths(res))
	}
}

func TestIndex_SearchSnippet(t *testing.T) {
	t.Parallel()
	e := newCorpusEnv(t)
	tests := []struct{ q, mark string }{
		{"acces", "<mark>l&#39;accès</mark>"},
		{"elyco", "<mark>e-lyco</mark>"},
		{"entmip", "<mark>l&#39;ENT-MIP</mark>"},
		{"pedag*", "<mark>pédagogie</mark>"},
		{`"mot de passe"`, "<mark>mot</mark> de <mark>passe</mark>"},
	}
	for _, tt := range tests {
		t.Run(tt.q, func(t *testing.T) {
			res := e.search(tt.q)
			if len(res.Hits) == 0 {
				t.Fatalf("no hit")
			}
			var all []string
			for _, h := range res.Hits {
				all = append(all, h.Snippet)
			}
			if !strings.Contains(strings.Join(all, "\n"), tt.mark) {
				t.Errorf("snippets %q lack %q", all, tt.mark)
			}
		})
	}
}

func TestIndex_SearchSortDate(t *testing.T) {
	t.Parallel()
	e := newCorpusEnv(t)
	e.save("assistance/messagerie", corpusPages["assistance/messagerie"]+"\nMis à jour.\n")
	e.sync()
	res, err := e.svc.Search(e.ctx, e.user, searchParams("type:resolution", "date"))
	if err != nil {
		t.Fatal(err)
	}
	if got := paths(res); len(got) != 2 || got[0] != "assistance/messagerie" {
		t.Errorf("by date: %v, want the page just edited first", got)
	}
	for i := 1; i < len(res.Hits); i++ {
		if res.Hits[i].Updated.After(res.Hits[i-1].Updated) {
			t.Errorf("hit %d is newer than hit %d", i, i-1)
		}
	}
}

func TestIndex_Facets(t *testing.T) {
	t.Parallel()
	e := newCorpusEnv(t)
	res := e.search("")
	count := func(facet, value string) int {
		for _, f := range res.Facets[facet] {
			if f.Value == value {
				return f.Count
			}
		}
		return 0
	}
	if got := count("type", "resolution"); got != 2 {
		t.Errorf("type resolution = %d, want 2", got)
	}
	if got := count("projects", "e-lyco"); got != 2 {
		t.Errorf("projects e-lyco = %d, want 2", got)
	}
	if got := count("status", "résolu"); got != 1 {
		t.Errorf("status résolu = %d, want 1 (values as written)", got)
	}
	if got := count("namespace", "assistance"); got != 3 { // + its seed-less pages
		t.Logf("namespace facet: %v", res.Facets["namespace"])
	}
}

func TestIndex_Suggest(t *testing.T) {
	t.Parallel()
	e := newCorpusEnv(t)
	for _, prefix := range []string{"mess", "Mess", "pédag", "pedag", "usages ped", "voe", "vœ", "Messagerie,", "(mess", "l’usa", "«vœux»"} {
		got, err := e.svc.Suggest(e.ctx, e.user, prefix, 5)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) == 0 {
			t.Errorf("Suggest(%q) found nothing", prefix)
		}
	}
	got, _ := e.svc.Suggest(e.ctx, e.user, "zzz", 5)
	if len(got) != 0 {
		t.Errorf("Suggest(zzz) = %v", got)
	}
}

// A phrase found only in the front-matter title or only in a heading counts
// as much as one in the text: those fields keep word positions too.
func TestIndex_SearchPhraseInTitleAndHeadings(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.save("assistance/titre", "---\ntitle: Problème de connexion à l’ENT\n---\nLes élèves n’arrivent pas à se connecter.\n")
	e.save("assistance/autre", "---\ntitle: Autre\n---\nUn problème, puis une connexion.\n")
	e.sync()
	for _, q := range []string{`"problème de connexion"`, `"connexion à l'ENT"`} {
		if got := paths(e.search(q)); !slices.Equal(got, []string{"assistance/titre"}) {
			t.Errorf("%s found %v, want the page titled with it", q, got)
		}
	}
}

// Relaxed is only set when the relaxed query found something: a query of
// stop words, or of words no page has, is simply without result.
func TestIndex_SearchRelaxedOnlyWithHits(t *testing.T) {
	t.Parallel()
	e := newCorpusEnv(t)
	for q, want := range map[string]bool{"le la les": false, "zorglub plouf": false, "jointes voeux": true} {
		if res := e.search(q); res.Relaxed != want {
			t.Errorf("%q: relaxed = %v with %d hits, want %v", q, res.Relaxed, res.Total, want)
		}
	}
}

func TestIndex_SnippetSkipsTheTitleLine(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.save("assistance/certificat", "# Certificat expiré\n\nLe certificat du serveur a expiré un lundi.\n")
	e.sync()
	res := e.search("certificat")
	if len(res.Hits) != 1 {
		t.Fatalf("hits = %v", paths(res))
	}
	if s := res.Hits[0].Snippet; strings.Contains(s, "expiré Le") || !strings.HasPrefix(s, "Le <mark>certificat</mark>") {
		t.Errorf("snippet = %q, want the text after the title line", s)
	}
	if got := e.search("expiré"); len(got.Hits) != 1 {
		t.Errorf("a word of the title and the text is not found: %v", paths(got))
	}
}

func TestIndex_FacetsFoldSpellings(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for i, status := range []string{"résolu", "Résolu", "résolu", "resolu", "en cours"} {
		e.save(fmt.Sprintf("assistance/incident-%d", i), "---\nstatus: "+status+"\nprojects: [E-lyco]\n---\n# Incident\n\nLa messagerie est lente.\n")
	}
	e.save("assistance/incident-5", "---\nprojects: [elyco, ENT-MIP]\n---\n# Incident\n\nLa messagerie est lente.\n")
	e.sync()
	res := e.search("messagerie")
	want := map[string][]wiki.FacetCount{
		"status":   {{Value: "résolu", Count: 4}, {Value: "en cours", Count: 1}},
		"projects": {{Value: "E-lyco", Count: 6}, {Value: "ENT-MIP", Count: 1}},
	}
	for facet, w := range want {
		if got := res.Facets[facet]; !reflect.DeepEqual(got, w) {
			t.Errorf("%s facet = %v, want %v (one entry per value, however spelt)", facet, got, w)
		}
	}
	// A facet's count is what clicking it finds.
	if got := e.search("messagerie status:résolu"); got.Total != 4 {
		t.Errorf("status:résolu finds %d pages, the facet said 4", got.Total)
	}
}

// TestIndex_SearchAuthorFromHistory checks that a page is found by anyone
// who wrote one of its recent revisions, not only by its last author.
func TestIndex_SearchAuthorFromHistory(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	p := wiki.MustPath("club/partage")
	for i, login := range []string{"alice", "bruno"} {
		u := &wiki.User{Login: login, Role: wiki.RoleEditor}
		req := wiki.SaveRequest{Path: p, Markdown: "# Partage\n\nversion " + login, BaseRev: i}
		if _, err := e.svc.Save(e.ctx, u, req); err != nil {
			t.Fatalf("Save as %s: %v", login, err)
		}
	}
	e.sync()
	for _, q := range []string{"auteur:alice", "auteur:bruno"} {
		if got := paths(e.search(q)); !slices.Equal(got, []string{p.String()}) {
			t.Errorf("%q found %v, want [%s]", q, got, p)
		}
	}
}
