package web

import (
	"strings"

	"github.com/kdecole-club/clubwiki/wiki"
)

// correctionView is the line over the hits of a search whose words were
// corrected: « Résultats pour notification — rechercher plutôt
// notfication ».
type correctionView struct {
	Corrected  string // the query searched
	Typed      string // the query typed
	InsteadURL string // the search of the words as typed
}

// didYouMeanView offers a query near the one typed that finds more.
type didYouMeanView struct {
	Q   string
	URL string
}

// fillCorrections fills what the page says of the words it corrected or
// could correct.
func fillCorrections(st searchState, res wiki.SearchResult, v *searchView) {
	if len(res.Corrections) > 0 {
		v.Correction = &correctionView{
			Corrected:  wiki.CorrectQuery(st.Q, res.Corrections),
			Typed:      st.Q,
			InsteadURL: st.with(func(s *searchState) { s.Q = quoteWords(s.Q, res.Corrections); s.Page = 1 }).url(),
		}
	}
	if len(res.DidYouMean) > 0 {
		q := wiki.CorrectQuery(st.Q, res.DidYouMean)
		v.DidYouMean = &didYouMeanView{Q: q, URL: st.with(func(s *searchState) { s.Q = q; s.Page = 1 }).url()}
	}
}

// quoteWords quotes the corrected words of q: a word in quotes is searched
// as typed, never corrected.
func quoteWords(q string, cs []wiki.SearchCorrection) string {
	quoted := make([]wiki.SearchCorrection, len(cs))
	for i, c := range cs {
		quoted[i] = wiki.SearchCorrection{Word: c.Word, To: `"` + c.Word + `"`}
	}
	return wiki.CorrectQuery(q, quoted)
}

// whyKeys are the catalogue keys saying how a word was found.
var whyKeys = map[string]string{
	wiki.MatchWord: "search.why.word", wiki.MatchCorrected: "search.why.corrected",
	wiki.MatchPrefix: "search.why.prefix", wiki.MatchSynonym: "search.why.synonym",
	wiki.MatchCompound: "search.why.compound",
}

// fieldKeys are the catalogue keys naming the fields a word was found in.
var fieldKeys = map[string]string{
	"title": "search.why.field.title", "headings": "search.why.field.headings", "text": "search.why.field.text",
}

// whyLines says, one line per word typed, why a hit matched: the word, the
// form found, and where (« pourquoi ce résultat ? »).
func whyLines(c *uiCtx, ms []wiki.SearchMatch) []string {
	out := make([]string, 0, len(ms))
	for _, m := range ms {
		fields := make([]string, len(m.Fields))
		for i, f := range m.Fields {
			fields[i] = c.L.T(fieldKeys[f])
		}
		where := strings.Join(fields, ", ")
		key := whyKeys[m.How]
		if key == "" {
			continue
		}
		if m.How == wiki.MatchWord {
			out = append(out, c.L.T(key, m.Word, where))
		} else {
			out = append(out, c.L.T(key, m.Word, m.Found, where))
		}
	}
	return out
}
