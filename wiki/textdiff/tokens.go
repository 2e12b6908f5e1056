package textdiff

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// The word diff compares tokens, cut so that a change reads as a French
// reader sees it:
//
//   - a word is a run of letters, digits and combining marks, so that an
//     accented letter, precomposed or not, never splits a word;
//   - a hyphen or an apostrophe between letters stays inside the word
//     (« peut-être », « aujourd'hui », « k-d'école »), and so does a
//     decimal comma or point between digits (« 2,5 », « 2.4 »);
//   - an elided article or pronoun keeps its apostrophe and is a token of
//     its own: « l'école » is « l' » and « école », so that « l'école »
//     changed to « l'établissement » marks only the noun, and « école »
//     matches the same word written without an article;
//   - every other punctuation mark or symbol is a token of its own;
//   - '\n' is a token of its own, any other run of white space one token.
//
// Invalid UTF-8 bytes are tokens of one byte. Tokens are slices of the
// text, so joining them gives it back exactly.

// elisions are the French words that drop their vowel before another
// word, in lower case.
var elisions = map[string]bool{
	"l": true, "d": true, "j": true, "m": true, "n": true, "s": true, "t": true,
	"c": true, "ç": true, "qu": true, "jusqu": true, "lorsqu": true,
	"puisqu": true, "quoiqu": true, "presqu": true, "quelqu": true,
}

// maxElision bounds the bytes of an elided word in any case: the longest
// is six letters, and an upper-case or decomposed letter takes at most
// four bytes.
const maxElision = 6 * 4

// tokenStarts returns the byte offset of each token of s, plus len(s) as
// a final sentinel, as LineStarts does for lines.
func tokenStarts(s string) []int {
	at := make([]int, 1, len(s)/3+2)
	for i := 0; i < len(s); {
		i += tokenLen(s[i:])
		at = append(at, i)
	}
	return at
}

// tokenLen returns the length in bytes of the token that starts s, which
// is not empty.
func tokenLen(s string) int {
	r, n := utf8.DecodeRuneInString(s)
	switch {
	case r == '\n':
		return 1
	case unicode.IsSpace(r):
		for n < len(s) {
			r, m := utf8.DecodeRuneInString(s[n:])
			if r == '\n' || !unicode.IsSpace(r) {
				break
			}
			n += m
		}
		return n
	case isWordRune(r):
		return wordLen(s, n)
	}
	return n
}

// isWordRune reports whether r belongs to a word.
func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
}

// isApostrophe reports whether r elides a word: the typewriter apostrophe
// or the typographic one.
func isApostrophe(r rune) bool { return r == '\'' || r == '’' }

// isHyphen reports whether r joins the parts of a compound word.
func isHyphen(r rune) bool { return r == '-' || r == '\u2010' || r == '\u2011' }

// wordLen returns the length of the word that starts s, whose first n
// bytes are word runes.
func wordLen(s string, n int) int {
	prev, _ := utf8.DecodeLastRuneInString(s[:n])
	for n < len(s) {
		r, m := utf8.DecodeRuneInString(s[n:])
		if isWordRune(r) {
			n, prev = n+m, r
			continue
		}
		next, k := utf8.DecodeRuneInString(s[n+m:])
		if !joins(prev, r, next) {
			return n
		}
		// Only a short word can be an elision: looking up every long one
		// would lower-case the word again at each apostrophe, quadratic in
		// a line like « é'é'é'… ».
		if isApostrophe(r) && unicode.IsLetter(next) && n <= maxElision && elisions[strings.ToLower(s[:n])] {
			return n + m // « l' » then « école »
		}
		n, prev = n+m+k, next
	}
	return n
}

// joins reports whether the connector r keeps the runes around it in one
// word.
func joins(prev, r, next rune) bool {
	switch {
	case isHyphen(r):
		return isWordRune(next) && !unicode.IsMark(next)
	case isApostrophe(r):
		return unicode.IsLetter(next)
	case r == ',' || r == '.':
		return unicode.IsDigit(prev) && unicode.IsDigit(next)
	}
	return false
}

// tokenStartsMax is tokenStarts when s has at most max tokens; ok is
// false, and the work stops there, when it has more.
func tokenStartsMax(s string, max int) (at []int, ok bool) {
	at = make([]int, 1, min(len(s), max)+2)
	for i := 0; i < len(s); {
		if len(at) > max {
			return nil, false
		}
		i += tokenLen(s[i:])
		at = append(at, i)
	}
	return at, true
}

// tokenIDs numbers the tokens of a and b, equal tokens alike. Tokens
// equal once in Unicode's composed form (NFC) are alike too: a text saved
// by an editor that composes accents matches its old words, and only the
// words themselves show as changed (see segments).
func tokenIDs(a string, ta []int, b string, tb []int) (ia, ib []int32) {
	ids := make(map[string]int32)
	conv := func(s string, at []int) []int32 {
		out := make([]int32, len(at)-1)
		for i := range out {
			tok := s[at[i]:at[i+1]]
			if tok[0] >= utf8.RuneSelf && !norm.NFC.IsNormalString(tok) {
				tok = norm.NFC.String(tok)
			}
			id, ok := ids[tok]
			if !ok {
				id = int32(len(ids))
				ids[tok] = id
			}
			out[i] = id
		}
		return out
	}
	return conv(a, ta), conv(b, tb)
}
