package web

import (
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/kdecole-club/clubwiki/wiki"
)

// The views of the diff page. The reader's choice is remembered in a
// cookie, set by following a view's link: no script needed.
const (
	viewWords      = "mots"    // word by word, inline
	viewSide       = "cote"    // word by word, side by side
	viewRendered   = "rendu"   // the formatted page, changes marked
	viewUnified    = "unifiee" // whole lines, as diff -u
	diffViewCookie = "diffview"
)

var diffViews = []string{viewWords, viewSide, viewRendered, viewUnified}

// diffPageView is the page of a diff between two revisions.
type diffPageView struct {
	base
	Path       string
	View       string
	Views      []viewLink
	From, To   revisionInfo
	Prev, Next string // URLs of the change before and after to; "" at the ends
	Added      int
	Removed    int
	Same       bool          // both texts are equal
	Coarse     bool          // some block is compared line by line
	Diff       diffView      // unified view
	Words      []wordBlock   // word and side views
	Rendered   []renderedRun // rendered view
	Review     reviewBox     // the reviewed mark of revision to (ui_review.go)
}

// viewLink is one entry of the view switch.
type viewLink struct {
	Name, URL string
	Label     string // catalogue key
	Current   bool
}

// diffViewLabels are the catalogue keys of the views' names.
var diffViewLabels = map[string]string{
	viewWords: "diff.view_mots", viewSide: "diff.view_cote",
	viewRendered: "diff.view_rendu", viewUnified: "diff.view_unifiee",
}

// revisionInfo names one side of the diff.
type revisionInfo struct {
	Side       string // "from" or "to"
	Label      string // catalogue keys: the side's name
	Heading    string // and "revision N"
	Rev        int
	Author     string // login
	AuthorName string // display name, the login when there is none
	Time       time.Time
	Summary    string
}

// diff answers GET /diff/{path...}?from=&to=&view= (defaults: to the head,
// from the revision before to, the view last chosen, else word by word).
func (s *ui) diff(w http.ResponseWriter, r *http.Request, c *uiCtx) error {
	p, done, err := s.canonicalPath(w, r)
	if err != nil || done {
		return err
	}
	q := r.URL.Query()
	from, to, fromSet, err := diffParams(q)
	if err != nil {
		return err
	}
	if fromSet && to != 0 && from > to {
		from, to = to, from
	}
	view, err := s.diffView(w, r, q)
	if err != nil {
		return err
	}
	diff := s.svc.DiffWords
	if view == viewUnified {
		diff = s.svc.Diff
	}
	d, err := diff(r.Context(), c.User, p, from, to, fromSet)
	if err != nil {
		return err
	}
	v := diffPageView{Path: p.String(), View: view, Added: d.Added, Removed: d.Removed, Same: len(d.Hunks) == 0}
	title, head, err := s.diffRevisions(r, c, p, d, &v)
	if err != nil {
		return err
	}
	v.base = c.baseAt(c.L.T("diff.heading", title, d.From, d.To), p)
	v.Views, v.Prev, v.Next = diffLinks(p, d, head, view)
	if err := s.fillDiffView(r, c, p, d, &v); err != nil {
		return err
	}
	if v.Review, err = s.reviewBoxFor(r, c, p, d.To); err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "diff", v)
	return nil
}

// fillDiffView lays out the diff for the view chosen.
func (s *ui) fillDiffView(r *http.Request, c *uiCtx, p wiki.Path, d wiki.DiffResult, v *diffPageView) error {
	switch {
	case v.View == viewUnified:
		v.Diff = newDiffView(d)
	case v.View == viewRendered && d.Words != nil:
		blocks, err := s.svc.RenderDiff(r.Context(), c.User, p, *d.Words)
		if err != nil {
			return err
		}
		v.Rendered = newRenderedRuns(blocks, *d.Words)
		v.Coarse = d.Words.Coarse
	case d.Words != nil:
		v.Words = newWordBlocks(*d.Words)
		v.Coarse = d.Words.Coarse
	}
	return nil
}

// diffView returns the view asked for, remembering it, or the one last
// chosen; an unknown view is a 400.
func (s *ui) diffView(w http.ResponseWriter, r *http.Request, q url.Values) (string, error) {
	if v := q.Get("view"); v != "" {
		if !isDiffView(v) {
			return "", wiki.Errorf(wiki.EInvalid, "unknown view %q", truncateRunes(v, 40))
		}
		s.setCookie(w, r, &http.Cookie{Name: diffViewCookie, Value: v, MaxAge: 365 * 24 * 3600})
		return v, nil
	}
	if ck, err := r.Cookie(diffViewCookie); err == nil && isDiffView(ck.Value) {
		return ck.Value, nil
	}
	return viewWords, nil
}

func isDiffView(v string) bool {
	for _, name := range diffViews {
		if v == name {
			return true
		}
	}
	return false
}

// truncateRunes cuts s to n runes at most.
func truncateRunes(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i] + "…"
		}
		n--
	}
	return s
}

// diffRevisions fills both sides' revision info, and returns the page's
// title and head revision.
func (s *ui) diffRevisions(r *http.Request, c *uiCtx, p wiki.Path, d wiki.DiffResult, v *diffPageView) (string, int, error) {
	ctx := r.Context()
	heads, err := s.svc.History(ctx, c.User, p, 1, 0)
	if err != nil || len(heads) == 0 {
		return "", 0, err
	}
	names := map[string]string{}
	info := func(rev int) (revisionInfo, error) {
		if rev == 0 {
			return revisionInfo{}, nil
		}
		revs, err := s.svc.History(ctx, c.User, p, 1, rev+1)
		if err != nil || len(revs) == 0 {
			return revisionInfo{Rev: rev}, err
		}
		rv := revs[0]
		name, ok := names[rv.Author]
		if !ok {
			name = rv.Author
			if u, err := s.svc.User(ctx, rv.Author); err == nil && u.Name != "" {
				name = u.Name
			}
			names[rv.Author] = name
		}
		return revisionInfo{Rev: rv.Rev, Author: rv.Author, AuthorName: name, Time: rv.Time, Summary: rv.Summary}, nil
	}
	if v.From, err = info(d.From); err != nil {
		return "", 0, err
	}
	if v.To, err = info(d.To); err != nil {
		return "", 0, err
	}
	v.From.Side, v.From.Label, v.From.Heading = "from", "diff.side_from", "diff.from"
	v.To.Side, v.To.Label, v.To.Heading = "to", "diff.side_to", "diff.to"
	return titleOr(heads[0].Title, p), heads[0].Rev, nil
}

// diffLinks returns the view switch and the links to the change before
// and after revision to, one change at a time.
func diffLinks(p wiki.Path, d wiki.DiffResult, head int, view string) (views []viewLink, prev, next string) {
	at := func(from, to int, view string) string {
		u := "/diff/" + pathURL(p.String()) + "?from=" + strconv.Itoa(from) + "&to=" + strconv.Itoa(to)
		if view != "" {
			u += "&view=" + view
		}
		return u
	}
	for _, name := range diffViews {
		views = append(views, viewLink{Name: name, Label: diffViewLabels[name], URL: at(d.From, d.To, name), Current: name == view})
	}
	if d.To >= 2 {
		prev = at(d.To-2, d.To-1, "")
	}
	if d.To < head {
		next = at(d.To, d.To+1, "")
	}
	return views, prev, next
}

// htmlOf marks a rendered diff block's sanitised HTML for the template.
func htmlOf(b wiki.RenderedDiffBlock) template.HTML {
	return template.HTML(markHTML(b.HTML)) // #nosec G203 -- sanitised by the renderer, marks only in text
}
