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
	Rev     int             `json:"rev"`
	Kind    wiki.ChangeKind `json:"kind"`
	Author  string          `json:"author"`
	Time    time.Time       `json:"time"`
	Summary string          `json:"summary"`
	Minor   bool            `json:"minor"`
	Size    int             `json:"size"`
	Deleted bool            `json:"deleted"`
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
	out := historyJSON{Path: p, Revisions: make([]revisionJSON, len(revs))}
	for i, rv := range revs {
		out.Revisions[i] = revisionJSON{
			Rev: rv.Rev, Kind: rv.Kind, Author: rv.Author, Time: rv.Time.UTC(),
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
}

type diffStatsJSON struct {
	Added   int `json:"added"`
	Removed int `json:"removed"`
}

// diff answers GET /api/diff/{path}?from=N&to=M. Without to, the head; without
// from, the revision before to (from=0 explicitly is the empty text).
func (s *api) diff(w http.ResponseWriter, r *http.Request, u *wiki.User) error {
	p, err := s.pagePath(r)
	if err != nil {
		return err
	}
	from, to, fromSet, err := diffParams(r.URL.Query())
	if err != nil {
		return err
	}
	d, err := s.svc.Diff(r.Context(), u, p, from, to, fromSet)
	if err != nil {
		return err
	}
	s.writeJSON(w, r, http.StatusOK, diffJSON{
		Path: p, From: d.From, To: d.To, Unified: d.Unified(),
		Stats: diffStatsJSON{Added: d.Added, Removed: d.Removed},
	})
	return nil
}
