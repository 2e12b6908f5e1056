package search

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/kdecole-club/clubwiki/wiki"
)

// Source is what the index reads from the store; wiki.Store has it all.
// A Source that also has an identity (StoreID, as *store.DB) lets the
// index tell its own store from another one put in its place.
type Source interface {
	Head(ctx context.Context, p wiki.Path) (wiki.Head, error)
	Revision(ctx context.Context, p wiki.Path, rev int) (wiki.Revision, string, error)
	History(ctx context.Context, p wiki.Path, limit, before int) ([]wiki.Revision, error)
	Pages(ctx context.Context, ns string, within wiki.NamespaceSet, limit, offset int) ([]wiki.Head, int, error)
	ChangesAfter(ctx context.Context, since uint64, limit int) ([]wiki.Change, error)
	LastSeq(ctx context.Context) (uint64, error)
}

// leadBytes is how much of the text a snippet shows when no word of the
// query is in it (a match on the title or a filter only).
const leadBytes = 240

// historyAuthors bounds how many recent revisions give a page's authors.
const historyAuthors = 50

// metaAliases maps front-matter keys to the facet fields they feed.
var metaAliases = map[string]string{
	"type": "type", "status": "status", "statut": "status",
	"projects": "projects", "projets": "projects", "projet": "projects", "project": "projects",
	"tags": "tags", "tag": "tags", "mots-cles": "tags", "keywords": "tags",
}

// authorKeys are front-matter keys naming authors.
var authorKeys = map[string]bool{"author": true, "authors": true, "auteur": true, "auteurs": true}

// buildDoc reads the head revision of a live page and makes its document.
func buildDoc(ctx context.Context, src Source, r wiki.Renderer, texts *textCache, h wiki.Head) (doc, error) {
	_, md, err := src.Revision(ctx, h.Path, h.Rev)
	if err != nil {
		return doc{}, fmt.Errorf("reading %s: %w", h.Path, err)
	}
	out, err := r.Render(ctx, []byte(md), wiki.RenderOptions{Page: h.Path})
	if err != nil {
		// Saved pages render; should one not, its words still count.
		out = &wiki.Rendered{Text: md}
	}
	revs, err := src.History(ctx, h.Path, historyAuthors, 0)
	if err != nil {
		return doc{}, fmt.Errorf("reading the history of %s: %w", h.Path, err)
	}
	d := doc{
		Path: h.Path.String(), Title: h.Title, TitleP: h.Title, Text: out.Text, TextP: out.Text,
		Lead: cutBytes(out.Text, leadBytes), Namespace: h.Path.Namespace(), Updated: h.Updated.UTC(),
		Keywords: []string{strings.NewReplacer("/", " ", "-", " ").Replace(h.Path.Slug())},
	}
	if d.Title == "" {
		d.Title = h.Path.DefaultTitle()
		d.TitleP = d.Title
	}
	d.TitleKey = wiki.TitleSortKey(d.Title)
	files, err := attachmentsText(ctx, src, h.Path, texts)
	if err != nil {
		return doc{}, fmt.Errorf("reading the attachments of %s: %w", h.Path, err)
	}
	d.Text += files
	d.TextP += files
	for _, hd := range out.Headings {
		d.Headings = append(d.Headings, hd.Text)
	}
	authors := map[string]bool{h.Author: true}
	for _, rv := range revs {
		authors[rv.Author] = true
	}
	d.addMeta(out.Meta, authors)
	for a := range authors {
		if a != "" {
			d.Author = append(d.Author, a)
		}
	}
	sort.Strings(d.Author)
	return d, nil
}

// addMeta files the front matter: facet fields, authors, and every other
// scalar as a "key:value" keyword; all values also count as words.
func (d *doc) addMeta(meta map[string]any, authors map[string]bool) {
	for k, v := range meta {
		key := strings.ToLower(k)
		vals := scalars(v)
		if key == "title" || len(vals) == 0 {
			continue
		}
		d.Keywords = append(d.Keywords, vals...)
		switch field := metaAliases[key]; {
		case field != "":
			d.addFacet(field, vals)
		case authorKeys[key]:
			for _, a := range vals {
				authors[a] = true
			}
		default:
			for _, s := range vals {
				d.Meta = append(d.Meta, key+":"+s)
			}
		}
	}
}

// eachFacetValue calls fn with every front-matter facet value of d, as
// written.
func (d *doc) eachFacetValue(fn func(field, value string)) {
	for _, f := range []struct {
		name string
		vals []string
	}{{"type", d.Type}, {"status", d.Status}, {"projects", d.Projects}, {"tags", d.Tags}} {
		for _, v := range f.vals {
			fn(f.name, v)
		}
	}
}

func (d *doc) addFacet(field string, vals []string) {
	switch field {
	case "type":
		d.Type, d.KType = append(d.Type, vals...), append(d.KType, vals...)
	case "status":
		d.Status, d.KStatus = append(d.Status, vals...), append(d.KStatus, vals...)
	case "projects":
		d.Projects, d.KProjects = append(d.Projects, vals...), append(d.KProjects, vals...)
	case "tags":
		d.Tags, d.KTags = append(d.Tags, vals...), append(d.KTags, vals...)
	}
}

// scalars returns the non-empty scalar values of a front-matter value: the
// value itself or the scalar items of a list. Mappings are left out.
func scalars(v any) []string {
	switch t := v.(type) {
	case nil, map[string]any:
		return nil
	case []any:
		var out []string
		for _, item := range t {
			out = append(out, scalars(item)...)
		}
		return out
	case string:
		if s := strings.TrimSpace(t); s != "" {
			return []string{s}
		}
		return nil
	}
	return []string{fmt.Sprint(v)}
}

// cutBytes returns at most n bytes of s, cut at a rune boundary.
func cutBytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n]
}
