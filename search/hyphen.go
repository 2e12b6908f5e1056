package search

import (
	"github.com/blevesearch/bleve/v2/analysis"
)

// maxJoinedParts bounds how many hyphen-linked words are joined into one
// extra token ("a-b-c-d…" in a long identifier).
const maxJoinedParts = 6

// hyphenTokenizer is bleve's Unicode word tokenizer plus, for every run of
// words linked by hyphens ("e-lyco", "ENT-MIP"), one extra token joining
// them ("elyco", "ENTMIP") at the position of the first part and spanning
// the whole run, so that the name is found with and without its hyphen and
// a snippet marks it whole.
type hyphenTokenizer struct{ inner analysis.Tokenizer }

func (h *hyphenTokenizer) Tokenize(input []byte) analysis.TokenStream {
	toks := h.inner.Tokenize(input)
	var out analysis.TokenStream
	for i := 0; i < len(toks); {
		j := i
		for j+1 < len(toks) && j-i+1 < maxJoinedParts && hyphenBetween(input, toks[j], toks[j+1]) {
			j++
		}
		if j == i {
			if out != nil {
				out = append(out, toks[i])
			}
			i++
			continue
		}
		if out == nil {
			out = make(analysis.TokenStream, 0, len(toks)+4)
			out = append(out, toks[:i]...)
		}
		out = append(out, toks[i:j+1]...)
		out = append(out, joined(toks[i:j+1]))
		i = j + 1
	}
	if out == nil {
		return toks
	}
	return out
}

// hyphenBetween reports whether a and b are separated by exactly one hyphen
// (ASCII or Unicode hyphen / non-breaking hyphen).
func hyphenBetween(input []byte, a, b *analysis.Token) bool {
	gap := string(input[a.End:b.Start])
	return gap == "-" || gap == "\u2010" || gap == "\u2011"
}

func joined(parts analysis.TokenStream) *analysis.Token {
	n := 0
	for _, p := range parts {
		n += len(p.Term)
	}
	term := make([]byte, 0, n)
	for _, p := range parts {
		term = append(term, p.Term...)
	}
	first, last := parts[0], parts[len(parts)-1]
	return &analysis.Token{
		Term: term, Start: first.Start, End: last.End,
		Position: first.Position, Type: analysis.AlphaNumeric,
	}
}
