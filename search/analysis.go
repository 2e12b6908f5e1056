// Package search is clubwiki's full-text index: a bleve (scorch) index with
// an analysis chain for French, built from the store and kept in step with
// it by following the change log. It implements wiki.SearchIndex. The index
// holds nothing that is not in the store: it can be deleted and rebuilt at
// any time.
package search

import (
	"bytes"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	_ "github.com/blevesearch/bleve/v2/analysis/analyzer/custom" // the "custom" analyzer type
	"github.com/blevesearch/bleve/v2/analysis/lang/fr"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	unitok "github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/registry"
	"golang.org/x/text/unicode/norm"
)

// Names of the analysis components registered with bleve. They are stored
// in the index mapping, so renaming one is a mapping version change.
const (
	tokenizerName = "clubwiki_words"       // unicode words + joined hyphenated names
	foldName      = "clubwiki_fold"        // accents and ligatures, offsets kept
	stopName      = "clubwiki_stop_fr"     // French stop words, folded
	textAnalyzer  = "clubwiki_fr"          // full chain: stop words and stemming
	prefixAnalyze = "clubwiki_fr_prefix"   // folded but not stemmed, for word*
	keyAnalyzer   = "clubwiki_fr_keyword"  // one folded token, for filters
	keyTokenizer  = "clubwiki_key_tokens"  // the whole value as one token
	keyFilterName = "clubwiki_key_squeeze" // keeps letters and digits only
	stemName      = "clubwiki_stem_fr"     // bleve's light stemmer, short words only
	capName       = "clubwiki_cap"         // cuts terms to maxTermRunes
)

// maxTermRunes is the longest term indexed: a longer word (a pasted
// base64 image, minified code, a 50,000-letter test string) is cut to its
// first maxTermRunes letters, and so is the same word typed in a query,
// so it is still found. Uncut, one such word is a path of 50,000 states
// in the index's term dictionaries: every merge of its segment, and every
// prefix or typo expansion, walks and allocates all of them (at 20,000
// pages, a third of all memory allocated under a load of saves). Lucene's
// and Elasticsearch's standard tokenizers stop at 255; French words stop
// at 25, hashes at 64.
const maxTermRunes = 100

// maxStemBytes bounds the words given to the stemmer: bleve's French light
// stemmer is quadratic in the word's length, and a long token (a hash, a
// URL, minified code) is no French word anyway.
const maxStemBytes = 40

// Analysis order, and why:
//
//  1. words: Unicode word segmentation (UAX #29) keeps "l'école" and
//     "l’école" as one token; an extra token joins hyphenated parts, at the
//     first part's position, so "e-lyco" also yields "elyco".
//  2. lowercase, then the elision filter (l', d', qu', jusqu', lorsqu',
//     puisqu', n', s', c', j', m', t' with either apostrophe).
//  3. folding, before stop words and stemming: the light stemmer has rules
//     for "ième", "ère" and "ète" that an accent-less spelling would not
//     trigger, so stemming folded text is what makes "pedagogiques" and
//     "pédagogiques" give the same stem.
//  4. stop words (the folded list), 5. French light stemming.
//
// Every filter rewrites Term only: Start and End keep pointing at the whole
// original word, which is what snippets mark.
func init() {
	must(registry.RegisterTokenizer(tokenizerName, func(map[string]any, *registry.Cache) (analysis.Tokenizer, error) {
		return &hyphenTokenizer{inner: unitok.NewUnicodeTokenizer()}, nil
	}))
	must(registry.RegisterTokenizer(keyTokenizer, func(map[string]any, *registry.Cache) (analysis.Tokenizer, error) {
		return wholeTokenizer{}, nil
	}))
	must(registry.RegisterTokenFilter(foldName, func(map[string]any, *registry.Cache) (analysis.TokenFilter, error) {
		return foldFilter{}, nil
	}))
	must(registry.RegisterTokenFilter(keyFilterName, func(map[string]any, *registry.Cache) (analysis.TokenFilter, error) {
		return squeezeFilter{}, nil
	}))
	must(registry.RegisterTokenFilter(stemName, func(map[string]any, *registry.Cache) (analysis.TokenFilter, error) {
		return shortStemmer{inner: fr.NewFrenchLightStemmerFilter()}, nil
	}))
	must(registry.RegisterTokenFilter(capName, func(map[string]any, *registry.Cache) (analysis.TokenFilter, error) {
		return capFilter{}, nil
	}))
	must(registry.RegisterTokenFilter(stopName, func(map[string]any, *registry.Cache) (analysis.TokenFilter, error) {
		return stopFilter{words: foldedStopWords()}, nil
	}))
}

func must(err error) {
	if err != nil {
		panic(fmt.Sprintf("search: registering an analysis component: %v", err))
	}
}

// analyzerConfigs are the custom analyzers added to the index mapping.
var analyzerConfigs = map[string]map[string]any{
	textAnalyzer: {
		"type": "custom", "tokenizer": tokenizerName,
		"token_filters": []any{lowercase.Name, fr.ElisionName, foldName, stopName, stemName, capName},
	},
	prefixAnalyze: {
		"type": "custom", "tokenizer": tokenizerName,
		"token_filters": []any{lowercase.Name, fr.ElisionName, foldName, capName},
	},
	keyAnalyzer: {
		"type": "custom", "tokenizer": keyTokenizer,
		"token_filters": []any{lowercase.Name, foldName, keyFilterName, capName},
	},
}

// Fold lowercases s and removes accents and ligatures: "Vœux" → "voeux",
// "Rôle" → "role". Query terms that bypass analysis (prefixes) use it.
func Fold(s string) string { return string(foldTerm([]byte(strings.ToLower(s)))) }

// KeyOf is the folded form of a keyword value for filters: folded, with
// everything but letters and digits removed, so "E-lyco", "elyco" and
// "e lyco" are one project.
func KeyOf(s string) string {
	return string(capTerm(squeeze(foldTerm([]byte(strings.ToLower(s))))))
}

// capTerm cuts term after maxTermRunes runes.
func capTerm(term []byte) []byte {
	if len(term) <= maxTermRunes { // fewer bytes than the limit in runes
		return term
	}
	n := 0
	for i := range string(term) {
		if n == maxTermRunes {
			return term[:i]
		}
		n++
	}
	return term
}

// capFilter cuts each token's term after maxTermRunes runes; the offsets
// still cover the whole word, for snippets.
type capFilter struct{}

func (capFilter) Filter(in analysis.TokenStream) analysis.TokenStream {
	for _, t := range in {
		t.Term = capTerm(t.Term)
	}
	return in
}

// ligatures are the letters NFD does not decompose.
var ligatures = map[rune]string{
	'œ': "oe", 'Œ': "oe", 'æ': "ae", 'Æ': "ae", 'ß': "ss", 'ẞ': "ss",
	'ø': "o", 'Ø': "o", 'đ': "d", 'ł': "l", 'Ł': "l", 'ı': "i",
}

// foldTerm returns term without combining marks and ligatures; it returns
// term itself when it is ASCII.
func foldTerm(term []byte) []byte {
	ascii := true
	for _, c := range term {
		if c >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return term
	}
	out := make([]byte, 0, len(term))
	var buf [16]byte
	for _, r := range string(term) {
		if r < utf8.RuneSelf {
			out = append(out, byte(r))
			continue
		}
		if l, ok := ligatures[r]; ok {
			out = append(out, l...)
			continue
		}
		n := utf8.EncodeRune(buf[:], r)
		for _, d := range string(norm.NFD.Append(nil, buf[:n]...)) {
			if !unicode.Is(unicode.Mn, d) {
				out = utf8.AppendRune(out, d)
			}
		}
	}
	return out
}

// foldFilter folds each token's term and leaves its offsets alone.
type foldFilter struct{}

func (foldFilter) Filter(in analysis.TokenStream) analysis.TokenStream {
	for _, t := range in {
		t.Term = foldTerm(t.Term)
	}
	return in
}

func squeeze(b []byte) []byte {
	return bytes.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return r
		}
		return -1
	}, b)
}

// squeezeFilter keeps letters and digits of keyword values.
type squeezeFilter struct{}

func (squeezeFilter) Filter(in analysis.TokenStream) analysis.TokenStream {
	out := in[:0]
	for _, t := range in {
		if t.Term = squeeze(t.Term); len(t.Term) > 0 {
			out = append(out, t)
		}
	}
	return out
}

// stopFilter drops French stop words, compared folded.
type stopFilter struct{ words map[string]bool }

func (f stopFilter) Filter(in analysis.TokenStream) analysis.TokenStream {
	out := in[:0]
	for _, t := range in {
		if !f.words[string(t.Term)] {
			out = append(out, t)
		}
	}
	return out
}

// foldedStopWords is bleve's French stop list (Snowball's), folded.
func foldedStopWords() map[string]bool {
	m := analysis.NewTokenMap()
	if err := m.LoadBytes(fr.FrenchStopWords); err != nil {
		panic(err) // a constant list
	}
	out := make(map[string]bool, len(m))
	for w := range m {
		out[string(foldTerm([]byte(w)))] = true
	}
	return out
}

// wholeTokenizer makes the whole (trimmed) input one token.
type wholeTokenizer struct{}

func (wholeTokenizer) Tokenize(in []byte) analysis.TokenStream {
	t := bytes.TrimSpace(in)
	if len(t) == 0 {
		return nil
	}
	start := bytes.Index(in, t)
	return analysis.TokenStream{{Term: t, Start: start, End: start + len(t), Position: 1, Type: analysis.AlphaNumeric}}
}

// shortStemmer stems the words of at most maxStemBytes.
type shortStemmer struct{ inner analysis.TokenFilter }

func (f shortStemmer) Filter(in analysis.TokenStream) analysis.TokenStream {
	one := make(analysis.TokenStream, 1)
	for _, t := range in {
		if len(t.Term) <= maxStemBytes {
			one[0] = t
			f.inner.Filter(one)
		}
	}
	return in
}
