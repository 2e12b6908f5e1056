package search

import (
	"io/fs"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kdecole-club/clubwiki/assets"
	"github.com/kdecole-club/clubwiki/wiki"
)

func TestParseSynonyms(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, md string
		want     [][]string
	}{
		{"list items", "- courriel, mail, e-mail\n* PJ; pièce jointe\n+ a, b\n1. x, y\n2) u, v\n",
			[][]string{{"courriel", "mail", "e-mail"}, {"PJ", "pièce jointe"}, {"a", "b"}, {"x", "y"}, {"u", "v"}}},
		{"prose, titles and front matter are not groups", "---\ntype: x\n---\n# Synonymes, mots\n\nUn texte, avec des virgules.\n- ENT, espace numérique de travail\n",
			[][]string{{"ENT", "espace numérique de travail"}}},
		{"one term is no group", "- seul\n- seul,\n- ,,\n", nil},
		{"emphasis and spaces", "-   **mot  de passe** ,  `login` \n", [][]string{{"mot de passe", "login"}}},
		{"duplicates by accents and case", "- Élève, eleve, apprenant\n", [][]string{{"Élève", "apprenant"}}},
		{"too long term skipped", "- " + strings.Repeat("a", 81) + ", b, c\n", [][]string{{"b", "c"}}},
		{"too many words skipped", "- a b c d e f g, b, c\n", [][]string{{"b", "c"}}},
		{"punctuation only skipped", "- ..., b\n", nil},
		{"invalid UTF-8", "- a\xff, b\n", [][]string{{"a", "b"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ParseSynonyms(tt.md); !slices.EqualFunc(got, tt.want, slices.Equal) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
	t.Run("bounded", func(t *testing.T) {
		var b strings.Builder
		for range maxSynonymGroups + 10 {
			b.WriteString("- " + strings.Repeat("w, ", 0))
			for j := range maxGroupTerms + 5 {
				b.WriteString("t" + strings.Repeat("x", j) + ", ")
			}
			b.WriteString("\n")
		}
		got := ParseSynonyms(b.String())
		if len(got) != maxSynonymGroups || len(got[0]) != maxGroupTerms {
			t.Errorf("%d groups of %d terms", len(got), len(got[0]))
		}
	})
}

func FuzzParseSynonyms(f *testing.F) {
	f.Add("- courriel, mail, e-mail\n- PJ; pièce jointe\n")
	f.Add("# titre\n1. a, b\n* **c**, `d`\n")
	f.Add("- ,;,\n-\t\xff, é\n")
	f.Fuzz(func(t *testing.T, md string) {
		groups := ParseSynonyms(md)
		if len(groups) > maxSynonymGroups {
			t.Fatalf("%d groups", len(groups))
		}
		for _, g := range groups {
			if len(g) < 2 || len(g) > maxGroupTerms {
				t.Fatalf("group of %d terms: %q", len(g), g)
			}
			for _, term := range g {
				if term == "" || len(term) > maxSynonymTermBytes || strings.ContainsAny(term, ",;\n") || strings.TrimSpace(term) != term {
					t.Fatalf("bad term %q", term)
				}
			}
		}
	})
}

func TestExpansion_Bounded(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	var md strings.Builder
	var words []string
	for i := range 10 {
		w := "mot" + string(rune('a'+i))
		words = append(words, w)
		md.WriteString("- " + w)
		for j := range 6 {
			md.WriteString(", " + w + "syn" + string(rune('a'+j)))
		}
		md.WriteString("\n")
	}
	e.idx.SetSynonyms(md.String())
	exp := &expansion{syn: e.idx.synonyms.get(), text: e.idx.bleve.Mapping().AnalyzerNamed(textAnalyzer), groups: map[int]bool{}}
	total := 0
	for _, w := range words {
		total += len(exp.of(w))
	}
	if total != maxExpandedTerms || len(exp.groups) > maxExpandedGroups {
		t.Errorf("%d terms from %d groups, want %d terms from at most %d groups", total, len(exp.groups), maxExpandedTerms, maxExpandedGroups)
	}
	t.Run("first words expanded", func(t *testing.T) {
		exp := &expansion{syn: e.idx.synonyms.get(), text: exp.text, groups: map[int]bool{}}
		if got := exp.of("mota"); !slices.Equal(got, []string{"motasyna", "motasynb", "motasync", "motasynd", "motasyne", "motasynf"}) {
			t.Errorf("mota → %q", got)
		}
	})
}

// seedSynonyms returns the synonyms page seeded in new wikis.
func seedSynonyms(t *testing.T) string { return seedSynonymsB(t) }

func seedSynonymsB(t testing.TB) string {
	t.Helper()
	b, err := fs.ReadFile(assets.Seed(), "club/synonymes.md")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// saveSynonyms saves the synonyms page through the service and waits for
// the running follower to load it.
func (e *env) saveSynonyms(md string) {
	e.t.Helper()
	_, changed := e.idx.SynonymGroups()
	saved := time.Now()
	e.save(SynonymsPage.String(), md)
	select {
	case <-changed:
		e.t.Logf("synonyms in force %s after the save", time.Since(saved).Round(time.Millisecond))
	case <-time.After(time.Second):
		e.t.Fatal("the synonyms were not read within a second of the save")
	}
}

func TestIndex_Synonyms(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.save("assistance/courriels", "# Les courriels n'arrivent pas\n\nVérifier les courriels envoyés aux parents.\n")
	e.save("assistance/envoi", "# Envoyer des documents\n\nLes pièces jointes dépassent la taille permise.\n")
	e.save("usages/zorglub", "# Page rare\n\nLe zorglub du club.\n")
	e.save("assistance/mail", "# Le mail\n\nUn mail.\n")
	e.save("assistance/pj", "# Trop lourdes\n\nUne PJ de 20 Mo est refusée.\n")
	e.sync()
	_, loaded := e.idx.SynonymGroups()
	e.run()
	<-loaded // the follower reads the page at start (there is none yet)
	has := func(q, p string) bool { return slices.Contains(paths(e.search(q)), p) }
	if has("mail", "assistance/courriels") || has("PJ", "assistance/envoi") {
		t.Fatal("found by a synonym before any synonym was written")
	}
	e.saveSynonyms(seedSynonyms(t))
	t.Run("mail finds courriels", func(t *testing.T) {
		if !has("mail", "assistance/courriels") || !has("e-mail", "assistance/courriels") {
			t.Errorf("mail → %v", paths(e.search("mail")))
		}
	})
	t.Run("PJ finds pièces jointes", func(t *testing.T) {
		if got := paths(e.search("PJ")); !slices.Contains(got, "assistance/envoi") {
			t.Errorf("PJ → %v", got)
		}
	})
	t.Run("words typed in a row that are a synonym", func(t *testing.T) {
		for _, q := range []string{"pièce jointe", "pieces jointes refusée", "la pièce jointe"} {
			if !has(q, "assistance/pj") {
				t.Errorf("%s → %v", q, paths(e.search(q)))
			}
		}
		if !has("pièce jointe", "assistance/envoi") {
			t.Error("the words typed no longer find their own page")
		}
		if has("jointe pièce", "assistance/pj") {
			t.Error("words in another order are no synonym")
		}
	})
	t.Run("a multi-word synonym is a phrase", func(t *testing.T) {
		if has("PJ", "assistance/courriels") {
			t.Error("PJ found a page with neither pièce nor jointe next to each other")
		}
	})
	t.Run("the word typed ranks first", func(t *testing.T) {
		if got := paths(e.search("mail")); len(got) < 2 || got[0] != "assistance/mail" {
			t.Errorf("mail → %v", got)
		}
	})
	t.Run("an edit is read at once", func(t *testing.T) {
		if has("brouillamini", "usages/zorglub") {
			t.Fatal("found before the group was written")
		}
		e.saveSynonyms(seedSynonyms(t) + "- brouillamini, zorglub\n")
		if !has("brouillamini", "usages/zorglub") {
			t.Error("brouillamini does not find the zorglub page")
		}
	})
	t.Run("bad lines are skipped", func(t *testing.T) {
		e.saveSynonyms("- brouillamini, zorglub\n- ,,,\n- " + strings.Repeat("x", 5000) + "\n-\n- é, \n")
		if !has("brouillamini", "usages/zorglub") {
			t.Error("a bad line lost the good one")
		}
		if has("mail", "assistance/courriels") {
			t.Error("the groups removed are still in force")
		}
	})
	t.Run("deleting the page removes the synonyms", func(t *testing.T) {
		_, changed := e.idx.SynonymGroups()
		if _, err := e.svc.Delete(e.ctx, e.user, SynonymsPage, "ménage"); err != nil {
			t.Fatal(err)
		}
		select {
		case <-changed:
		case <-time.After(time.Second):
			t.Fatal("deletion not read within a second")
		}
		if n, _ := e.idx.SynonymGroups(); n != 0 || has("brouillamini", "usages/zorglub") {
			t.Errorf("%d groups left after the deletion", n)
		}
	})
}

// BenchmarkIndex_SearchSynonyms times queries whose words the seeded
// synonyms expand, against the same queries without synonyms.
func BenchmarkIndex_SearchSynonyms(b *testing.B) {
	e := benchEnv(b, 2000)
	b2 := seedSynonymsB(b)
	for _, run := range []struct{ name, synonyms string }{{"none", ""}, {"seeded", b2}} {
		e.idx.SetSynonyms(run.synonyms)
		for _, q := range []string{"messagerie", "mail familles", "ENT élèves professeur PJ CDT"} {
			b.Run(run.name+"/"+q, func(b *testing.B) {
				for b.Loop() {
					if _, err := e.svc.Search(e.ctx, e.user, wiki.SearchParams{Q: q, Limit: 20}); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
