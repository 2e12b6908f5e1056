package web

import (
	"net/http"
	"time"

	"github.com/kdecole-club/clubwiki/wiki"
)

// searchJSON is the answer of GET /api/search (CONTRACT.md, "Search").
// Relaxed, Reason and PrefixCapped are additions: whether hits have only
// some of the words, why results may be partial, and whether a word* stood
// for more words than were searched (its most frequent ones).
type searchJSON struct {
	Total        int    `json:"total"`
	Partial      bool   `json:"partial"`
	Relaxed      bool   `json:"relaxed"`
	PrefixCapped bool   `json:"prefix_capped"`
	Reason       string `json:"partial_reason,omitempty"`
	// Corrections (an addition): words typed that matched nothing and
	// were searched as the closest indexed words; DidYouMean: a query
	// that finds more, when little was found.
	Corrections []correctionJSON       `json:"corrections"`
	DidYouMean  string                 `json:"did_you_mean,omitempty"`
	Hits        []searchHitJSON        `json:"hits"`
	Facets      map[string][]facetJSON `json:"facets"`
}

// facetJSON is a facet value; Label (an addition) is an author's display
// name. The facets "authors" (logins) and "year" are additions too.
type facetJSON struct {
	Value string `json:"value"`
	Count int    `json:"count"`
	Label string `json:"label,omitempty"`
}

type searchHitJSON struct {
	Path      wiki.Path `json:"path"`
	Title     string    `json:"title"`
	Namespace string    `json:"namespace"`
	Score     float64   `json:"score"`
	Updated   time.Time `json:"updated"`
	Snippet   string    `json:"snippet"`
	// Author and AuthorName (additions): the last editor's login and
	// display name.
	Author     string `json:"author"`
	AuthorName string `json:"author_name"`
	// Type, Status and Projects (additions): the page's front matter.
	Type     []string `json:"type,omitempty"`
	Status   []string `json:"status,omitempty"`
	Projects []string `json:"projects,omitempty"`
	// Matches (an addition) says why the page was found; Scores, with
	// ?debug=1 only, the score each field gave.
	Matches []matchJSON        `json:"matches"`
	Scores  map[string]float64 `json:"scores,omitempty"`
}

type correctionJSON struct {
	Word string `json:"word"`
	To   string `json:"to"`
}

type matchJSON struct {
	Word   string   `json:"word"`
	Found  string   `json:"found,omitempty"`
	How    string   `json:"how"`
	Fields []string `json:"fields"`
}

// search answers GET /api/search?q=&ns=&limit=&offset=&sort=&debug=1. A query that
// does not parse is read as words, so only a bad limit, offset or sort is a
// 400.
func (s *api) search(w http.ResponseWriter, r *http.Request, u *wiki.User) error {
	q := r.URL.Query()
	limit, offset, err := listParams(q)
	if err != nil {
		return err
	}
	sort := q.Get("sort")
	if sort != "" && sort != wiki.SortRelevance && sort != wiki.SortDate {
		return wiki.Errorf(wiki.EInvalid, `the parameter "sort" is "relevance" or "date"`)
	}
	debug := q.Get("debug") == "1"
	res, err := s.svc.Search(r.Context(), u, wiki.SearchParams{Q: q.Get("q"), NS: q.Get("ns"), Limit: limit, Offset: offset, Sort: sort, Debug: debug})
	if err != nil {
		return err
	}
	out := searchJSON{
		Total: res.Total, Partial: res.Partial, Relaxed: res.Relaxed, PrefixCapped: res.PrefixCapped, Reason: res.PartialReason,
		Hits: make([]searchHitJSON, len(res.Hits)), Facets: facetsJSON(res.Facets),
		Corrections: make([]correctionJSON, len(res.Corrections)),
	}
	if len(res.DidYouMean) > 0 {
		out.DidYouMean = wiki.CorrectQuery(q.Get("q"), res.DidYouMean)
	}
	for i, c := range res.Corrections {
		out.Corrections[i] = correctionJSON{Word: c.Word, To: c.To}
	}
	for i, h := range res.Hits {
		out.Hits[i] = searchHitJSON{Path: h.Path, Title: h.Title, Namespace: h.Namespace, Score: h.Score, Updated: h.Updated.UTC(), Snippet: h.Snippet, Author: h.Author, AuthorName: h.AuthorName,
			Type: h.Type, Status: h.Status, Projects: h.Projects, Matches: matchesJSON(h.Matches), Scores: h.FieldScores}
	}
	s.writeJSON(w, r, http.StatusOK, out)
	return nil
}

func matchesJSON(ms []wiki.SearchMatch) []matchJSON {
	out := make([]matchJSON, len(ms))
	for i, m := range ms {
		out[i] = matchJSON{Word: m.Word, Found: m.Found, How: m.How, Fields: m.Fields}
	}
	return out
}

// facetsJSON answers each facet's counts, nil kept nil (null) and empty
// kept empty ([]) as the index gave them.
func facetsJSON(facets map[string][]wiki.FacetCount) map[string][]facetJSON {
	if facets == nil {
		return nil
	}
	out := make(map[string][]facetJSON, len(facets))
	for name, counts := range facets {
		if counts == nil {
			out[name] = nil
			continue
		}
		out[name] = make([]facetJSON, len(counts))
		for i, c := range counts {
			out[name][i] = facetJSON{Value: c.Value, Count: c.Count, Label: c.Label}
		}
	}
	return out
}

// suggestJSON is the answer of GET /api/suggest (an addition to the
// contract): page titles for the search box and the wiki-link picker.
type suggestJSON struct {
	Pages []linkJSON `json:"pages"` // as backlinks: {"path","title"}
}

// suggest answers GET /api/suggest?q=&limit=.
func (s *api) suggest(w http.ResponseWriter, r *http.Request, u *wiki.User) error {
	q := r.URL.Query()
	limit, _, err := queryInt(q, "limit", 10)
	if err != nil {
		return err
	}
	list, err := s.svc.Suggest(r.Context(), u, q.Get("q"), limit)
	if err != nil {
		return err
	}
	out := suggestJSON{Pages: make([]linkJSON, len(list))}
	for i, sg := range list {
		out.Pages[i] = linkJSON{Path: sg.Path, Title: sg.Title}
	}
	s.writeJSON(w, r, http.StatusOK, out)
	return nil
}
