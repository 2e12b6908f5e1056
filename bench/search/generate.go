package main

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// generator makes pages of 5 to 30 corpus sentences with typed front matter.
type generator struct {
	rng       *rand.Rand
	sentences []string
}

func newGenerator(s []string) *generator {
	return &generator{rng: rand.New(rand.NewPCG(1, 2)), sentences: s}
}

var (
	benchNS    = []string{"usages", "accompagnement", "assistance", "portails", "connecteurs", "marches", "services", "club"}
	benchTypes = []string{"resolution", "bonne-pratique", "compte-rendu"}
	// Values the page types allow (wiki.DefaultTypes): a save of another
	// is refused. compte-rendu has no status field: any goes.
	benchStatus   = map[string][]string{"resolution": {"ouvert", "résolu", "contourné"}, "bonne-pratique": {"brouillon", "validée"}, "compte-rendu": {"ouvert", "résolu", "en cours"}}
	benchProjects = []string{"e-lyco", "ENT-MIP", "ecollege-31", "Cyber-Colleges-42"}
	benchTags     = []string{"connexion", "messagerie", "cahier de textes", "vie scolaire", "ressources", "familles"}
)

func (g *generator) path(i int) string {
	return fmt.Sprintf("%s/page-%d", benchNS[i%len(benchNS)], i)
}

func (g *generator) one(list []string) string { return list[g.rng.IntN(len(list))] }

func (g *generator) page() string {
	var b strings.Builder
	typ := g.one(benchTypes)
	fmt.Fprintf(&b, "---\ntype: %s\nstatus: %s\nprojects: [%s]\ntags: [%s, %s]\n---\n",
		typ, g.one(benchStatus[typ]), g.one(benchProjects), g.one(benchTags), g.one(benchTags))
	title := strings.Fields(g.one(g.sentences))
	fmt.Fprintf(&b, "# %s\n\n", strings.Join(title[:min(6, len(title))], " "))
	n := 5 + g.rng.IntN(26)
	for i := range n {
		b.WriteString(g.one(g.sentences))
		if i%5 == 4 {
			b.WriteString("\n\n## ")
			h := strings.Fields(g.one(g.sentences))
			b.WriteString(strings.Join(h[:min(4, len(h))], " "))
			b.WriteString("\n\n")
		} else {
			b.WriteString(" ")
		}
	}
	b.WriteString("\n")
	return b.String()
}
