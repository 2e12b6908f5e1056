package search

import (
	"bufio"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kdecole-club/clubwiki/wiki"
)

// corpusDir is the real corpus: $CLUBWIKI_CORPUS, else ../shared/corpus
// next to the repository.
func corpusDir() string {
	if d := os.Getenv("CLUBWIKI_CORPUS"); d != "" {
		return d
	}
	return filepath.Join("..", "..", "shared", "corpus")
}

// importTree imports every .md file under dir into namespace ns.
func (e *env) importTree(dir, ns string) int {
	e.t.Helper()
	var files []wiki.ImportFile
	err := filepath.WalkDir(dir, func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(name) != ".md" {
			return err
		}
		b, err := os.ReadFile(name)
		rel, _ := filepath.Rel(dir, name)
		files = append(files, wiki.ImportFile{Name: rel, Path: ns + "/" + strings.TrimSuffix(filepath.ToSlash(rel), ".md"), Markdown: b})
		return err
	})
	if err != nil {
		e.t.Fatal(err)
	}
	res, err := e.svc.Import(e.ctx, e.user, files)
	if err != nil {
		e.t.Fatal(err)
	}
	n := 0
	for _, r := range res {
		if r.Status == wiki.ImportCreated {
			n++
		}
	}
	return n
}

type judgment struct {
	query string
	want  []string
}

// judgedSets are the judged query files of testdata/relevance: the first
// written for issue 5, the second typed as members type (issue 13).
var judgedSets = []struct{ name, file string }{
	{"judged", "judgments.tsv"}, {"typed", "judgments-typed.tsv"},
}

func readJudgments(t *testing.T, file string) []judgment {
	f, err := os.Open(filepath.Join("..", "testdata", "relevance", file))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []judgment
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if q, paths, ok := strings.Cut(line, "\t"); ok && !strings.HasPrefix(line, "#") {
			out = append(out, judgment{q, strings.Fields(paths)})
		}
	}
	return out
}

// TestIndex_Relevance imports the real corpus and reports hit@1, hit@5 and
// MRR@10 over each set of judgments in testdata/relevance.
func TestIndex_Relevance(t *testing.T) {
	t.Parallel()
	dir := corpusDir()
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("no corpus at %s (set CLUBWIKI_CORPUS): %v", dir, err)
	}
	if testing.Short() {
		t.Skip("imports the whole corpus")
	}
	e := newEnv(t)
	n := e.importTree(filepath.Join(dir, "cours"), "usages") + e.importTree(filepath.Join(dir, "terminale_nsi"), "accompagnement")
	// One batch for the whole corpus: one segment, none for bleve to
	// merge while the queries run. Rankings are the same whatever the
	// segments (bleve scores over the whole index); batching has tests of
	// its own.
	e.fol.Batch, e.fol.BatchBytes = 1000, 64<<20
	e.sync()
	for _, run := range []struct{ name, synonyms string }{
		{"without synonyms", ""}, {"with the seeded synonyms", seedSynonyms(t)},
	} {
		e.idx.SetSynonyms(run.synonyms)
		for _, set := range judgedSets {
			t.Run(run.name+"/"+set.name, func(t *testing.T) {
				js := readJudgments(t, set.file)
				s := e.judge(t, js)
				t.Logf("%d pages, %d queries: hit@1 = %.2f, hit@5 = %.2f, MRR@10 = %.2f", n, len(js), s.hit1, s.hit5, s.mrr)
				if set.name == "judged" && (len(js) < 20 || s.hit5 < 0.8) {
					t.Errorf("hit@5 = %.2f over %d queries, want at least 0.8 over 20", s.hit5, len(js))
				}
				// Typed queries lean on the club's synonyms ("mail").
				if set.name == "typed" && run.synonyms != "" && (len(js) < 30 || s.hit5 < 0.95) {
					t.Errorf("hit@5 = %.2f over %d typed queries, want at least 0.95 over 30", s.hit5, len(js))
				}
			})
		}
	}
}

type scores struct{ hit1, hit5, mrr float64 }

// judge returns hit@1, hit@5 and MRR@10 over the judgments js.
func (e *env) judge(t *testing.T, js []judgment) scores {
	var s scores
	for _, j := range js {
		res := e.search(j.query)
		rank := -1
		for i, h := range res.Hits {
			if isIn(h.Path.String(), j.want) {
				rank = i
				break
			}
		}
		switch {
		case rank == 0:
			s.hit1++
			s.hit5++
		case rank > 0 && rank < 5:
			s.hit5++
		}
		if rank >= 0 && rank < 10 {
			s.mrr += 1 / float64(rank+1)
		}
		if rank != 0 {
			top := paths(res)[:min(3, len(res.Hits))]
			t.Logf("%-32q rank %d of %d, top %v", j.query, rank+1, res.Total, top)
		}
	}
	n := float64(len(js))
	return scores{s.hit1 / n, s.hit5 / n, s.mrr / n}
}
