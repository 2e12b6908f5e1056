package web

import (
	"net/http"
	"time"

	"github.com/kdecole-club/clubwiki/wiki"
)

// watchJSON answers PUT and DELETE /api/watch/{path}.
type watchJSON struct {
	Path     string `json:"path"`
	Kind     string `json:"kind"` // "page" or "namespace"
	Watching bool   `json:"watching"`
}

// watchlistJSON answers GET /api/watchlist.
type watchlistJSON struct {
	Items   []watchItemJSON   `json:"items"`
	Changes []watchChangeJSON `json:"changes"`
	// Next, when not 0, is the before= of the older changes (addition).
	Next uint64 `json:"next"`
}

type watchItemJSON struct {
	Path  string `json:"path"`
	Title string `json:"title"`
	Kind  string `json:"kind"`
}

type watchChangeJSON struct {
	Seq     uint64          `json:"seq"`
	Path    wiki.Path       `json:"path"`
	Rev     int             `json:"rev"`
	Kind    wiki.ChangeKind `json:"kind"`
	Author  string          `json:"author"`
	Time    time.Time       `json:"time"`
	Summary string          `json:"summary"`
	Title   string          `json:"title"`
	Unseen  bool            `json:"unseen"`
}

// watchKind and watchKey name a watched thing in answers.
func watchKind(w wiki.Watched) string {
	if w.Namespace != "" {
		return "namespace"
	}
	return "page"
}

func watchKey(w wiki.Watched) string {
	if w.Namespace != "" {
		return w.Namespace
	}
	return w.Path.String()
}

// putWatch answers PUT /api/watch/{path} and DELETE: a page path, or a
// namespace key alone.
func (s *api) putWatch(w http.ResponseWriter, r *http.Request, u *wiki.User) error {
	target, err := s.svc.WatchTarget(r.Context(), r.PathValue("path"))
	if err != nil {
		return err
	}
	on := r.Method == http.MethodPut
	if err := s.svc.Watch(r.Context(), u, target, on); err != nil {
		return err
	}
	s.writeJSON(w, r, http.StatusOK, watchJSON{Path: watchKey(target), Kind: watchKind(target), Watching: on})
	return nil
}

// watchlist answers GET /api/watchlist?limit=&before=SEQ.
func (s *api) watchlist(w http.ResponseWriter, r *http.Request, u *wiki.User) error {
	q := r.URL.Query()
	limit, _, err := queryInt(q, "limit", 0)
	if err != nil {
		return err
	}
	before, err := querySeq(q, "before")
	if err != nil {
		return err
	}
	wl, err := s.svc.Watchlist(r.Context(), u, limit, before)
	if err != nil {
		return err
	}
	out := watchlistJSON{Items: make([]watchItemJSON, len(wl.Items)), Changes: make([]watchChangeJSON, len(wl.Changes)), Next: wl.Next}
	for i, it := range wl.Items {
		out.Items[i] = watchItemJSON{Path: watchKey(it.Watched), Title: it.Title, Kind: watchKind(it.Watched)}
	}
	for i, c := range wl.Changes {
		out.Changes[i] = watchChangeJSON{
			Seq: c.Seq, Path: c.Path, Rev: c.Rev, Kind: c.Kind, Author: c.Author,
			Time: c.Time.UTC(), Summary: c.Summary, Title: c.Title, Unseen: c.Unseen,
		}
	}
	s.writeJSON(w, r, http.StatusOK, out)
	return nil
}
