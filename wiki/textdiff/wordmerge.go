package textdiff

import "strings"

// The merge by words: a passage of lines both sides changed (often one
// Markdown paragraph, table row or list) is cut into the tokens of the
// word diff (tokens.go: a word keeps its hyphens and inner apostrophes,
// a non-breaking space is a space token, each punctuation mark a token)
// and merged again, token by token, as merge3 merges lines. An elided
// article stays with its word here (« l'ENT » is one token): changing
// « l'ENT » into « l'application » and writing « le portail de » before it
// touch the same word, and conflict. Tokens are
// compared byte for byte, not once composed as the word diff does: a
// merge must give back each side's bytes.

// The bounds of the merge by words, besides the differ's time bound. A
// passage past them is merged by lines only: it conflicts whole.
const (
	// MaxMergeRegionTokens is the most tokens one side of one passage may
	// have, as MaxRegionTokens for the word diff (about 12 KB of prose).
	MaxMergeRegionTokens = MaxRegionTokens
	// MaxMergeTokens is the most tokens one merge compares, every side of
	// every passage together: about 750 KB of changed paragraphs.
	MaxMergeTokens = 1 << 18
)

// wordMerger merges the passages of one merge by words, within one
// budget.
type wordMerger struct {
	bud  *budget
	left int // tokens the merge may still compare
}

// merge merges the passage base changed into mine and into theirs by
// words. clean is true when no word conflicts: merged then has both
// changes. Otherwise yours and theirs are the passage with every change
// that does not conflict merged in, and each side's own text where they
// do; past the bounds they are mine and theirs as given.
func (w *wordMerger) merge(base, mine, theirs string) (merged, yours, theirsOut string, clean bool) {
	tb, tm, tt, ok := w.tokens(base, mine, theirs)
	if !ok {
		return "", mine, theirs, false
	}
	ib, im, it := tokenNumbers(tb, tm, tt)
	cm, ok := w.regions(ib, im)
	if !ok {
		return "", mine, theirs, false
	}
	ct, ok := w.regions(ib, it)
	if !ok {
		return "", mine, theirs, false
	}
	var m, y, t strings.Builder
	conflicts := 0
	merge3(tb, tm, tt, cm, ct, func(s string) {
		m.WriteString(s)
		y.WriteString(s)
		t.WriteString(s)
	}, func(_, mi, th string) {
		conflicts++
		y.WriteString(mi)
		t.WriteString(th)
	})
	if conflicts > 0 {
		return "", y.String(), t.String(), false
	}
	return m.String(), "", "", true
}

// tokens cuts the three texts into tokens within the bounds; ok is false
// past them.
func (w *wordMerger) tokens(base, mine, theirs string) (tb, tm, tt text, ok bool) {
	limit := min(MaxMergeRegionTokens, w.left)
	if limit <= 0 {
		return text{}, text{}, text{}, false
	}
	for _, p := range []struct {
		t *text
		s string
	}{{&tb, base}, {&tm, mine}, {&tt, theirs}} {
		at, ok := tokenStartsMax(p.s, limit)
		if !ok {
			// Counted as spent: many long passages cannot cost more
			// than the merge's bound in cutting alone.
			w.left -= limit
			return text{}, text{}, text{}, false
		}
		*p.t = text{p.s, glueElisions(p.s, at)}
	}
	w.left -= tb.n() + tm.n() + tt.n()
	return tb, tm, tt, true
}

// glueElisions drops from the token starts at those that follow an elided
// word (a token that ends with an apostrophe, see wordLen).
func glueElisions(s string, at []int) []int {
	out := at[:1]
	for k := 1; k < len(at); k++ {
		if k < len(at)-1 && elided(s[at[k-1]:at[k]]) {
			continue
		}
		out = append(out, at[k])
	}
	return out
}

// elided reports whether the token tok is an elided word: letters, then
// an apostrophe.
func elided(tok string) bool {
	for _, a := range []string{"'", "’"} {
		if w, ok := strings.CutSuffix(tok, a); ok && w != "" {
			return true
		}
	}
	return false
}

// regions returns the changed regions turning the tokens a into b; ok is
// false when the time bound ran out or the context ended.
func (w *wordMerger) regions(a, b []int32) ([]Region, bool) {
	pre := 0
	for pre < len(a) && pre < len(b) && a[pre] == b[pre] {
		pre++
	}
	var runs []run
	ok := false
	if w.bud.useGoDiff(len(a)-pre, len(b)-pre, len(a)+len(b)) {
		runs, ok = goDiff(w.bud, a[pre:], b[pre:])
	}
	if !ok {
		w.bud.guards++
		runs = diffIDs(w.bud, a[pre:], b[pre:])
	}
	if w.bud.expired || w.bud.err != nil {
		return nil, false
	}
	return regionsOf(runs, pre), true
}

// regionsOf turns a script into its changed regions, both sequences
// starting at off.
func regionsOf(runs []run, off int) []Region {
	var out []Region
	i, j := off, off
	for k := 0; k < len(runs); {
		if runs[k].op == Equal {
			i, j = i+runs[k].n, j+runs[k].n
			k++
			continue
		}
		r := Region{A0: i, B0: j}
		for ; k < len(runs) && runs[k].op != Equal; k++ {
			if runs[k].op == Delete {
				i += runs[k].n
			} else {
				j += runs[k].n
			}
		}
		r.A1, r.B1 = i, j
		out = append(out, r)
	}
	return out
}

// tokenNumbers numbers the tokens of the three texts, byte-equal tokens
// alike.
func tokenNumbers(ts ...text) (a, b, c []int32) {
	ids := make(map[string]int32)
	out := make([][]int32, len(ts))
	for k, t := range ts {
		out[k] = make([]int32, t.n())
		for i := range out[k] {
			tok := t.line(i)
			id, ok := ids[tok]
			if !ok {
				id = int32(len(ids))
				ids[tok] = id
			}
			out[k][i] = id
		}
	}
	return out[0], out[1], out[2]
}
