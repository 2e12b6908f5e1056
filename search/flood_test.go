package search

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/kdecole-club/clubwiki/wiki"
)

// floodTermSearchers is the most leaf term searchers a flood query may
// open: bleve counts them and fails the search past the limit given in the
// context.
const floodTermSearchers = 512

func TestIndex_SearchPrefixFlood(t *testing.T) {
	t.Parallel()
	// 150 pages hold the vocabulary of 300 but for 4% of the rarest
	// words: every prefix searched still stands for hundreds of words
	// (400 start with pro), eight times what a prefix may expand to.
	e := floodEnv(t, 150)
	t.Run("expansion bounded", func(t *testing.T) {
		ctx := context.WithValue(e.ctx, bsearch.MaxTermSearchersKey, floodTermSearchers)
		for _, q := range floodQueries {
			if _, err := e.svc.Search(ctx, e.user, wiki.SearchParams{Q: q, Limit: 500}); err != nil {
				t.Fatalf("%s opens more than %d term searchers: %v", q, floodTermSearchers, err)
			}
		}
		if res := e.search("pro* con*"); res.Total == 0 {
			t.Fatal("pro* con* finds nothing")
		}
	})
	t.Run("capped expansion says so", func(t *testing.T) {
		res := e.search("pro*")
		if res.Total == 0 || !res.PrefixCapped {
			t.Fatalf("pro*: total %d, capped %v; want hits and the cap reported", res.Total, res.PrefixCapped)
		}
		if res := e.search("progr*"); res.PrefixCapped {
			t.Fatal("progr* has few words but is reported capped")
		}
	})
	t.Run("short prefix is a word", func(t *testing.T) {
		// "pr" is no word of the pages: read as a word it finds nothing.
		if res := e.search("pr*"); res.Total != 0 {
			t.Fatalf("pr* found %d pages, want it read as the word pr", res.Total)
		}
		if res := e.search("l'pr*"); res.Total != 0 {
			t.Fatalf("l'pr* found %d pages, want it read as the word pr", res.Total)
		}
	})
	t.Run("suggestions bounded", func(t *testing.T) {
		// Every title has a word starting with c ("Compte rendu"), and
		// dozens of others do.
		ctx := context.WithValue(e.ctx, bsearch.MaxTermSearchersKey, 48)
		list, err := e.svc.Suggest(ctx, e.user, "c", 10)
		if err != nil {
			t.Fatalf("suggesting c opens more than 48 term searchers: %v", err)
		}
		if len(list) == 0 {
			t.Fatal("no suggestion for c")
		}
	})
	t.Run("cancelled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(e.ctx)
		cancel()
		_, err := e.svc.Search(ctx, e.user, wiki.SearchParams{Q: floodQuery, Limit: 500})
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("a search whose request ended answers %v, want context.Canceled", err)
		}
	})
}

func TestIndex_SearchTooComplex(t *testing.T) {
	t.Parallel()
	e := newCorpusEnv(t)
	// One word that analyses into hundreds of tokens, each a lookup in
	// four fields.
	var sb strings.Builder
	for i := range 330 { // three bytes each: the parser keeps 1,000
		fmt.Fprintf(&sb, "%c%c,", 'a'+i/26, 'a'+i%26)
	}
	_, err := e.svc.Search(e.ctx, e.user, wiki.SearchParams{Q: sb.String(), Limit: 10})
	if code := wiki.ErrorCode(err); code != wiki.EInvalid {
		t.Fatalf("a query of about %d term lookups answers %v (code %q), want %q", 4*330, err, code, wiki.EInvalid)
	}
	if res := e.search("messagerie"); res.Total == 0 {
		t.Fatal("an ordinary search fails after a refused one")
	}
}

// bigPages returns n pages of about size bytes each, the word "motrare"
// near their end, the text before it quotable.
func bigPages(n, size int) []wiki.ImportFile {
	filler := strings.Repeat("Texte ordinaire de remplissage pour une longue page. ", size/53)
	files := make([]wiki.ImportFile, n)
	for i := range files {
		md := fmt.Sprintf("# Grande page %d\n\n%s\n\nLe motrare de la fin.\n", i, filler)
		files[i] = wiki.ImportFile{Path: fmt.Sprintf("usages/grande-%d", i), Markdown: []byte(md)}
	}
	return files
}

func TestIndex_SearchSnippetBudget(t *testing.T) {
	t.Parallel()
	const pages, size, budget = 12, 16 << 10, 64 << 10
	e := newEnv(t)
	if _, err := e.svc.Import(e.ctx, e.user, bigPages(pages, size)); err != nil {
		t.Fatal(err)
	}
	e.sync()
	m := query.NewMatchQuery("motrare")
	m.SetField(fText)
	req := bleve.NewSearchRequestOptions(m, 50, 0, false)
	req.IncludeLocations = true // as Index.run asks
	sr, err := e.idx.bleve.SearchInContext(e.ctx, req)
	if err != nil || len(sr.Hits) != pages {
		t.Fatalf("searching motrare: %v, %d hits, want %d", err, len(sr.Hits), pages)
	}
	hits, err := e.idx.hits(e.ctx, sr.Hits, budget)
	if err != nil {
		t.Fatal(err)
	}
	quoted := 0
	for _, h := range hits {
		switch {
		case strings.Contains(h.Snippet, "<mark>motrare</mark>"):
			quoted++
		case !strings.HasPrefix(h.Snippet, "Texte ordinaire"):
			t.Errorf("a hit past the budget is quoted %q, want its lead", h.Snippet[:min(80, len(h.Snippet))])
		}
	}
	// The budget is spent page by page: the page that crosses it is
	// quoted whole.
	if want := budget/size + 1; quoted == 0 || quoted > want {
		t.Errorf("%d of %d hits of %d KiB quoted around their match, want 1 to %d", quoted, pages, size>>10, want)
	}
	if snippetTextBytes < 1<<20 || snippetTextBytes > 8<<20 {
		t.Errorf("a search quotes up to %d bytes of text: too little for 500 ordinary pages, or too much to hold", snippetTextBytes)
	}
}
