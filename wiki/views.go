package wiki

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Bounds of a view: the rows it shows and the hits it reads to sort by a
// column of the front matter (the index sorts by date and by title).
const (
	DefaultViewRows = 20
	MaxViewRows     = 100
	viewScan        = 200
	// viewIndexWait bounds how long a view waits for the search index to
	// apply the latest changes, so that a page saved a moment ago is
	// already where it belongs.
	viewIndexWait = 300 * time.Millisecond
)

// Columns a view computes rather than reads from the front matter.
const (
	ColTitle   = "titre"
	ColUpdated = "maj"
	ColSupport = "soutien"
)

// defaultColumns are those of a view without "colonnes=": what the club
// asks of a list of difficulties or practices.
var defaultColumns = []string{"statut", "projets", "version", ColUpdated}

// ViewSpec is a view block read: its query and how its rows show.
type ViewSpec struct {
	Query   string
	Table   bool     // "vue table": the chosen columns, ordered by title
	Columns []string // after the title
	Sort    string   // a column; its natural order (see sortRows)
	Desc    bool     // the natural order reversed
	Max     int      // rows shown
}

// ParseView reads a view block's options, written after "vue" on the
// fence: "table", "colonnes=a,b", "tri=col" or "tri=-col", "max=N".
// Anything else is ignored: a view always shows.
func ParseView(b ViewBlock) ViewSpec {
	v := ViewSpec{Query: b.Query, Max: DefaultViewRows}
	for _, opt := range strings.Fields(b.Info) {
		key, val, _ := strings.Cut(opt, "=")
		switch strings.ToLower(key) {
		case "table", "tableau":
			v.Table = true
		case "colonnes", "columns":
			v.Columns = nil
			for _, c := range strings.Split(val, ",") {
				if c = strings.ToLower(strings.TrimSpace(c)); c != "" && c != ColTitle && len(v.Columns) < 12 {
					v.Columns = append(v.Columns, c)
				}
			}
		case "tri", "sort":
			v.Sort, v.Desc = parseSort(val)
		case "max":
			if n, err := strconv.Atoi(val); err == nil && n > 0 {
				v.Max = min(n, MaxViewRows)
			}
		}
	}
	if v.Columns == nil && !v.Table {
		v.Columns = defaultColumns
	}
	if v.Sort == "" {
		v.Sort = ColUpdated
		if v.Table {
			v.Sort = ColTitle
		}
	}
	return v
}

// parseSort reads "col" or "-col".
func parseSort(s string) (string, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	desc := strings.HasPrefix(s, "-")
	return strings.TrimPrefix(s, "-"), desc
}

// PageOptions are a reader's choices on a page view.
type PageOptions struct {
	// Sort orders one view: "<i>.<column>" or "<i>.-<column>", as the
	// view's sort links write it.
	Sort string
	// Labels word the views' tables; zero fields are French.
	Labels ViewLabels
}

// ViewLabels are the words of a view's table.
type ViewLabels struct {
	Title, Updated, Support, Empty, All string
	// Shown says "n of total": it gets the two numbers.
	Shown func(n, total int) string
	// SortedAmong says that the order, by a column of the front matter,
	// is that of the n newest pages found, not of all.
	SortedAmong func(n int) string
}

func (l ViewLabels) withDefaults() ViewLabels {
	def := func(s *string, v string) {
		if *s == "" {
			*s = v
		}
	}
	def(&l.Title, "Titre")
	def(&l.Updated, "Mis à jour")
	def(&l.Support, "Soutien")
	def(&l.Empty, "Aucune page.")
	def(&l.All, "voir tout")
	if l.Shown == nil {
		l.Shown = func(n, total int) string { return itoa(n) + " sur " + itoa(total) }
	}
	if l.SortedAmong == nil {
		l.SortedAmong = func(n int) string { return "ordre établi parmi les " + itoa(n) + " plus récentes" }
	}
	return l
}

// sortFor returns the sort the reader chose for view i, if any.
func (o PageOptions) sortFor(i int) (string, bool, bool) {
	at, col, ok := strings.Cut(o.Sort, ".")
	if !ok || at != itoa(i) || col == "" || len(col) > 64 {
		return "", false, false
	}
	c, desc := parseSort(col)
	return c, desc, true
}

// fillViews puts in v's HTML, for actor, each view's rows in the place of
// its placeholder. The page view of the cache is never changed: v is the
// caller's copy, and gets a new HTML string and an ETag that names the
// index state the views were read at.
func (s *Service) fillViews(ctx context.Context, actor *User, v *PageView, o PageOptions) error {
	if len(v.Views) == 0 {
		return nil
	}
	allowed, err := s.readable(ctx, actor)
	if err != nil {
		return err
	}
	seq := s.viewSeq(ctx, s.authored.latest(actor))
	labels := o.Labels.withDefaults()
	html := v.HTML
	for i, b := range v.Views {
		spec := ParseView(b)
		if col, desc, ok := o.sortFor(i); ok {
			spec.Sort, spec.Desc = col, desc
		}
		res, err := s.runView(ctx, allowed, spec, seq)
		if err != nil {
			return err
		}
		ph := ViewPlaceholder(i)
		at := strings.Index(html, ph)
		if at < 0 {
			continue
		}
		table := s.viewHTML(i, spec, res, labels)
		html = html[:at] + table + html[at+len(ph):]
		if at < v.BodyStart {
			v.BodyStart += len(table) - len(ph)
		}
	}
	v.HTML = html
	v.ETag = strings.TrimSuffix(v.ETag, `"`) + "-v" + strconv.FormatUint(seq, 36) + `"`
	return nil
}

// viewSeq returns the change the search index has applied, which views
// are read and cached at: it waits a moment for the index to reach the
// reader's own latest change (mine), so that the page they just saved is
// where it belongs; nobody waits for the changes of others, which the
// index applies within its settling time. Without a sequence from the
// index it is mine.
func (s *Service) viewSeq(ctx context.Context, mine uint64) uint64 {
	idx := s.search
	if g, ok := idx.(*gatedIndex); ok {
		idx = g.idx
	}
	si, ok := idx.(interface{ LastSeq() (uint64, error) })
	if !ok {
		return mine
	}
	// An index being rebuilt or catching up at start is far behind:
	// waiting for it would only slow every page with views down.
	pi, _ := idx.(interface{ Partial() bool })
	deadline := time.Now().Add(viewIndexWait)
	for {
		n, err := si.LastSeq()
		if err != nil {
			return 0 // never cached as any change's
		}
		if n >= mine || time.Now().After(deadline) || ctx.Err() != nil || pi != nil && pi.Partial() {
			return n
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// authorSeqs remembers each member's latest page change made through
// this service, by its change-log sequence (viewSeq). It holds one number
// per member who ever saved since the start.
type authorSeqs struct {
	mu sync.Mutex
	m  map[string]uint64
}

// note records the changes of a commit.
func (a *authorSeqs) note(chs []Change) {
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, c := range chs {
		if c.Author == "" {
			continue
		}
		if a.m == nil {
			a.m = map[string]uint64{}
		}
		a.m[c.Author] = max(a.m[c.Author], c.Seq)
	}
}

// latest returns the sequence of actor's latest change, 0 when none.
func (a *authorSeqs) latest(actor *User) uint64 {
	if actor == nil {
		return 0
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.m[actor.Login]
}
