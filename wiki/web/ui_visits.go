package web

import (
	"net/http"
	"strings"

	"github.com/kdecole-club/clubwiki/wiki"
)

// sinceView is the banner of a page changed since the reader last saw it.
type sinceView struct {
	Authors  string // display names, "A, B et 3 autres"
	From, To int    // the diff from the revision seen to the head
}

// sinceVisit records a view of the head as the reader's visit (buffered:
// no write on the way) and says what changed since their previous one.
// A first visit shows nothing: there is no "since" yet.
func (s *ui) sinceVisit(r *http.Request, c *uiCtx, v *wiki.PageView) (*sinceView, error) {
	if v.Rev != v.HeadRev {
		return nil, nil
	}
	prev, err := s.svc.Visited(r.Context(), c.User, v)
	if err != nil || prev == 0 || prev >= v.HeadRev {
		return nil, err
	}
	since, err := s.svc.SinceSeen(r.Context(), c.User, v.Path, prev, v.HeadRev)
	if err != nil || len(since.Authors) == 0 {
		return nil, err
	}
	return &sinceView{Authors: joinNames(c.L, since.Authors, since.More), From: prev, To: v.HeadRev}, nil
}

// joinNames writes "A", "A et B", "A, B et C", "A, B et 2 autres".
func joinNames(l *catalog, names []string, more int) string {
	list := append([]string(nil), names...)
	if more > 0 {
		list = append(list, l.T("since.others", more))
	}
	if len(list) == 1 {
		return list[0]
	}
	return strings.Join(list[:len(list)-1], ", ") + " " + l.T("since.and") + " " + list[len(list)-1]
}

// changedPages returns the pages of changes, each once.
func changedPages(chs []wiki.Change) []wiki.Path {
	met := make(map[wiki.Path]bool, len(chs))
	out := make([]wiki.Path, 0, len(chs))
	for _, ch := range chs {
		if ch.Kind.IsPage() && !met[ch.Path] {
			met[ch.Path] = true
			out = append(out, ch.Path)
		}
	}
	return out
}
