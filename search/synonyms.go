package search

import (
	"context"
	"strings"
	"sync"
	"unicode"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/kdecole-club/clubwiki/wiki"
)

// SynonymsPage is the page where members list the club's synonyms: a
// Markdown list, one group of words that mean the same per item, separated
// by commas or semicolons ("- courriel, mail, e-mail, messagerie").
var SynonymsPage = wiki.MustPath("club/synonymes")

// Bounds of the synonyms page and of the expansion of one query.
const (
	maxSynonymGroups    = 1000 // groups read from the page, the first ones
	maxGroupTerms       = 12   // terms of one group, the first ones
	maxSynonymTermBytes = 80   // a longer term is skipped
	maxSynonymTermWords = 6    // a term of more words is skipped
	maxSynonymLineBytes = 2000 // a longer line is skipped
	// maxExpandedGroups and maxExpandedTerms bound the synonyms one query
	// adds: the groups of its first words, then nothing more.
	maxExpandedGroups = 4
	maxExpandedTerms  = 16
)

// synonymBoost weighs a synonym's match a little under the word typed.
const synonymBoost = 0.8

// ParseSynonyms reads the groups of a synonyms page. A line that is not a
// list item (a title, a sentence, front matter) is not a group; a bad item
// (fewer than two usable terms, too long) is skipped: the page is written
// by members and a mistake in it must never fail a search.
func ParseSynonyms(md string) [][]string {
	var groups [][]string
	for line := range strings.Lines(md) {
		if len(groups) == maxSynonymGroups {
			break
		}
		item, ok := listItem(line)
		if !ok || len(item) > maxSynonymLineBytes {
			continue
		}
		if g := synonymGroup(item); len(g) >= 2 {
			groups = append(groups, g)
		}
	}
	return groups
}

// listItem returns the text of a Markdown list item ("- ", "* ", "+ ",
// "1. ", "1) "), ok false for any other line.
func listItem(line string) (string, bool) {
	s := strings.TrimSpace(line)
	if len(s) >= 2 && strings.ContainsRune("-*+", rune(s[0])) && (s[1] == ' ' || s[1] == '\t') {
		return s[2:], true
	}
	i := 0
	for i < len(s) && i < 9 && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i > 0 && i+1 < len(s) && (s[i] == '.' || s[i] == ')') && (s[i+1] == ' ' || s[i+1] == '\t') {
		return s[i+2:], true
	}
	return "", false
}

// synonymGroup splits an item into its terms, without Markdown emphasis,
// each once (accents and case aside).
func synonymGroup(item string) []string {
	item = strings.ToValidUTF8(item, " ")
	item = strings.Map(func(r rune) rune {
		if r == '*' || r == '_' || r == '`' || unicode.IsControl(r) {
			return ' '
		}
		return r
	}, item)
	seen := map[string]bool{}
	var out []string
	for _, t := range strings.FieldsFunc(item, func(r rune) bool { return r == ',' || r == ';' }) {
		words := strings.Fields(t)
		t = strings.Join(words, " ")
		if len(words) == 0 || len(words) > maxSynonymTermWords || len(t) > maxSynonymTermBytes || !hasWordRune(t) {
			continue
		}
		if k := Fold(t); !seen[k] && len(out) < maxGroupTerms {
			seen[k] = true
			out = append(out, t)
		}
	}
	return out
}

func hasWordRune(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) >= 0
}

// synonyms is the club's synonyms as the query builder looks them up: each
// term by its analysed form (folded, stemmed, as the index has it).
type synonyms struct {
	groups [][]string
	byKey  map[string][]int // analysed term → its groups
}

func newSynonyms(groups [][]string, a analysis.Analyzer) *synonyms {
	s := &synonyms{groups: groups, byKey: map[string][]int{}}
	for gi, g := range groups {
		for _, t := range g {
			if k := termKey(a, t); k != "" && !containsInt(s.byKey[k], gi) {
				s.byKey[k] = append(s.byKey[k], gi)
			}
		}
	}
	return s
}

func containsInt(xs []int, x int) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// termKey is a term as the index sees it: its analysed words, joined.
func termKey(a analysis.Analyzer, t string) string {
	if a == nil {
		return ""
	}
	if !strings.Contains(t, " ") {
		t = searchable(t)
	}
	toks := a.Analyze([]byte(t))
	words := make([]string, 0, len(toks))
	for _, tok := range toks {
		words = append(words, string(tok.Term))
	}
	return strings.Join(words, " ")
}

// expansion hands out the synonyms of one query's words within the bounds.
type expansion struct {
	syn    *synonyms
	text   analysis.Analyzer
	groups map[int]bool
	terms  int
}

// of returns the other terms of the groups of word w, while the query's
// budget lasts.
func (e *expansion) of(w string) []string {
	if e == nil || e.syn == nil || len(e.syn.byKey) == 0 {
		return nil
	}
	k := termKey(e.text, w)
	self := Fold(w)
	var out []string
	for _, gi := range e.syn.byKey[k] {
		if e.groups[gi] || len(e.groups) == maxExpandedGroups {
			continue
		}
		e.groups[gi] = true
		for _, t := range e.syn.groups[gi] {
			if e.terms == maxExpandedTerms {
				return out
			}
			if Fold(t) != self && termKey(e.text, t) != k {
				out = append(out, t)
				e.terms++
			}
		}
	}
	return out
}

// ofRun returns the other terms of the groups of run, several words typed
// in a row, when they are one term of a group (more than one word once
// analysed); nil otherwise.
func (e *expansion) ofRun(run string) []string {
	if e == nil || e.syn == nil {
		return nil
	}
	k := termKey(e.text, run)
	if !strings.Contains(k, " ") || len(e.syn.byKey[k]) == 0 {
		return nil
	}
	return e.of(run)
}

// synonymHolder holds the synonyms in force and wakes those waiting for
// the next ones.
type synonymHolder struct {
	mu      sync.Mutex
	cur     *synonyms
	changed chan struct{}
}

func (h *synonymHolder) get() *synonyms {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.cur
}

func (h *synonymHolder) set(s *synonyms) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.cur = s
	if h.changed != nil {
		close(h.changed)
	}
	h.changed = make(chan struct{})
}

func (h *synonymHolder) wait() <-chan struct{} {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.changed == nil {
		h.changed = make(chan struct{})
	}
	return h.changed
}

// SetSynonyms replaces the synonyms the searches expand words with by the
// groups of the page text md (ParseSynonyms).
func (x *Index) SetSynonyms(md string) {
	a := x.bleve.Mapping().AnalyzerNamed(textAnalyzer)
	x.synonyms.set(newSynonyms(ParseSynonyms(md), a))
}

// SynonymGroups returns how many groups of synonyms are in force, and a
// channel closed when they are next replaced.
func (x *Index) SynonymGroups() (int, <-chan struct{}) {
	ch := x.synonyms.wait()
	s := x.synonyms.get()
	if s == nil {
		return 0, ch
	}
	return len(s.groups), ch
}

// touchesSynonyms says whether one of changes is to the synonyms page.
func touchesSynonyms(changes []wiki.Change) bool {
	for _, c := range changes {
		if c.Kind.IsPage() && (c.Path == SynonymsPage || c.From == SynonymsPage) {
			return true
		}
	}
	return false
}

// loadSynonyms reads the synonyms page's head into the index; a page that
// is missing or deleted means no synonyms.
func (f *Follower) loadSynonyms(ctx context.Context) error {
	h, err := f.Source.Head(ctx, SynonymsPage)
	switch {
	case wiki.ErrorCode(err) == wiki.ENotFound || err == nil && h.Deleted:
		f.Index.SetSynonyms("")
		return nil
	case err != nil:
		return err
	}
	_, md, err := f.Source.Revision(ctx, SynonymsPage, h.Rev)
	if err != nil {
		return err
	}
	f.Index.SetSynonyms(md)
	return nil
}
