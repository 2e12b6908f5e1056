package web

import (
	"net/http"
	"strings"

	"github.com/kdecole-club/clubwiki/wiki"
)

// A page that does not exist is offered for creation under a title. The
// path alone gives a poor one ("probleme de connexion a l ent"), so the
// title comes, in this order, from the ?title= the new-page form passes,
// the page's last title when it was deleted, the words of a link to it,
// and only then the path.

// maxLinkSources bounds the linking pages read to find a link's words.
const maxLinkSources = 5

// newPageTitle is the title under which p, which does not exist, is
// offered for creation, and whether p was deleted (it has a history).
func (s *ui) newPageTitle(r *http.Request, c *uiCtx, p wiki.Path) (title string, deleted bool) {
	revs, err := s.svc.History(r.Context(), c.User, p, 1, 0)
	deleted = err == nil && len(revs) > 0
	if t := strings.TrimSpace(r.URL.Query().Get("title")); t != "" {
		return t, deleted
	}
	if deleted && revs[0].Title != "" {
		return revs[0].Title, deleted
	}
	if t := s.linkTitle(r, c, p); t != "" {
		return t, deleted
	}
	return p.DefaultTitle(), deleted
}

// linkTitle returns the words a page linking to p used for it, "" when no
// link says more than the path.
func (s *ui) linkTitle(r *http.Request, c *uiCtx, p wiki.Path) string {
	heads, err := s.svc.Backlinks(r.Context(), c.User, p)
	if err != nil {
		return ""
	}
	for i, h := range heads {
		if i == maxLinkSources {
			break
		}
		md, err := s.svc.Source(r.Context(), c.User, h.Path)
		if err != nil {
			continue
		}
		if t := linkWords(md, h.Path, p); t != "" {
			return t
		}
	}
	return ""
}

// maxWikiLink bounds the search for a link's closing "]]", as the renderer
// does.
const maxWikiLink = 512

// linkWords finds in md, the text of the page from, a wiki link to p and
// returns its words: the last segment of the target as written when it is
// more than a slug ("[[Problème de connexion à l'ENT]]"), else the label
// ("[[club/page-a-creer|Page à créer]]"). It resolves targets as the
// renderer does: as written, or relative to from's namespace.
func linkWords(md string, from, p wiki.Path) string {
	want := p.String()
	for rest := md; ; {
		i := strings.Index(rest, "[[")
		if i < 0 {
			return ""
		}
		rest = rest[i+2:]
		inner := rest[:min(len(rest), maxWikiLink)]
		end := strings.Index(inner, "]]")
		if end < 0 || strings.ContainsAny(inner[:end], "[]\n\r") {
			continue
		}
		target, label, _ := strings.Cut(inner[:end], "|")
		target, _, _ = strings.Cut(target, "#")
		target, label = strings.TrimSpace(target), strings.TrimSpace(label)
		c := wiki.Canonical(target)
		if c == "" || (c != want && from.Namespace()+"/"+c != want) {
			continue
		}
		words := strings.TrimSpace(target[strings.LastIndex(target, "/")+1:])
		if wiki.Canonical(words) != words {
			return words
		}
		if label != "" && wiki.Canonical(label) != label {
			return label
		}
	}
}
