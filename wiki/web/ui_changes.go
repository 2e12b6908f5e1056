package web

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/kdecole-club/clubwiki/wiki"
)

// changeDay is one day of recent changes, in the wiki's time zone.
type changeDay struct {
	Label string // « Aujourd'hui », « Hier » or the date
	Rows  []changeRow
}

// changeRow is one line of recent changes.
type changeRow struct {
	wiki.Change
	Axis       string // the namespace's title
	AuthorName string // display name, else the login
	Clock      string // the time of day, in the wiki's time zone
	Sized      bool   // Delta is known
	Delta      int    // bytes added (+) or removed (−)
}

// changeRowOf is what the "changerow" template gets: the view and a row.
type changeRowOf struct {
	V changesView
	R changeRow
}

// changeFiltersFor returns the filters a view of /changes applies: those
// the query names when it names any (a link to one view), else the ones the
// member saved.
func (s *ui) changeFiltersFor(r *http.Request, c *uiCtx) (wiki.ChangeFilters, error) {
	q := r.URL.Query()
	for _, k := range []string{"minor", "imports", "mine", "unreviewed"} {
		if q.Has(k) {
			return changeFilters(q)
		}
	}
	p, err := s.svc.Prefs(r.Context(), c.User)
	return p.Changes, err
}

// changeDays groups changes by day, newest first, with what each line
// shows; the display names come from one store read for the whole list.
func (s *ui) changeDays(r *http.Request, c *uiCtx, chs []wiki.Change, nss []wiki.NamespaceInfo) ([]changeDay, error) {
	logins := make([]string, len(chs))
	for i, ch := range chs {
		logins[i] = ch.Author
	}
	names, err := s.svc.DisplayNames(r.Context(), c.User, logins)
	if err != nil {
		return nil, err
	}
	axes := make(map[string]string, len(nss))
	for _, ns := range nss {
		axes[ns.Key] = ns.Title
	}
	now := s.now().In(c.L.loc)
	var days []changeDay
	for _, ch := range chs {
		label := c.L.dayLabel(ch.Time, now)
		if len(days) == 0 || days[len(days)-1].Label != label {
			days = append(days, changeDay{Label: label})
		}
		row := changeRow{Change: ch, Axis: axes[ch.Path.Namespace()], AuthorName: names[ch.Author],
			Clock: ch.Time.In(c.L.loc).Format("15:04"),
			Sized: ch.Sized, Delta: ch.Size - ch.SizeBefore}
		days[len(days)-1].Rows = append(days[len(days)-1].Rows, row)
	}
	return days, nil
}

// dayLabel names t's day as seen on now's: « Aujourd'hui », « Hier », else
// the date in the catalogue's words.
func (c *catalog) dayLabel(t, now time.Time) string {
	t = t.In(c.loc)
	y, m, d := t.Date()
	day := time.Date(y, m, d, 0, 0, 0, 0, c.loc)
	ny, nm, nd := now.In(c.loc).Date()
	today := time.Date(ny, nm, nd, 0, 0, 0, 0, c.loc)
	switch {
	case day.Equal(today):
		return c.T("changes.today")
	case day.Equal(today.AddDate(0, 0, -1)):
		return c.T("changes.yesterday")
	}
	return c.T("changes.day", d, c.months[m-1], y)
}

// saveChangeFilters answers POST /changes/filters: the member's filters of
// recent changes, kept for their next visits. It writes only when they
// differ from the saved ones, then shows the changes with them.
func (s *ui) saveChangeFilters(w http.ResponseWriter, r *http.Request, c *uiCtx) error {
	if err := s.parseForm(w, r); err != nil {
		return err
	}
	f, err := changeFilters(r.PostForm)
	if err != nil {
		return err
	}
	p, err := s.svc.Prefs(r.Context(), c.User)
	if err != nil {
		return err
	}
	if p.Changes != f {
		p.Changes = f
		if err := s.svc.SetPrefs(r.Context(), c.User, p); err != nil {
			return err
		}
	}
	target := "/changes"
	if ns := r.PostFormValue("ns"); ns != "" {
		target += "?" + url.Values{"ns": {ns}}.Encode()
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
	return nil
}

// moreChanges is the link to a longer list of changes of namespace ns
// with the filters f.
func moreChanges(ns string, limit int, f wiki.ChangeFilters) string {
	v := url.Values{}
	flag := func(name string, on bool, val string) {
		if on {
			v.Set(name, val)
		}
	}
	flag("minor", f.HideMinor, "0")
	flag("imports", f.HideImports, "0")
	flag("mine", f.HideMine, "0")
	flag("unreviewed", f.Unreviewed, "1")
	href := "/changes?ns=" + url.QueryEscape(ns) + "&limit=" + strconv.Itoa(limit)
	if len(v) > 0 {
		href += "&" + v.Encode()
	}
	return href
}
