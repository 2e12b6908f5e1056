package web

import (
	"net/http"

	"github.com/kdecole-club/clubwiki/wiki"
)

// watchlistView is « Ma liste de suivi »: what the member watches and the
// changes to it, grouped by page.
type watchlistView struct {
	base
	Items     []wiki.WatchItem
	Groups    []watchGroup
	AutoWatch bool
	Before    uint64 // the part shown, 0 for the newest
	Next      uint64 // before= of the older changes, 0 when none
	// Names are the display names of the changes' authors.
	Names map[string]string
}

// watchGroup is the changes of one page in a watchlist, newest first.
type watchGroup struct {
	Path    wiki.Path
	Title   string
	Changes []wiki.WatchedChange
	Unseen  bool
	// From and To are the diff since the member's last visit: from the
	// revision seen (or before the oldest unseen change listed) to the
	// newest listed; To is 0 when nothing is unseen.
	From, To int
}

// groupChanges groups changes, newest first, by page in the order of each
// page's newest change.
func groupChanges(chs []wiki.WatchedChange) []watchGroup {
	var out []watchGroup
	at := map[wiki.Path]int{}
	for _, ch := range chs {
		i, ok := at[ch.Path]
		if !ok {
			i, at[ch.Path] = len(out), len(out)
			out = append(out, watchGroup{Path: ch.Path, Title: ch.Title})
		}
		g := &out[i]
		g.Changes = append(g.Changes, ch)
		if ch.Unseen {
			if !g.Unseen {
				g.Unseen, g.To = true, ch.Rev
			}
			// The oldest unseen change listed comes last.
			g.From = ch.Seen
			if ch.Seen == 0 {
				g.From = ch.Rev - 1
			}
		}
	}
	return out
}

// watchlist answers GET /watchlist?before=SEQ.
func (s *ui) watchlist(w http.ResponseWriter, r *http.Request, c *uiCtx) error {
	before, err := querySeq(r.URL.Query(), "before")
	if err != nil {
		return err
	}
	wl, err := s.svc.Watchlist(r.Context(), c.User, listDefault, before)
	if err != nil {
		return err
	}
	auto, err := s.svc.AutoWatch(r.Context(), c.User)
	if err != nil {
		return err
	}
	v := watchlistView{base: c.base(c.L.T("watchlist.title")), Items: wl.Items, Groups: groupChanges(wl.Changes),
		AutoWatch: auto, Before: before, Next: wl.Next}
	logins := make([]string, 0, len(wl.Changes))
	for _, ch := range wl.Changes {
		logins = append(logins, ch.Author)
	}
	if v.Names, err = s.svc.DisplayNames(r.Context(), c.User, logins); err != nil {
		return err
	}
	v.Flash, v.WatchlistFeed = c.flash(), true
	s.render(w, r, http.StatusOK, "watchlist", v)
	return nil
}

// watchlistSeen answers POST /watchlist/seen: the pages of the watchlist's
// newest changes (at most listMax) are marked as seen at their head.
func (s *ui) watchlistSeen(w http.ResponseWriter, r *http.Request, c *uiCtx) error {
	wl, err := s.svc.Watchlist(r.Context(), c.User, listMax, 0)
	if err != nil {
		return err
	}
	var paths []wiki.Path
	for _, g := range groupChanges(wl.Changes) {
		paths = append(paths, g.Path)
	}
	if err := s.svc.MarkSeen(r.Context(), c.User, paths); err != nil {
		return err
	}
	http.Redirect(w, r, "/watchlist", http.StatusSeeOther)
	return nil
}

// watchlistSettings answers POST /watchlist/settings (checkbox auto).
func (s *ui) watchlistSettings(w http.ResponseWriter, r *http.Request, c *uiCtx) error {
	if err := s.parseForm(w, r); err != nil {
		return err
	}
	if err := s.svc.SetAutoWatch(r.Context(), c.User, r.PostFormValue("auto") == "1"); err != nil {
		return err
	}
	http.Redirect(w, r, "/watchlist", http.StatusSeeOther)
	return nil
}

// watch answers POST /watch/{path} (field on, "1" or "0"): a page path or
// a namespace key; back to the page or the namespace's index.
func (s *ui) watch(w http.ResponseWriter, r *http.Request, c *uiCtx) error {
	if err := s.parseForm(w, r); err != nil {
		return err
	}
	target, err := s.svc.WatchTarget(r.Context(), r.PathValue("path"))
	if err != nil {
		return err
	}
	if err := s.svc.Watch(r.Context(), c.User, target, r.PostFormValue("on") == "1"); err != nil {
		return err
	}
	back := "/wiki/" + target.Path.String()
	if target.Namespace != "" {
		back = "/ns/" + target.Namespace
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
	return nil
}
