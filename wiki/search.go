package wiki

import (
	"context"
	"strings"
	"time"
)

// SearchIndex is what the domain needs from a full-text index. The search
// package implements it with bleve; the index is derived from the store and
// can be rebuilt from it at any time.
type SearchIndex interface {
	// Search runs q. It never returns, counts or quotes a page outside
	// q.Namespaces.
	Search(ctx context.Context, q SearchQuery) (SearchResult, error)
	// Suggest returns up to limit pages whose title has a word starting
	// with prefix, in the allowed namespaces.
	Suggest(ctx context.Context, prefix string, allowedNS []string, limit int) ([]Suggestion, error)
}

// Why a search result may be partial.
const (
	PartialRebuilding = "rebuilding"  // the index is rebuilt from the store
	PartialCatchingUp = "catching_up" // the index applies the latest changes
)

// Sort orders of search results. The API offers the first two; views
// also sort the oldest first (SortOldest), and by title (SortTitle,
// SortTitleDesc), by TitleSortKey, then by path.
const (
	SortRelevance = "relevance"
	SortDate      = "date"
	SortOldest    = "oldest"
	SortTitle     = "title"
	SortTitleDesc = "-title"
)

// SearchParams is a search as a caller asks for it (the API's parameters).
type SearchParams struct {
	Q  string // the query, in the syntax ParseQuery reads
	NS string // restrict to one namespace ("" for all readable ones)
	// Filters are chosen apart from the text (a search page's facets):
	// they hold with those typed in Q, and their values need no quoting.
	// Those past the parser's bound on parts are ignored, as typed ones.
	Filters []Filter
	Limit   int // default 50, at most 500, as every list of the API
	Offset  int
	Sort    string // SortRelevance (default) or SortDate
	// Year keeps the pages last changed that year (a search page's
	// facet); 0: any year.
	Year int
	// FacetsOnly asks for the facet counts and the total only, no hit:
	// the search page browsed without a query.
	FacetsOnly bool
	// Debug asks for each hit's scores per field (SearchHit.FieldScores).
	Debug bool
}

// SearchQuery is a parsed search as the index runs it.
type SearchQuery struct {
	Query
	// Namespaces the caller may read: the index never looks outside them.
	// Empty means none, so a forgotten filter finds nothing rather than
	// everything.
	Namespaces []string
	Limit      int
	Offset     int
	Sort       string
	// Authors maps the value of an auteur: filter to the logins of the
	// members it names by login or display name (Service.resolveAuthors):
	// the filter matches pages by any of them, or by the value itself.
	Authors map[string][]string
	// FacetsOnly: the index answers the total and the facets, no hit.
	FacetsOnly bool
	// Bare asks for the hits alone, without facets or snippets: what a
	// list of pages needs (views.go), at a fraction of the cost.
	Bare  bool
	Debug bool // SearchParams.Debug
}

// SearchResult is one page of search hits with exact counts.
type SearchResult struct {
	Total   int
	Partial bool // the index is catching up or being rebuilt
	Relaxed bool // no page had every word: hits have any of them
	// PrefixCapped says a prefix matched so many words that only the most
	// frequent of them were searched (see search's expansion bounds).
	PrefixCapped bool
	// PartialReason says why the result is partial: PartialRebuilding or
	// PartialCatchingUp; "" when it is not. Interfaces word it.
	PartialReason string
	// Corrections are the words typed that matched nothing and were
	// searched as the closest indexed words instead.
	Corrections []SearchCorrection
	// DidYouMean are words to replace (CorrectQuery) for a query near
	// the one typed that finds more, offered when little was found.
	DidYouMean []SearchCorrection
	Hits       []SearchHit
	Facets     map[string][]FacetCount // by FacetNames
}

// FacetNames are the facets every search computes.
var FacetNames = []string{"namespace", "type", "status", "projects", "tags", "authors", "year"}

// SearchHit is one page found.
type SearchHit struct {
	Path      Path
	Title     string
	Namespace string
	Score     float64
	Updated   time.Time
	Snippet   string // HTML: escaped plain text, matched words in <mark>
	// Author is the login of the page's last editor, AuthorName their
	// display name (the login when they have none).
	Author     string
	AuthorName string
	// The page's type, status and projects (front matter), for badges.
	Type, Status, Projects []string
	// Matches says why the page was found: each word typed it holds, and
	// where.
	Matches []SearchMatch
	// FieldScores is the score each field gave (title, headings, text,
	// keywords), with SearchParams.Debug only.
	FieldScores map[string]float64
}

// SearchCorrection is a word typed (Word) searched as another (To).
type SearchCorrection struct {
	Word, To string
}

// How a word typed was found in a page (SearchMatch.How).
const (
	MatchWord      = "word"      // as typed (accents, case, plural aside)
	MatchCorrected = "corrected" // a typo corrected to an indexed word
	MatchPrefix    = "prefix"    // a word starting with what was typed
	MatchSynonym   = "synonym"   // a synonym of the club (club/synonymes)
	MatchCompound  = "compound"  // joined, hyphenated or spaced otherwise
)

// SearchMatch is one word typed as a hit holds it.
type SearchMatch struct {
	Word   string   // as typed
	Found  string   // the word found, when not Word itself
	How    string   // MatchWord, MatchCorrected…
	Fields []string // where: "title", "headings", "text"
}

// FacetCount is a facet value and the number of matching pages with it.
type FacetCount struct {
	Value string
	Count int
	// Label is how interfaces show the value when it is not the value
	// itself: an author's display name; "" otherwise.
	Label string
}

// Suggestion is a page title offered as the user types.
type Suggestion struct {
	Path  Path
	Title string
}

// errNoSearch answers searches on a Service without an index (commands
// and tests that do not need one): there is nothing to find, not a fault.
var errNoSearch = Errorf(ENotFound, "search is not enabled on this server")

// SetSearch gives the Service its search index, run within the default
// SearchLimits. It is set once, at start, before the Service serves
// requests.
func (s *Service) SetSearch(idx SearchIndex) { s.SetSearchLimited(idx, SearchLimits{}) }

// Search runs a search for actor. The index only ever sees the namespaces
// actor may read, so hits, total and facet counts exclude the others.
func (s *Service) Search(ctx context.Context, actor *User, p SearchParams) (SearchResult, error) {
	allowed, err := s.readable(ctx, actor)
	if err != nil {
		return SearchResult{}, err
	}
	if s.search == nil {
		return SearchResult{}, errNoSearch
	}
	q := SearchQuery{Query: ParseQuery(p.Q), Limit: p.Limit, Offset: p.Offset, Sort: p.Sort, FacetsOnly: p.FacetsOnly, Debug: p.Debug}
	q.Filters = append(givenFilters(p.Filters), q.Filters...)
	q.Query = withinYear(q.Query, p.Year)
	q.Limit = clampLimit(q.Limit) // the API's list limits: default 50, at most 500
	if q.Sort != SortDate {
		q.Sort = SortRelevance
	}
	q.Namespaces = allowed.narrow(Canonical(p.NS)).Keys()
	if err := s.resolveAuthors(ctx, &q); err != nil {
		return SearchResult{}, err
	}
	res, err := s.search.Search(ctx, q)
	if err != nil {
		return res, err
	}
	if err := s.nameFacetAuthors(ctx, res.Facets["authors"]); err != nil {
		return res, err
	}
	return res, s.nameAuthors(ctx, res.Hits)
}

// withinYear narrows q's dates to the year given apart from the text.
func withinYear(q Query, year int) Query {
	if year < 1 || year > 9999 {
		return q
	}
	from, to := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(year+1, 1, 1, 0, 0, 0, 0, time.UTC)
	if q.Since.Before(from) {
		q.Since = from
	}
	if q.Before.IsZero() || q.Before.After(to) {
		q.Before = to
	}
	return q
}

// givenFilters returns the filters given apart from the text that filter
// something, within the parser's bound on parts.
func givenFilters(fs []Filter) []Filter {
	out := make([]Filter, 0, min(len(fs), maxQueryParts))
	for _, f := range fs {
		if f.Value = strings.TrimSpace(f.Value); f.Field != "" && f.Value != "" && len(out) < maxQueryParts {
			out = append(out, f)
		}
	}
	return out
}

// Suggest offers page titles starting with prefix, for the search box and
// the wiki-link picker.
func (s *Service) Suggest(ctx context.Context, actor *User, prefix string, limit int) ([]Suggestion, error) {
	allowed, err := s.readable(ctx, actor)
	if err != nil {
		return nil, err
	}
	if s.search == nil {
		return nil, errNoSearch
	}
	if limit <= 0 || limit > 50 {
		limit = 10
	}
	return s.search.Suggest(ctx, prefix, allowed.Keys(), limit)
}
