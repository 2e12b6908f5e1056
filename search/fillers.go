package search

import "strings"

// fillerWords are the interrogative and filler words of questions typed in
// plain French (folded): « comment faire pour que… », « pourquoi est-ce
// que… », « les parents ne reçoivent plus… ». A page never matches on them
// alone; they only add a little to the score of pages that match the
// other words (fillerBoost). A query of fillers only searches them as
// words.
var fillerWords = toSet(`comment pourquoi quand quoi quel quelle quels quelles
ou combien lequel laquelle lesquels lesquelles est estce ce cela ca ceci que qui
ne n pas plus moins jamais rien faire fait fais faut font peut peux peuvent
pouvoir possible doit dois doivent devoir veux veut vouloir avoir etre il ils y
a on je tu nous vous chose quelque quelqu svp merci bonjour besoin aide aider
bien tres aussi encore toujours tout tous toute toutes marche`)

func toSet(words string) map[string]bool {
	out := map[string]bool{}
	for _, w := range strings.Fields(words) {
		out[w] = true
	}
	return out
}

// isFiller reports whether w, as typed, is a filler word (fillerWords),
// elided or not ("qu'est-ce" is "est-ce").
func isFiller(w string) bool {
	f := prefixTerm(w)
	return fillerWords[f] || fillerWords[strings.ReplaceAll(f, "-", "")]
}

// minShould is how many of n words a page must hold: all of one or two,
// one may be missing from three to six, a third of longer questions.
func minShould(n int) int {
	switch {
	case n <= 2:
		return n
	case n <= 6:
		return n - 1
	}
	return (2*n + 2) / 3
}
