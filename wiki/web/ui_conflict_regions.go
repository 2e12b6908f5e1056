package web

import (
	"net/http"
	"slices"
	"strings"

	"github.com/kdecole-club/clubwiki/wiki"
)

// The conflict screen, region by region (assets/static/conflict.js): the
// form carries, as JSON the script reads, each region's base text, who
// made the other changes and why, and the screen's words. The script
// reads the regions themselves from the markers in the text, so that the
// text stays the one source of what is saved; without JavaScript the
// markers are the screen.

// conflictData is what conflict.js reads from the conflict form.
type conflictData struct {
	Path    string            `json:"path"`
	BaseRev int               `json:"base_rev"`
	HeadRev int               `json:"head_rev"`
	Who     string            `json:"who"`     // the other authors' names
	Summary string            `json:"summary"` // their summaries
	Bases   []string          `json:"bases"`   // each region's base text, when known
	Words   map[string]string `json:"words"`   // the screen's words, in the reader's language
	// Logins and Names are the other authors, for the form's links to
	// their profiles.
	Logins []string          `json:"-"`
	Names  map[string]string `json:"-"`
}

// conflictWords are the catalogue keys of the screen's words.
var conflictWords = []string{
	"conflict.intro", "conflict.region", "conflict.base", "conflict.mine", "conflict.theirs",
	"conflict.keep_mine", "conflict.keep_theirs", "conflict.keep_both", "conflict.edit",
	"conflict.replace", "conflict.replace_confirm", "conflict.apply", "conflict.undo",
	"conflict.resolved", "conflict.left", "conflict.all_resolved", "conflict.kept", "conflict.someone",
}

// maxConflictAuthors bounds the revisions read to name the other authors.
const maxConflictAuthors = 20

// conflictScreen returns the data of the conflict screen of an edit of p
// from revision from, the head being head; regions are the merge's, nil
// when the form comes back without them (their base is then not shown).
func (s *ui) conflictScreen(r *http.Request, c *uiCtx, p wiki.Path, from, head int, regions []wiki.ConflictRegion) conflictData {
	d := conflictData{Path: p.String(), BaseRev: from, HeadRev: head, Words: make(map[string]string, len(conflictWords))}
	for _, k := range conflictWords {
		d.Words[k] = c.L.T(k)
	}
	for _, rg := range regions {
		d.Bases = append(d.Bases, rg.Base)
	}
	revs, err := s.svc.History(r.Context(), c.User, p, min(max(head-from, 1), maxConflictAuthors), 0)
	if err != nil {
		s.classify(r, err) // the screen works without the names
		return d
	}
	var logins, sums []string
	seen := map[string]bool{}
	for _, rv := range revs {
		if rv.Rev <= from {
			continue
		}
		if !seen[rv.Author] {
			seen[rv.Author] = true
			logins = append(logins, rv.Author)
		}
		if rv.Summary != "" {
			sums = append(sums, "« "+rv.Summary+" »")
		}
	}
	names, err := s.svc.DisplayNames(r.Context(), c.User, logins)
	if err == nil {
		d.Logins, d.Names = slices.Clone(logins), names
	}
	for i, l := range logins {
		if n := names[l]; err == nil && n != "" {
			logins[i] = n
		}
	}
	d.Who, d.Summary = strings.Join(logins, ", "), strings.Join(sums, " ; ")
	return d
}
