package web

import (
	"net/http"

	"github.com/kdecole-club/clubwiki/wiki"
)

// moveRequestJSON is the body of POST /api/move/{path}.
type moveRequestJSON struct {
	To      string `json:"to"`
	Summary string `json:"summary"`
	// SubPages moves the pages under the page along.
	SubPages bool `json:"subpages"`
}

// moveJSON answers a move: where the page is now, every page moved and
// every page whose links were rewritten.
type moveJSON struct {
	Path      wiki.Path       `json:"path"`
	Moved     []movedPageJSON `json:"moved"`
	Rewritten []wiki.Path     `json:"rewritten"`
}

type movedPageJSON struct {
	From wiki.Path `json:"from"`
	To   wiki.Path `json:"to"`
	Rev  int       `json:"rev"`
}

// movedJSON is the body of a redirect from a path a move left behind.
type movedJSON struct {
	Path string `json:"location"`
}

// move answers POST /api/move/{path}.
func (s *api) move(w http.ResponseWriter, r *http.Request, u *wiki.User) error {
	from, err := s.pagePath(r)
	if err != nil {
		return err
	}
	var body moveRequestJSON
	if err := s.readJSON(w, r, &body, false); err != nil {
		return err
	}
	if body.To == "" {
		return wiki.Errorf(wiki.EInvalid, `the field "to" is required`)
	}
	to, err := s.svc.ResolvePath(r.Context(), body.To)
	if err != nil {
		return err
	}
	res, err := s.svc.Move(r.Context(), u, wiki.MoveRequest{From: from, To: to, Summary: body.Summary, SubPages: body.SubPages})
	if err != nil {
		return err
	}
	out := moveJSON{Path: res.Path, Moved: []movedPageJSON{}, Rewritten: res.Rewritten}
	if out.Rewritten == nil {
		out.Rewritten = []wiki.Path{}
	}
	for _, m := range res.Moved {
		out.Moved = append(out.Moved, movedPageJSON{From: m.From, To: m.To, Rev: m.Rev})
	}
	s.writeJSON(w, r, http.StatusOK, out)
	return nil
}
