package search

import (
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/kdecole-club/clubwiki/wiki"
)

// Field boosts for words: a word in the title counts most.
var wordFields = []struct {
	name  string
	boost float64
}{
	{fTitle, 4}, {fHeadings, 2}, {fKeywords, 1.5}, {fText, 1},
}

// filterFields maps the domain's filter fields to the folded keyword fields.
var filterFields = map[string]string{
	wiki.FieldType: keyField("type"), wiki.FieldStatus: keyField("status"),
	wiki.FieldProjects: keyField("projects"), wiki.FieldTags: keyField("tags"),
	wiki.FieldAuthor: fAuthor,
}

// queryBuilder turns a parsed wiki query into a bleve query. It analyses
// words itself so that a word made only of stop words ("le") is dropped
// instead of making the whole query match nothing.
type queryBuilder struct {
	text analysis.Analyzer
	// prefixes holds the query's prefixes, each already expanded to the
	// words it stands for (Index.prefixQueries).
	prefixes []query.Query
	// syn is the club's synonyms (nil: none), which words are expanded
	// with (expansion).
	syn *synonyms
	// units are the query's words as Index.plan read them.
	units []unit
}

// build returns the query: every content word counts, a page must hold
// minShould of them (one when relaxed), fillers only add to the score;
// phrases, prefixes typed with * and filters are required, exclusions
// excluded.
func (b queryBuilder) build(q wiki.SearchQuery, relaxed bool) query.Query {
	must := []query.Query{scope(q.Namespaces)}
	content, fillers, live := b.split()
	must = append(must, b.prefixes...)
	for _, ph := range q.Phrases {
		if pq := b.phrase(ph); pq != nil {
			must = append(must, pq)
		}
	}
	if len(must) == 1 && len(content) == 0 && len(q.Words)+len(q.Prefixes)+len(q.Phrases) > 0 {
		// Words were typed but none is searchable (stop words only):
		// finding every page would be a surprise.
		return query.NewMatchNoneQuery()
	}
	with, without := filters(q)
	must = append(must, with...)
	if len(content) > 0 {
		d := query.NewDisjunctionQuery(content)
		d.SetMin(float64(max(1, minShould(live))))
		if relaxed {
			d.SetMin(1)
		}
		must = append(must, d)
	}
	bq := query.NewBooleanQuery(must, nil, nil)
	if len(fillers) > 0 {
		bq.AddShould(fillers...)
	}
	for _, n := range without {
		bq.AddMustNot(n)
	}
	for _, ex := range q.Exclude {
		if eq := b.phrase(ex); eq != nil {
			bq.AddMustNot(eq)
		}
	}
	return bq
}

// split returns the queries of the content words and of the fillers, and
// how many content words something in the index can match. With no
// content word, the fillers are the content.
func (b queryBuilder) split() (content, fillers []query.Query, live int) {
	for _, u := range b.units {
		switch {
		case u.filler:
			fillers = append(fillers, u.q)
		default:
			content = append(content, u.q)
			if !u.dead {
				live++
			}
		}
	}
	if len(content) == 0 {
		return fillers, nil, len(fillers)
	}
	for _, f := range fillers {
		f.(query.BoostableQuery).SetBoost(fillerBoost)
	}
	return content, fillers, live
}

// relaxable reports whether a relaxed query (any one word) may find more.
func (b queryBuilder) relaxable() bool {
	_, _, live := b.split()
	return live > 1
}

// missing reports whether a content word typed is in no page: hits then
// lack it (SearchResult.Relaxed).
func (b queryBuilder) missing() bool {
	for _, u := range b.units {
		if u.dead && !u.filler {
			return true
		}
	}
	return false
}

// scope keeps the namespaces the caller may read, and only them.
func scope(ns []string) query.Query {
	if len(ns) == 0 {
		return query.NewMatchNoneQuery()
	}
	qs := make([]query.Query, len(ns))
	for i, n := range ns {
		t := query.NewTermQuery(n)
		t.SetField(fNamespace)
		qs[i] = t
	}
	// Where a page lives says nothing of its relevance.
	return unscored(query.NewDisjunctionQuery(qs))
}

// searchable returns w as the index sees it: a hyphenated name is looked up
// by its joined form, which the tokenizer indexes for every such name.
func searchable(w string) string {
	if strings.Contains(w, "-") && !strings.HasPrefix(w, "-") {
		return strings.ReplaceAll(w, "-", "")
	}
	return w
}

// word matches w in any text field, with the field's boost. A hyphenated
// word is also found written spaced ("mot-clé": « mot clé »).
func (b queryBuilder) word(w string) query.Query {
	j := searchable(w)
	if j == w {
		return b.fieldsWord(w)
	}
	jq := b.fieldsWord(j)
	pq := b.phrase(strings.ReplaceAll(w, "-", " "))
	if jq == nil || pq == nil {
		return jq
	}
	return query.NewDisjunctionQuery([]query.Query{jq, pq})
}

// fieldsWord matches w in any text field, with the field's boost.
func (b queryBuilder) fieldsWord(w string) query.Query {
	if len(b.text.Analyze([]byte(w))) == 0 {
		return nil // only stop words
	}
	qs := make([]query.Query, 0, len(wordFields))
	for _, f := range wordFields {
		m := query.NewMatchQuery(w)
		m.SetField(f.name)
		m.SetOperator(query.MatchQueryOperatorAnd)
		m.SetBoost(f.boost)
		qs = append(qs, m)
	}
	return query.NewDisjunctionQuery(qs)
}

// maxSynonymRun is the most words typed in a row read as one synonym
// ("mot de passe").
const maxSynonymRun = 3

// run matches the longest run of words at the start of ws that is a
// synonym of several words: those words, or a synonym of them. n is how
// many words it took, 0 when none is.
func (b queryBuilder) run(ws []string, exp *expansion) (n int, q query.Query) {
	for n = min(maxSynonymRun, len(ws)); n >= 2; n-- {
		alts := exp.ofRun(strings.Join(ws[:n], " "))
		if len(alts) == 0 {
			continue
		}
		var all []query.Query
		for _, w := range ws[:n] {
			if wq := b.word(w); wq != nil {
				all = append(all, wq)
			}
		}
		var qs []query.Query
		if len(all) > 0 {
			qs = append(qs, query.NewConjunctionQuery(all))
		}
		return n, query.NewDisjunctionQuery(append(qs, b.alternatives(alts)...))
	}
	return 0, nil
}

// alternatives matches each synonym, a little under the words typed.
func (b queryBuilder) alternatives(alts []string) []query.Query {
	var qs []query.Query
	for _, t := range alts {
		var aq query.Query
		if strings.Contains(t, " ") {
			aq = b.phrase(t)
		} else {
			aq = b.word(t)
		}
		if bq, ok := aq.(query.BoostableQuery); ok {
			bq.SetBoost(synonymBoost)
			qs = append(qs, aq)
		}
	}
	return qs
}

// phrase matches the words of ph in that order in the title or the text.
// A single word is a word query.
func (b queryBuilder) phrase(ph string) query.Query {
	if len(strings.Fields(ph)) <= 1 {
		return b.word(ph)
	}
	if len(b.text.Analyze([]byte(ph))) == 0 {
		return nil
	}
	var qs []query.Query
	for _, f := range []string{fTitle, fText, fHeadings} {
		m := query.NewMatchPhraseQuery(ph)
		m.SetField(f)
		qs = append(qs, m)
	}
	return query.NewDisjunctionQuery(qs)
}

// filters returns the field:value and date restrictions, which do not
// score: those pages must match (with) and the negated ones they must not
// (without).
func filters(q wiki.SearchQuery) (with, without []query.Query) {
	for _, f := range q.Filters {
		var fq query.Query
		switch field := filterFields[f.Field]; {
		case f.Field == wiki.FieldNamespace:
			t := query.NewTermQuery(wiki.Canonical(f.Value))
			t.SetField(fNamespace)
			fq = t
		case field != "":
			fq = anyValue(field, append([]string{f.Value}, authorLogins(q, f)...))
		default:
			m := query.NewMatchQuery(strings.TrimPrefix(f.Field, wiki.FieldMetaPrefix) + ":" + f.Value)
			m.SetField(fMeta)
			fq = m
		}
		if f.Not {
			without = append(without, fq)
		} else {
			with = append(with, unscored(fq))
		}
	}
	if !q.Since.IsZero() || !q.Before.IsZero() {
		with = append(with, dateRange(q))
	}
	return with, without
}

// authorLogins returns the logins an auteur: filter names (SearchQuery.Authors).
func authorLogins(q wiki.SearchQuery, f wiki.Filter) []string {
	if f.Field != wiki.FieldAuthor {
		return nil
	}
	return q.Authors[f.Value]
}

// anyValue matches pages whose field has one of values.
func anyValue(field string, values []string) query.Query {
	qs := make([]query.Query, len(values))
	for i, v := range values {
		m := query.NewMatchQuery(v)
		m.SetField(field)
		qs[i] = m
	}
	if len(qs) == 1 {
		return qs[0]
	}
	return query.NewDisjunctionQuery(qs)
}

// The dates bleve can index: nanoseconds since 1970 in an int64.
var (
	minDate = time.Date(1678, 1, 1, 0, 0, 0, 0, time.UTC)
	maxDate = time.Date(2262, 1, 1, 0, 0, 0, 0, time.UTC)
)

func clampDate(t time.Time) time.Time {
	switch {
	case t.IsZero():
		return t
	case t.Before(minDate):
		return minDate
	case t.After(maxDate):
		return maxDate
	}
	return t
}

func dateRange(q wiki.SearchQuery) query.Query {
	since, before := clampDate(q.Since), clampDate(q.Before)
	if !since.IsZero() && !before.IsZero() && !since.Before(before) {
		return query.NewMatchNoneQuery()
	}
	var incl, excl = true, false
	d := bleve.NewDateRangeInclusiveQuery(since, before, &incl, &excl)
	d.SetField(fUpdated)
	return unscored(d)
}

// filterBoost is the weight of restrictions (namespaces, filters, dates):
// small, not zero, since bleve normalises scores by the sum of weights.
const filterBoost = 1e-3

// unscored makes q a restriction that hardly moves scores.
func unscored(q query.Query) query.Query {
	if b, ok := q.(query.BoostableQuery); ok {
		b.SetBoost(filterBoost)
	}
	return q
}
