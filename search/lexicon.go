package search

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	index "github.com/blevesearch/bleve_index_api"
)

// Bounds of the dictionary work one query does to read what was typed:
// each word is looked up a few times, a word matching nothing is corrected
// once, the last word stands for a few words starting with it.
const (
	// maxCorrections is how many indexed words a word matching nothing
	// is corrected to (the closest, most frequent first).
	maxCorrections = 3
	// maxFuzzyScan bounds the dictionary entries read to correct a word.
	maxFuzzyScan = 500
	// maxCountedCandidates bounds the nearest words whose pages are
	// counted to choose the most frequent.
	maxCountedCandidates = 24
	// maxLastPrefixTerms is how many words the last word typed stands for
	// as a prefix, in each of the title and the text.
	maxLastPrefixTerms = 12
	// maxSplitRunes: a longer word matching nothing is not tried as two
	// joined words ("motclé" → "mot clé").
	maxSplitRunes = 24
	// maxLexiconWords: the words of a query past this many are taken as
	// typed (no correction, no compound).
	maxLexiconWords = 10
)

// minCorrectRunes and maxCorrectRunes: shorter words are not corrected
// (too many neighbours), nor longer ones (no word typed, and the automaton
// of a long word is large).
const (
	minCorrectRunes = 4
	maxCorrectRunes = 30
)

// fuzziness is the edit distance a word of n letters is corrected within:
// one edit for short words, two for long ones.
func fuzziness(n int) int {
	switch {
	case n < minCorrectRunes || n > maxCorrectRunes:
		return 0
	case n < 8:
		return 1
	}
	return 2
}

// lexicon answers questions on the index's words for one query, on one
// snapshot of the index.
type lexicon struct {
	ctx context.Context
	r   index.IndexReader
}

// withLexicon calls f with a lexicon of the open index.
func (x *Index) withLexicon(ctx context.Context, f func(lx *lexicon) error) error {
	return x.bleve.read("reading words", func(b bleve.Index) error {
		adv, err := b.Advanced()
		if err != nil {
			return err
		}
		r, err := adv.Reader()
		if err != nil {
			return err
		}
		defer func() { _ = r.Close() }()
		return f(&lexicon{ctx: ctx, r: r})
	})
}

// expand is Index.expand on the lexicon's snapshot. Code running inside
// withLexicon must use it rather than Index.expand: that would take the
// guard's read lock a second time, which deadlocks once a writer (a
// repair closing the index) waits between the two.
func (lx *lexicon) expand(field, prefix string, n int) ([]string, bool, error) {
	return expandIn(lx.ctx, prefixSource(lx.r), field, prefix, n)
}

// count is how many pages hold term in field.
func (lx *lexicon) count(field, term string) (uint64, error) {
	tfr, err := lx.r.TermFieldReader(lx.ctx, []byte(term), field, false, false, false)
	if err != nil {
		return 0, fmt.Errorf("looking up %q: %w", term, err)
	}
	defer func() { _ = tfr.Close() }()
	return tfr.Count(), nil
}

// anyCount is the largest count of term in fields.
func (lx *lexicon) anyCount(term string, fields ...string) (uint64, error) {
	var best uint64
	for _, f := range fields {
		n, err := lx.count(f, term)
		if err != nil {
			return 0, err
		}
		best = max(best, n)
	}
	return best, nil
}

// known reports whether the analysed terms of a word are all in the index
// (title, text or keywords).
func (lx *lexicon) known(terms []string) (bool, error) {
	if len(terms) == 0 {
		return false, nil
	}
	for _, t := range terms {
		n, err := lx.anyCount(t, fText, fTitle, fKeywords)
		if err != nil || n == 0 {
			return false, err
		}
	}
	return true, nil
}

// candidate is an indexed word near a typed one.
type candidate struct {
	word  string
	dist  uint8
	count uint64
}

// closest returns the indexed words (folded, unstemmed) nearest to folded,
// within its fuzziness, of the same first letter: the nearest, then the
// most frequent, at most n.
func (lx *lexicon) closest(folded string, n int) ([]candidate, error) {
	fz := fuzziness(utf8.RuneCountInString(folded))
	fr := fuzzySource(lx.r)
	if fz == 0 || fr == nil {
		return nil, nil
	}
	_, size := utf8.DecodeRuneInString(folded)
	seen := map[string]bool{}
	var out []candidate
	for _, field := range []string{fTextP, fTitleP} {
		d, a, err := fr.FieldDictFuzzyAutomaton(field, folded, fz, folded[:size])
		if err != nil {
			// The automaton is too large (a long word of odd
			// letters): the word is searched as typed.
			return nil, nil
		}
		out, err = lx.collect(d, a, folded, seen, out)
		_ = d.Close()
		if err != nil {
			return nil, err
		}
	}
	// Only the nearest words ("notfication" is "notification", not also
	// a word two edits away), a bounded number of them counted.
	best := uint8(255)
	for _, c := range out {
		best = min(best, c.dist)
	}
	near := out[:0]
	for _, c := range out {
		if c.dist == best && len(near) < maxCountedCandidates {
			near = append(near, c)
		}
	}
	for i := range near {
		n, err := lx.anyCount(near[i].word, fTextP, fTitleP)
		if err != nil {
			return nil, err
		}
		near[i].count = n
	}
	sort.Slice(near, func(i, j int) bool {
		if near[i].count != near[j].count {
			return near[i].count > near[j].count
		}
		return near[i].word < near[j].word
	})
	return near[:min(len(near), n)], nil
}

// collect adds the entries of d (not yet seen, not folded itself) with
// their distance.
func (lx *lexicon) collect(d index.FieldDict, a index.FuzzyAutomaton, folded string, seen map[string]bool, out []candidate) ([]candidate, error) {
	for i := 0; i < maxFuzzyScan; i++ {
		e, err := d.Next()
		if err != nil || e == nil {
			return out, err
		}
		if e.Term == folded || seen[e.Term] || !isWordTerm(e.Term) {
			continue
		}
		seen[e.Term] = true
		_, dist := a.MatchAndDistance(e.Term)
		out = append(out, candidate{word: e.Term, dist: dist})
	}
	return out, nil
}

// isWordTerm: letters only, as a member would be offered a word.
func isWordTerm(t string) bool {
	return t != "" && strings.IndexFunc(t, func(r rune) bool { return !isWordRune(r) || (r >= '0' && r <= '9') }) < 0
}

// maxLeadRunes bounds the first part of a joined word looked for written
// apart when the word itself is indexed ("e"+"mail", "mot"+"cle").
const maxLeadRunes = 4

// split returns the two indexed words folded is made of ("motcle" → "mot",
// "cle"), the most frequent split; ok false when there is none. With
// short, only splits whose first part has at most maxLeadRunes letters
// are tried.
func (lx *lexicon) split(folded string, short bool) (a, b string, ok bool, err error) {
	if utf8.RuneCountInString(folded) > maxSplitRunes {
		return "", "", false, nil
	}
	var best uint64
	runes := 0
	for i := range folded {
		if runes++; i == 0 || (short && runes > maxLeadRunes+1) {
			continue
		}
		if len(folded)-i < 2 || (!short && i < 2) {
			continue
		}
		na, err := lx.count(fTextP, folded[:i])
		if err != nil || na == 0 {
			if err != nil {
				return "", "", false, err
			}
			continue
		}
		nb, err := lx.count(fTextP, folded[i:])
		if err != nil {
			return "", "", false, err
		}
		if n := min(na, nb); n > best {
			a, b, ok, best = folded[:i], folded[i:], true, n
		}
	}
	return a, b, ok, nil
}
