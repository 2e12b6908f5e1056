package web

import (
	"net/http"

	"github.com/kdecole-club/clubwiki/wiki"
)

// previewRequestJSON is the body of POST /api/preview. Path is optional:
// without it, one-segment wiki links cannot be resolved in a namespace.
type previewRequestJSON struct {
	Path     string  `json:"path"`
	Markdown *string `json:"markdown"`
}

// previewJSON is the answer of POST /api/preview.
type previewJSON struct {
	HTML     string         `json:"html"`
	Title    string         `json:"title"`
	Meta     map[string]any `json:"meta"`
	Headings []headingJSON  `json:"headings"`
	Links    []wiki.Path    `json:"links"`
}

type headingJSON struct {
	Level int    `json:"level"`
	Text  string `json:"text"`
	ID    string `json:"id"`
}

// preview answers POST /api/preview: the text rendered as it would be saved
// at path, without saving anything. It is an addition to CONTRACT.md for
// editors that show a live preview.
func (s *api) preview(w http.ResponseWriter, r *http.Request, u *wiki.User) error {
	var body previewRequestJSON
	if err := s.readJSON(w, r, &body, false); err != nil {
		return err
	}
	if body.Markdown == nil {
		return wiki.Errorf(wiki.EInvalid, `the field "markdown" is required`)
	}
	var p wiki.Path
	if body.Path != "" {
		var err error
		if p, err = s.svc.ResolvePath(r.Context(), body.Path); err != nil {
			return err
		}
	}
	out, err := s.svc.Preview(r.Context(), u, p, *body.Markdown)
	if err != nil {
		return err
	}
	ans := previewJSON{HTML: out.HTML, Title: out.Title, Meta: out.Meta, Headings: make([]headingJSON, len(out.Headings)), Links: out.Links}
	for i, h := range out.Headings {
		ans.Headings[i] = headingJSON{Level: h.Level, Text: h.Text, ID: h.ID}
	}
	if ans.Title == "" && !p.IsZero() {
		ans.Title = p.DefaultTitle()
	}
	if ans.Meta == nil {
		ans.Meta = map[string]any{}
	}
	if ans.Links == nil {
		ans.Links = []wiki.Path{}
	}
	s.writeJSON(w, r, http.StatusOK, ans)
	return nil
}
