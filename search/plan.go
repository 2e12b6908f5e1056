package search

import (
	"context"
	"errors"
	"strings"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/kdecole-club/clubwiki/wiki"
)

// unit is one thing a query asks of a page: a word typed, or words typed
// in a row read as one (a synonym of several words, a compound typed
// spaced). Pages holding more units rank higher (minShould).
type unit struct {
	typed  string // as typed
	q      query.Query
	alts   []alt // what it searches, for explaining hits
	filler bool  // an interrogative or filler word: scores, never matches alone
	dead   bool  // nothing in the index can match it
}

// alt is one form a unit is searched as.
type alt struct {
	found  string   // the form searched
	how    string   // wiki.Match*
	terms  []string // its analysed terms (title, headings, text)
	pterms []string // folded unstemmed terms (prefix fields)
}

// Boosts of the forms a word is searched as, under the word typed.
const (
	correctedBoost = 0.9
	prefixBoost    = 0.5
	fillerBoost    = 0.3
)

// planned is what reading the words of a query against the index gave.
type planned struct {
	units       []unit
	corrections []wiki.SearchCorrection
}

// plan reads the words of q: fillers apart, synonyms, compounds typed
// spaced, the last word as a prefix too, and words that match nothing
// corrected to the closest indexed ones.
func (x *Index) plan(ctx context.Context, b queryBuilder, q wiki.SearchQuery) (planned, error) {
	var p planned
	ws := q.Words
	exp := &expansion{syn: b.syn, text: b.text, groups: map[int]bool{}}
	err := x.withLexicon(ctx, func(lx *lexicon) error {
		for i := 0; i < len(ws); i++ {
			last := i == len(ws)-1 && len(q.Prefixes) == 0
			u, n, err := x.unitAt(b, lx, exp, ws, i, last)
			if err != nil {
				return err
			}
			i += n - 1
			if u.q == nil {
				continue
			}
			for _, a := range u.alts {
				if a.how == wiki.MatchCorrected {
					p.corrections = append(p.corrections, wiki.SearchCorrection{Word: u.typed, To: a.found})
					break
				}
			}
			p.units = append(p.units, u)
		}
		return nil
	})
	if errors.Is(err, errNoIndex) || (err != nil && isDamage(ctx, err)) {
		// The index is being reopened, or failed while its words were
		// read (the guard reported the damage, and a repair follows):
		// the search reads the words as typed, and meets the index's
		// state itself (it waits for a reopening, answers what it can).
		p, err = planned{}, nil
		for _, w := range ws {
			if u := b.plainUnit(w, exp); u.q != nil {
				u.filler = isFiller(w)
				p.units = append(p.units, u)
			}
		}
	}
	return p, err
}

// unitAt reads the unit starting at ws[i] and how many words it took.
func (x *Index) unitAt(b queryBuilder, lx *lexicon, exp *expansion, ws []string, i int, last bool) (unit, int, error) {
	w := ws[i]
	if n, rq := b.run(ws[i:], exp); n > 0 {
		u := unit{typed: strings.Join(ws[i:i+n], " "), q: rq}
		for _, t := range ws[i : i+n] {
			u.alts = append(u.alts, b.alt(t, wiki.MatchWord))
		}
		u.alts = append(u.alts, b.synonymAlts(strings.Join(ws[i:i+n], " "), exp)...)
		return u, n, nil
	}
	if isFiller(w) {
		return unit{typed: w, q: b.word(w), alts: []alt{b.alt(w, wiki.MatchWord)}, filler: true}, 1, nil
	}
	if i >= maxLexiconWords {
		return b.plainUnit(w, exp), 1, nil
	}
	if i+1 < len(ws) && !isFiller(ws[i+1]) {
		if u, ok, err := b.spacedCompound(lx, w, ws[i+1]); err != nil || ok {
			return u, 2, err
		}
	}
	u, err := x.wordUnit(b, lx, exp, w, last)
	return u, 1, err
}

// plainUnit is w and its synonyms, without looking at the index.
func (b queryBuilder) plainUnit(w string, exp *expansion) unit {
	u := unit{typed: w, q: b.word(w), alts: []alt{b.alt(w, wiki.MatchWord)}}
	if u.q == nil {
		return u
	}
	alts := exp.of(w)
	if len(alts) > 0 {
		u.q = query.NewDisjunctionQuery(append([]query.Query{u.q}, b.alternatives(alts)...))
		for _, s := range alts {
			u.alts = append(u.alts, b.alt(s, wiki.MatchSynonym))
		}
	}
	return u
}

// synonymAlts describes the synonyms of a run for explaining hits (the
// expansion already handed them out once: this reads the groups again).
func (b queryBuilder) synonymAlts(run string, _ *expansion) []alt {
	e := &expansion{syn: b.syn, text: b.text, groups: map[int]bool{}}
	var out []alt
	for _, s := range e.ofRun(run) {
		out = append(out, b.alt(s, wiki.MatchSynonym))
	}
	return out
}

// spacedCompound reads "e mail", "mot clé" as one word when the index
// holds them joined ("email", "motclé", or "mot-clé" whose joined form
// the tokenizer adds): either the two words or the joined one.
func (b queryBuilder) spacedCompound(lx *lexicon, w1, w2 string) (unit, bool, error) {
	f1, f2 := prefixTerm(w1), prefixTerm(w2)
	if f1 == "" || f2 == "" || strings.ContainsAny(w1+w2, "-*\"") {
		return unit{}, false, nil
	}
	joined := f1 + f2
	n, err := lx.anyCount(joined, fTextP, fTitleP)
	if err != nil || n == 0 {
		return unit{}, false, err
	}
	var qs []query.Query
	if both := b.conj(w1, w2); both != nil {
		qs = append(qs, both)
	}
	jq := b.word(joined)
	if jq == nil {
		return unit{}, false, nil
	}
	qs = append(qs, jq)
	u := unit{typed: w1 + " " + w2, q: query.NewDisjunctionQuery(qs),
		alts: []alt{b.alt(w1, wiki.MatchWord), b.alt(w2, wiki.MatchWord), b.alt(joined, wiki.MatchCompound)}}
	return u, true, nil
}

// conj requires every word of ws that is not a stop word.
func (b queryBuilder) conj(ws ...string) query.Query {
	var qs []query.Query
	for _, w := range ws {
		if wq := b.word(w); wq != nil {
			qs = append(qs, wq)
		}
	}
	if len(qs) == 0 {
		return nil
	}
	return query.NewConjunctionQuery(qs)
}

// wordUnit is one word: as typed or by its synonyms; the last word also
// as the start of longer words; a word the index does not hold, corrected
// to the closest words it holds, or split in two words it holds.
func (x *Index) wordUnit(b queryBuilder, lx *lexicon, exp *expansion, w string, last bool) (unit, error) {
	u := b.plainUnit(w, exp)
	if u.q == nil {
		return u, nil
	}
	known, err := lx.known(b.terms(w))
	if err != nil {
		return u, err
	}
	qs := []query.Query{u.q}
	if last {
		pq, pa, err := lastPrefix(lx, w)
		if err != nil {
			return u, err
		}
		if pq != nil {
			qs, u.alts = append(qs, pq), append(u.alts, pa)
			known = true
		}
	}
	if known {
		sq, sa, err := b.spaced(lx, w)
		if err != nil {
			return u, err
		}
		if sq != nil {
			qs, u.alts = append(qs, sq), append(u.alts, sa)
		}
	}
	if !known && len(u.alts) == 1 {
		cq, ca, err := b.corrected(lx, w)
		if err != nil {
			return u, err
		}
		if cq == nil {
			u.dead = true
			return u, nil
		}
		qs, u.alts = append(qs, cq), append(u.alts, ca...)
	}
	if len(qs) > 1 {
		u.q = query.NewDisjunctionQuery(qs)
	}
	return u, nil
}

// lastPrefix reads the last word typed as a prefix too: the most frequent
// words starting with it, in the title and the text, with a lower weight.
func lastPrefix(lx *lexicon, w string) (query.Query, alt, error) {
	t := prefixTerm(w)
	if utf8.RuneCountInString(t) < wiki.MinPrefixRunes {
		return nil, alt{}, nil
	}
	title, _, err := lx.expand(fTitleP, t, maxLastPrefixTerms)
	if err != nil {
		return nil, alt{}, err
	}
	text, _, err := lx.expand(fTextP, t, maxLastPrefixTerms)
	if err != nil {
		return nil, alt{}, err
	}
	title, text = without(title, t), without(text, t)
	if len(title)+len(text) == 0 {
		return nil, alt{}, nil
	}
	q := termsQuery(title, text)
	q.(query.BoostableQuery).SetBoost(prefixBoost)
	a := alt{found: t + "…", how: wiki.MatchPrefix, pterms: append(title, text...)}
	return q, a, nil
}

func without(ws []string, w string) []string {
	out := ws[:0]
	for _, x := range ws {
		if x != w {
			out = append(out, x)
		}
	}
	return out
}

// spaced finds w, a word the index holds, also written apart ("email":
// « e mail », "motclé": « mot clé »), when the index holds both parts.
func (b queryBuilder) spaced(lx *lexicon, w string) (query.Query, alt, error) {
	f := prefixTerm(w)
	if strings.ContainsAny(w, "-'’") || f == "" {
		return nil, alt{}, nil
	}
	a1, a2, ok, err := lx.split(f, true)
	if err != nil || !ok {
		return nil, alt{}, err
	}
	if len(b.terms(a1)) == 0 || len(b.terms(a2)) == 0 {
		return nil, alt{}, nil // "de but" would be any page with "but"
	}
	ph := a1 + " " + a2
	pq := b.phrase(ph)
	if pq == nil {
		return nil, alt{}, nil
	}
	return pq, b.alt(ph, wiki.MatchCompound), nil
}

// corrected searches w, which the index does not hold, as the closest
// words it holds, or as two words it holds written apart.
func (b queryBuilder) corrected(lx *lexicon, w string) (query.Query, []alt, error) {
	f := prefixTerm(w)
	cs, err := lx.closest(f, maxCorrections)
	if err != nil {
		return nil, nil, err
	}
	var qs []query.Query
	var alts []alt
	for _, c := range cs {
		if cq := b.word(c.word); cq != nil {
			cq.(query.BoostableQuery).SetBoost(correctedBoost)
			qs, alts = append(qs, cq), append(alts, b.alt(c.word, wiki.MatchCorrected))
		}
	}
	if len(qs) == 0 {
		a1, a2, ok, err := lx.split(f, false)
		if err != nil || !ok {
			return nil, nil, err
		}
		ph := a1 + " " + a2
		if pq := b.phrase(ph); pq != nil {
			qs, alts = append(qs, pq), append(alts, b.alt(ph, wiki.MatchCompound))
		}
	}
	if len(qs) == 0 {
		return nil, nil, nil
	}
	return query.NewDisjunctionQuery(qs), alts, nil
}

// alt describes form searched as how, with its analysed terms.
func (b queryBuilder) alt(form, how string) alt {
	return alt{found: form, how: how, terms: b.terms(form), pterms: []string{prefixTerm(form)}}
}

// terms returns the analysed terms of w as the word query searches them.
func (b queryBuilder) terms(w string) []string {
	if !strings.Contains(w, " ") {
		w = searchable(w)
	}
	toks := b.text.Analyze([]byte(w))
	out := make([]string, 0, len(toks))
	for _, t := range toks {
		out = append(out, string(t.Term))
	}
	return out
}
