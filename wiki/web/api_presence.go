package web

import (
	"net/http"
	"time"

	"github.com/kdecole-club/clubwiki/wiki"
)

// presenceRequestJSON is the optional body of POST /api/presence/{path}.
type presenceRequestJSON struct {
	Unsaved bool `json:"unsaved"` // the caller has typed what is not saved yet
	Leaving bool `json:"leaving"` // the caller closes the editor
}

// presenceJSON answers POST /api/presence/{path}.
type presenceJSON struct {
	Editors []editorJSON `json:"editors"`
	// HeadRev is the page's head revision (0: no page yet), so that an
	// editor learns at its next heartbeat that someone saved.
	HeadRev int `json:"head_rev"`
}

type editorJSON struct {
	Login   string    `json:"login"`
	Name    string    `json:"name"`
	Since   time.Time `json:"since"`
	Unsaved bool      `json:"unsaved"`
}

// presence answers POST /api/presence/{path}: the caller has the page open
// in an editor; the answer lists the others who do.
func (s *api) presence(w http.ResponseWriter, r *http.Request, u *wiki.User) error {
	p, err := s.pagePath(r)
	if err != nil {
		return err
	}
	var body presenceRequestJSON
	if err := s.readJSON(w, r, &body, true); err != nil {
		return err
	}
	pr, err := s.svc.Heartbeat(r.Context(), u, p, body.Unsaved, body.Leaving)
	if err != nil {
		return err
	}
	out := presenceJSON{Editors: make([]editorJSON, len(pr.Editors)), HeadRev: pr.HeadRev}
	for i, e := range pr.Editors {
		name := e.Name
		if name == "" {
			name = e.Login
		}
		out.Editors[i] = editorJSON{Login: e.Login, Name: name, Since: e.Since.UTC(), Unsaved: e.Unsaved}
	}
	s.writeJSON(w, r, http.StatusOK, out)
	return nil
}

// textDiffJSON answers POST /api/diff/{path}.
type textDiffJSON struct {
	From  int           `json:"from"`
	Words []segmentJSON `json:"words"`
}

// diffText answers POST /api/diff/{path} {"markdown","base_rev"}: the word
// diff from revision base_rev (0: the head) to the text, what saving it
// would change (an addition to CONTRACT.md, the editor's « Voir mes
// modifications »).
func (s *api) diffText(w http.ResponseWriter, r *http.Request, u *wiki.User) error {
	p, err := s.pagePath(r)
	if err != nil {
		return err
	}
	body, err := s.readText(w, r)
	if err != nil {
		return err
	}
	d, err := s.svc.DiffText(r.Context(), u, p, body.BaseRev, *body.Markdown, body.Section)
	if err != nil {
		return err
	}
	segs := d.Words.Segments()
	out := textDiffJSON{From: d.Rev, Words: make([]segmentJSON, len(segs))}
	for i, sg := range segs {
		out.Words[i] = segmentJSON{Op: string(rune(sg.Op)), Text: sg.Text}
	}
	s.writeJSON(w, r, http.StatusOK, out)
	return nil
}

// rebasedJSON answers POST /api/rebase/{path}.
type rebasedJSON struct {
	Markdown  string `json:"markdown"`
	HeadRev   int    `json:"head_rev"`
	Conflicts int    `json:"conflicts"`
	Changed   bool   `json:"changed"`
}

// rebase answers POST /api/rebase/{path} {"markdown","base_rev"}: the text
// merged onto the page's head (an addition to CONTRACT.md: the editor
// brings in what others saved, or restores a draft of an older revision).
func (s *api) rebase(w http.ResponseWriter, r *http.Request, u *wiki.User) error {
	p, err := s.pagePath(r)
	if err != nil {
		return err
	}
	body, err := s.readText(w, r)
	if err != nil {
		return err
	}
	rb, err := s.svc.Rebase(r.Context(), u, p, body.BaseRev, *body.Markdown)
	if err != nil {
		return err
	}
	s.writeJSON(w, r, http.StatusOK, rebasedJSON{Markdown: rb.Markdown, HeadRev: rb.HeadRev, Conflicts: rb.Conflicts, Changed: rb.Changed})
	return nil
}
