package wiki_test

import (
	"strings"
	"testing"

	"github.com/kdecole-club/clubwiki/wiki"
)

const sectionsDoc = `---
title: Connexion
---
# Connexion

Intro.

## Élèves

Ouvrir le portail.

` + "```sh\n# pas un titre\n## non plus\n```" + `

### Mot de passe oublié

Demander à l'établissement.

Parents
-------

Le compte parent.

    # indenté : du code

> # dans une citation
- # dans une liste

## Fin
dernière ligne`

func TestSections(t *testing.T) {
	secs := wiki.Sections(sectionsDoc)
	var heads []string
	for _, s := range secs {
		line, _, _ := strings.Cut(sectionsDoc[s.Start:s.End], "\n")
		heads = append(heads, line)
	}
	want := []string{"# Connexion", "## Élèves", "### Mot de passe oublié", "Parents", "## Fin"}
	if strings.Join(heads, "|") != strings.Join(want, "|") {
		t.Fatalf("section headings = %q, want %q", heads, want)
	}
	t.Run("a section runs to the next heading of its level or higher", func(t *testing.T) {
		if secs[0].End != len(sectionsDoc) {
			t.Errorf("the level-1 section ends at %d, want the end", secs[0].End)
		}
		got, _ := wiki.SectionText(sectionsDoc, 2)
		if !strings.HasPrefix(got, "## Élèves") || !strings.Contains(got, "Demander à l'établissement.") || strings.Contains(got, "Parents") {
			t.Errorf("section 2 = %q", got)
		}
		got, _ = wiki.SectionText(sectionsDoc, 3)
		if !strings.HasPrefix(got, "### Mot de passe") || strings.Contains(got, "Parents") {
			t.Errorf("section 3 = %q", got)
		}
		got, _ = wiki.SectionText(sectionsDoc, 5)
		if got != "## Fin\ndernière ligne" {
			t.Errorf("section 5 = %q", got)
		}
	})
	t.Run("splice keeps every other byte", func(t *testing.T) {
		got, err := wiki.SpliceSection(sectionsDoc, 3, "### Oubli\n\nRéinitialiser.")
		if err != nil {
			t.Fatal(err)
		}
		old, _ := wiki.SectionText(sectionsDoc, 3)
		if want := strings.Replace(sectionsDoc, old, "### Oubli\n\nRéinitialiser.\n", 1); got != want {
			t.Errorf("spliced =\n%s\nwant\n%s", got, want)
		}
		for n := range secs {
			text, _ := wiki.SectionText(sectionsDoc, n+1)
			if same, _ := wiki.SpliceSection(sectionsDoc, n+1, text); same != sectionsDoc {
				t.Errorf("splicing section %d's own text changed the page", n+1)
			}
		}
	})
	t.Run("bad section numbers", func(t *testing.T) {
		for _, n := range []int{0, -1, 6, 1 << 30} {
			if _, err := wiki.SectionText(sectionsDoc, n); wiki.ErrorCode(err) != wiki.EInvalid {
				t.Errorf("SectionText(%d): %v", n, err)
			}
			if _, err := wiki.SpliceSection(sectionsDoc, n, "x"); wiki.ErrorCode(err) != wiki.EInvalid {
				t.Errorf("SpliceSection(%d): %v", n, err)
			}
		}
	})
	t.Run("texts without sections", func(t *testing.T) {
		for _, md := range []string{"", "\n", "---\n", "pas de titre\n", "```\n# dans un bloc jamais fermé\n", "#sans espace\n", "####### sept\n"} {
			if got := wiki.Sections(md); len(got) != 0 {
				t.Errorf("Sections(%q) = %+v", md, got)
			}
		}
	})
	t.Run("a fence closes only with its own kind", func(t *testing.T) {
		md := "~~~~\n```\n# non\n~~~\n# toujours non\n~~~~\n# oui\n"
		if got := wiki.Sections(md); len(got) != 1 || md[got[0].Start:got[0].End] != "# oui\n" {
			t.Errorf("Sections = %+v", got)
		}
	})
}

// FuzzSections holds the section splitter to its promises on any text:
// sections in order within the text, each starting where its heading
// does, and splicing a section's own text a no-op.
func FuzzSections(f *testing.F) {
	f.Add(sectionsDoc)
	f.Add("a\n===\nb\n---\n# c")
	f.Fuzz(func(t *testing.T, md string) {
		secs := wiki.Sections(md)
		prev := -1
		for i, s := range secs {
			if s.Start <= prev || s.End < s.Start || s.End > len(md) || s.Level < 1 || s.Level > 6 {
				t.Fatalf("section %d = %+v in %q", i, s, md)
			}
			prev = s.Start
			text, err := wiki.SectionText(md, i+1)
			if err != nil {
				t.Fatal(err)
			}
			if same, _ := wiki.SpliceSection(md, i+1, text); same != md {
				t.Fatalf("splicing section %d's own text changed %q", i+1, md)
			}
		}
	})
}
