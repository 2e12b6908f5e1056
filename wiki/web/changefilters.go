package web

import (
	"net/url"

	"github.com/kdecole-club/clubwiki/wiki"
)

// changeFilters reads the filters of recent changes from a query, the same
// for GET /api/changes and GET /changes: minor=0, imports=0
// and mine=0 leave out minor edits, imports and the caller's own changes;
// unreviewed=1 keeps what nobody has reviewed. Absent, everything is kept.
func changeFilters(q url.Values) (wiki.ChangeFilters, error) {
	var f wiki.ChangeFilters
	for _, p := range []struct {
		name string
		on   string // the value that turns the filter on
		dst  *bool
	}{
		{"minor", "0", &f.HideMinor}, {"imports", "0", &f.HideImports},
		{"mine", "0", &f.HideMine}, {"unreviewed", "1", &f.Unreviewed},
	} {
		switch v := q.Get(p.name); v {
		case "", "0", "1":
			*p.dst = v == p.on
		default:
			return f, wiki.Errorf(wiki.EInvalid, "the parameter %q must be 0 or 1", p.name)
		}
	}
	return f, nil
}
