package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/kdecole-club/clubwiki/wiki"
)

// diffView is a unified diff laid out for reading.
type diffView struct {
	From, To       int
	Added, Removed int
	Hunks          []diffHunk
}

// diffHunk is one @@ section of a diff.
type diffHunk struct {
	Header string
	Lines  []diffLine
}

// diffLine is one line of a hunk with its numbers in the old and new text
// (0 where it has none).
type diffLine struct {
	Kind     string // "add", "del", "ctx" or "note"
	Old, New int
	Text     string
}

// newDiffView parses the service's unified diff.
func newDiffView(d wiki.DiffResult) diffView {
	v := diffView{From: d.From, To: d.To, Added: d.Added, Removed: d.Removed}
	var h *diffHunk
	var oldN, newN int
	for line := range strings.SplitSeq(strings.TrimSuffix(d.Unified, "\n"), "\n") {
		if strings.HasPrefix(line, "@@") {
			oldN, newN = hunkStarts(line)
			v.Hunks = append(v.Hunks, diffHunk{Header: line})
			h = &v.Hunks[len(v.Hunks)-1]
			continue
		}
		if h == nil || line == "" {
			continue // the ---/+++ header
		}
		l := diffLine{Text: line[1:]}
		switch line[0] {
		case '+':
			l.Kind, l.New = "add", newN
			newN++
		case '-':
			l.Kind, l.Old = "del", oldN
			oldN++
		case '\\':
			l.Kind, l.Text = "note", line
		default:
			l.Kind, l.Old, l.New = "ctx", oldN, newN
			oldN++
			newN++
		}
		h.Lines = append(h.Lines, l)
	}
	return v
}

// hunkStarts reads the first line numbers of "@@ -a,b +c,d @@".
func hunkStarts(header string) (oldStart, newStart int) {
	for f := range strings.FieldsSeq(header) {
		num, _, _ := strings.Cut(f[1:], ",")
		n, err := strconv.Atoi(num)
		if err != nil {
			continue
		}
		switch f[0] {
		case '-':
			oldStart = n
		case '+':
			newStart = n
		}
	}
	// An empty side ("-0,0") starts before line 1.
	return max(oldStart, 1), max(newStart, 1)
}

// diffPageView is the page of a diff between two revisions.
type diffPageView struct {
	base
	Path string
	Diff diffView
}

// diffPage answers GET /diff/{path...}?from=&to= (defaults: to the head,
// from the revision before to).
func (s *Server) diffPage(w http.ResponseWriter, r *http.Request, c *uiCtx) error {
	p, done, err := s.uiPath(w, r)
	if err != nil || done {
		return err
	}
	from, to, fromSet, err := diffParams(r.URL.Query())
	if err != nil {
		return err
	}
	if fromSet && to != 0 && from > to {
		from, to = to, from
	}
	d, err := s.svc.Diff(r.Context(), c.User, p, from, to, fromSet)
	if err != nil {
		return err
	}
	v := diffPageView{base: c.base(c.L.T("diff.heading", s.pageTitle(r, c, p), d.From, d.To)), Path: p.String(), Diff: newDiffView(d)}
	s.render(w, r, http.StatusOK, "diff", v)
	return nil
}
