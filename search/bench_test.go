package search

import (
	"fmt"
	"strings"
	"testing"

	"github.com/kdecole-club/clubwiki/wiki"
)

// benchEnv is a wiki of n synthetic French pages, indexed.
func benchEnv(b *testing.B, n int) *env {
	b.Helper()
	e := newEnv(b)
	words := strings.Fields("connexion messagerie cahier textes élèves familles ressources pédagogiques accès état vœux rôle e-lyco ENT-MIP formation réunion compte rendu résolution problème")
	files := make([]wiki.ImportFile, n)
	for i := range files {
		var sb strings.Builder
		fmt.Fprintf(&sb, "---\ntype: resolution\ntags: [t%d]\n---\n# Page %s %d\n\n", i%7, words[i%len(words)], i)
		for j := range 120 {
			sb.WriteString(words[(i*7+j*3)%len(words)])
			sb.WriteString(" ")
		}
		files[i] = wiki.ImportFile{Path: fmt.Sprintf("assistance/page-%d", i), Markdown: []byte(sb.String())}
	}
	if _, err := e.svc.Import(e.ctx, e.user, files); err != nil {
		b.Fatal(err)
	}
	e.sync()
	return e
}

func BenchmarkIndex_Search(b *testing.B) {
	e := benchEnv(b, 2000)
	for _, q := range []string{"messagerie", "accès familles", `"cahier de textes"`, "pedag*", "elyco type:resolution",
		"messagrie", "comment les familles ont accès aux ressources", "e mail", "mess"} {
		b.Run(q, func(b *testing.B) {
			for b.Loop() {
				if _, err := e.svc.Search(e.ctx, e.user, wiki.SearchParams{Q: q, Limit: 20}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkIndex_Suggest(b *testing.B) {
	e := benchEnv(b, 2000)
	for b.Loop() {
		if _, err := e.svc.Suggest(e.ctx, e.user, "page mess", 10); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkFollower_Rebuild(b *testing.B) {
	e := benchEnv(b, 500)
	for b.Loop() {
		if _, err := Reindex(e.ctx, b.TempDir(), e.db, e.fol.Renderer); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(500*b.N)/b.Elapsed().Seconds(), "pages/s")
}

func BenchmarkAnalyzer_French(b *testing.B) {
	a := analyzer(b, textAnalyzer)
	text := []byte(strings.Repeat("L’accès des familles à l'ENT-MIP : les vœux pédagogiques de l'état. ", 50))
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		a.Analyze(text)
	}
}
