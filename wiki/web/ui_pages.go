package web

import (
	"errors"
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"github.com/kdecole-club/clubwiki/wiki"
)

// homePath is the page shown at /.
const homePath = "club/accueil"

// pageView is a page as the browser shows it.
type pageView struct {
	base
	Page    *wiki.PageView
	Content template.HTML // sanitised by the renderer
	Old     bool          // an old revision, not the head
	Article articleParts  // the executed "article" template around Content
	// Unrendered says which rendering bound the page goes past, when it
	// is shown as text (see wiki.PageView.Unrendered).
	Unrendered string
	// Since is who changed the page since the reader's last visit, nil
	// when nothing did. It is the reader's own: outside the cached article.
	Since *sinceView
	// Watching says whether the reader watches the page (its star).
	Watching bool
	// AuthorName is the display name of the revision's author.
	AuthorName string
	// Axis is the tree of the axis's pages, below the page when it is
	// the axis's introduction (ui.axisTree); per request.
	Axis template.HTML
	// Crumbs are the steps above the page, with titles: in the article.
	Crumbs []wiki.Crumb
	// Files is the page's attachments (ui_files.go), the reader's own:
	// outside the cached article.
	Files *filesView
	// Badges are the page's type, status and projects (its banner), nil
	// for a free page.
	Badges *typeBadges
}

// missingView is a page that does not exist (yet, or any more).
type missingView struct {
	base
	Path     string
	NewTitle string // the title it is offered for creation under, if not the path's
	Deleted  bool
}

// canonicalPath canonicalises the {path...} of a UI request. A non-canonical
// spelling is redirected to the canonical URL (301 for GET, 308 otherwise so
// that a form post keeps its body); redirected is then true.
func (s *ui) canonicalPath(w http.ResponseWriter, r *http.Request) (p wiki.Path, redirected bool, err error) {
	p, err = s.pagePath(r)
	if err != nil {
		return p, false, err
	}
	if r.PathValue("path") == p.String() {
		return p, false, nil
	}
	_, pattern, _ := strings.Cut(r.Pattern, " ")
	target := strings.TrimSuffix(pattern, "{path...}") + p.String()
	if r.URL.RawQuery != "" {
		target += "?" + r.URL.RawQuery
	}
	status := http.StatusMovedPermanently
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		status = http.StatusPermanentRedirect
	}
	http.Redirect(w, r, target, status)
	return p, true, nil
}

// page answers GET /wiki/{path...}, ?rev=N for an old revision.
func (s *ui) page(w http.ResponseWriter, r *http.Request, c *uiCtx) error {
	p, done, err := s.canonicalPath(w, r)
	if err != nil || done {
		return err
	}
	rev, _, err := revParam(r) // ?rev=0 is the head, as no rev
	if err != nil {
		return err
	}
	opts := wiki.PageOptions{Sort: r.URL.Query().Get("tri"), Labels: viewLabels(c.L)}
	v, err := s.svc.PageWith(r.Context(), c.User, p, rev, opts)
	var moved *wiki.MovedError
	if wiki.ErrorCode(err) == wiki.ENotFound && rev == 0 && !errors.As(err, &moved) {
		return s.missingPage(w, r, c, p)
	}
	if err != nil {
		return err
	}
	view := pageView{base: c.baseAt(v.Title, v.Path), Page: v, Content: template.HTML(v.Body()), Old: v.Rev < v.HeadRev}
	view.PageFeed = "/feeds/history/" + pathURL(v.Path.String())
	view.Badges = badgesOf(s.svc.PageTypes(r.Context()), v.Meta)
	if v.Unrendered != nil {
		view.Unrendered = limitWords(c.L, v.Unrendered)
	}
	view.Flash = c.flash()
	if view.Since, err = s.sinceVisit(r, c, v); err != nil {
		return err
	}
	if view.Watching, err = s.svc.Watching(r.Context(), c.User, wiki.Watched{Path: v.Path}); err != nil {
		return err
	}
	names, err := s.svc.DisplayNames(r.Context(), c.User, []string{v.Author})
	if err != nil {
		return err
	}
	view.AuthorName = names[v.Author]
	if view.Files, err = s.pageFiles(r, c, v.Path, view.CanEdit && !view.Old); err != nil {
		return err
	}
	if view.Article, err = s.article(r, &view); err != nil {
		return err
	}
	if p.Slug() == wiki.AxisHome && !view.Old && !isHomeAxis(p.Namespace()) {
		ns, err := s.namespaceInfo(r, c, p.Namespace())
		if err != nil {
			return err
		}
		if view.Axis, err = s.axisTree(r, c, ns, "/wiki/"+p.String()); err != nil {
			return err
		}
	}
	s.render(w, r, http.StatusOK, "page", view)
	return nil
}

// article executes the page's "article" template, the heavy part of a page
// view (table of contents, translated labels, attachments), once per
// revision, existence generation, language, edit right, star (watched or
// not) and attachments' state.
// What is cached is the article around its content, executed with a
// marker in the content's place: the page's HTML is held once, by the
// service's render cache, and the page template writes it between the
// two parts.
func (s *ui) article(r *http.Request, v *pageView) (articleParts, error) {
	p := v.Page
	rights := strconv.FormatBool(v.CanEdit) + strconv.FormatBool(v.CanDelete) + strconv.FormatBool(v.CanRevert) + strconv.FormatBool(v.Watching)
	key := v.L.lang + "|" + rights + "|" + strconv.Itoa(p.HeadRev) + "|" + p.Path.String() + "|" + v.AuthorName +
		"|" + v.Files.key()
	if b := v.Badges; b != nil {
		// The banner follows the type definitions, which change apart.
		key += "|" + b.TypeLabel + "|" + b.Status + "|" + strings.Join(b.Projects, ",")
	}
	a := s.articles.get(key, p.Rev, p.ETag)
	if a == "" {
		var buf strings.Builder
		crumbs, err := s.svc.Crumbs(r.Context(), v.User, p.Path)
		if err != nil {
			return articleParts{}, err
		}
		around := *v
		around.Crumbs = crumbs
		around.Content = contentMarker
		if err := s.pages["page"].ExecuteTemplate(&buf, "article", &around); err != nil {
			return articleParts{}, wiki.Internal(err, "rendering the page "+p.Path.String())
		}
		a = buf.String()
		s.articles.put(key, p.Rev, p.ETag, a)
	}
	head, tail, ok := strings.Cut(a, string(contentMarker))
	if !ok {
		return articleParts{}, wiki.Internal(nil, "the article of "+p.Path.String()+" has no place for its content")
	}
	return articleParts{template.HTML(head), template.HTML(tail)}, nil
}

// contentMarker stands for the page's content in a cached article. The
// templates escape a NUL byte in any text or attribute, so only the
// content inserted as HTML can write it.
const contentMarker template.HTML = "\x00content\x00"

// articleParts is an executed article around its content.
type articleParts struct{ Head, Tail template.HTML }

// missingPage answers a page that does not exist with 404 and a link to
// create it.
func (s *ui) missingPage(w http.ResponseWriter, r *http.Request, c *uiCtx, p wiki.Path) error {
	title, deleted := s.newPageTitle(r, c, p)
	v := missingView{base: c.baseAt(title, p), Path: p.String(), Deleted: deleted}
	if title != p.DefaultTitle() {
		v.NewTitle = title
	}
	v.Flash = c.flash()
	s.render(w, r, http.StatusNotFound, "missing", v)
	return nil
}

// homeView is the home page: the club's page and the namespaces.
type homeView struct {
	base
	Content    template.HTML
	Page       *wiki.PageView
	Namespaces []wiki.NamespaceInfo
}

// home answers GET /: the page club/accueil and the work axes.
func (s *ui) home(w http.ResponseWriter, r *http.Request, c *uiCtx) error {
	p, err := s.svc.ResolvePath(r.Context(), homePath)
	if err != nil {
		return err
	}
	nss, err := s.svc.Namespaces(r.Context(), c.User)
	if err != nil {
		return err
	}
	v := homeView{base: c.baseAt(c.L.T("home.title"), p), Namespaces: nss}
	if pv, err := s.svc.Page(r.Context(), c.User, p, 0); err == nil {
		// The title becomes the page's one h1, above the axes.
		v.Page, v.Content, v.Title = pv, template.HTML(pv.Body()), pv.Title
	} else if wiki.ErrorCode(err) != wiki.ENotFound {
		return err
	}
	s.render(w, r, http.StatusOK, "home", v)
	return nil
}
