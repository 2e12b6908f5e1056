package web

import (
	"net/http"
	"time"

	"github.com/kdecole-club/clubwiki/wiki"
)

// historyJSON is the answer of GET /api/history/{path}.
type historyJSON struct {
	Path      wiki.Path      `json:"path"`
	Revisions []revisionJSON `json:"revisions"`
}

type revisionJSON struct {
	Rev    int             `json:"rev"`
	Kind   wiki.ChangeKind `json:"kind"`
	Author string          `json:"author"`
	// AuthorName (addition) is the author's display name, the login
	// when they have none.
	AuthorName string    `json:"author_name"`
	Time       time.Time `json:"time"`
	Summary    string    `json:"summary"`
	Minor      bool      `json:"minor"`
	Size       int       `json:"size"`
	Deleted    bool      `json:"deleted"`
	// ReviewedBy is the login of who marked the revision reviewed, null
	// when nobody did.
	ReviewedBy *string `json:"reviewed_by"`
}

// history answers GET /api/history/{path}?limit=&before=, newest first.
func (s *api) history(w http.ResponseWriter, r *http.Request, u *wiki.User) error {
	p, err := s.pagePath(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	limit, _, err := queryInt(q, "limit", 0)
	if err != nil {
		return err
	}
	before, _, err := queryInt(q, "before", 0)
	if err != nil {
		return err
	}
	revs, err := s.svc.History(r.Context(), u, p, limit, before)
	if err != nil {
		return err
	}
	logins := make([]string, len(revs))
	for i, rv := range revs {
		logins[i] = rv.Author
	}
	names, err := s.svc.DisplayNames(r.Context(), u, logins)
	if err != nil {
		return err
	}
	out := historyJSON{Path: p, Revisions: make([]revisionJSON, len(revs))}
	for i, rv := range revs {
		out.Revisions[i] = revisionJSON{
			Rev: rv.Rev, Kind: rv.Kind, Author: rv.Author, AuthorName: names[rv.Author], Time: rv.Time.UTC(),
			Summary: rv.Summary, Minor: rv.Minor, Size: rv.Size, Deleted: rv.Deleted,
		}
		if rv.ReviewedBy != "" {
			out.Revisions[i].ReviewedBy = &rv.ReviewedBy
		}
	}
	s.writeJSON(w, r, http.StatusOK, out)
	return nil
}

// diffJSON is the answer of GET /api/diff/{path}.
type diffJSON struct {
	Path    wiki.Path     `json:"path"`
	From    int           `json:"from"`
	To      int           `json:"to"`
	Unified string        `json:"unified"`
	Stats   diffStatsJSON `json:"stats"`
	// Words is the word diff, with ?words=1 only: an answer without it
	// stays as it was.
	Words []segmentJSON `json:"words,omitzero"`
}

// segmentJSON is one segment of a word diff: op "=", "-" or "+".
type segmentJSON struct {
	Op   string `json:"op"`
	Text string `json:"text"`
}

type diffStatsJSON struct {
	Added   int `json:"added"`
	Removed int `json:"removed"`
}

// diff answers GET /api/diff/{path}?from=N&to=M&words=1. Without to, the
// head; without from, the revision before to (from=0 explicitly is the
// empty text); with words=1 (or true), the word diff as well.
func (s *api) diff(w http.ResponseWriter, r *http.Request, u *wiki.User) error {
	p, err := s.pagePath(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	from, to, fromSet, err := diffParams(q)
	if err != nil {
		return err
	}
	words, err := queryFlag(q, "words")
	if err != nil {
		return err
	}
	diff := s.svc.Diff
	if words {
		diff = s.svc.DiffWords
	}
	d, err := diff(r.Context(), u, p, from, to, fromSet)
	if err != nil {
		return err
	}
	out := diffJSON{
		Path: p, From: d.From, To: d.To, Unified: d.Unified(),
		Stats: diffStatsJSON{Added: d.Added, Removed: d.Removed},
	}
	if d.Words != nil {
		segs := d.Words.Segments()
		out.Words = make([]segmentJSON, len(segs))
		for i, sg := range segs {
			out.Words[i] = segmentJSON{Op: string(rune(sg.Op)), Text: sg.Text}
		}
	}
	s.writeJSON(w, r, http.StatusOK, out)
	return nil
}
