package wiki

import (
	"html"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// viewHTML writes view i's rows as a table: the title linked to the page,
// then the view's columns, each header a link that sorts by it (the
// server sorts: it works without script). Past the rows shown, a link to
// the search lists them all.
func (s *Service) viewHTML(i int, spec ViewSpec, res viewResult, l ViewLabels) string {
	var b strings.Builder
	id := "vue-" + itoa(i)
	b.WriteString(`<div class="wiki-view" id="` + id + `">`)
	if len(res.rows) == 0 {
		b.WriteString(`<p class="view-empty">` + html.EscapeString(l.Empty) + `</p></div>`)
		return b.String()
	}
	cols := append([]string{ColTitle}, spec.Columns...)
	b.WriteString(`<table class="view"><thead><tr>`)
	for _, c := range cols {
		s.viewHeader(&b, i, c, spec, l)
	}
	b.WriteString(`</tr></thead><tbody>`)
	for _, r := range res.rows {
		b.WriteString(`<tr>`)
		for _, c := range cols {
			b.WriteString(`<td>` + s.viewCell(r, c) + `</td>`)
		}
		b.WriteString(`</tr>`)
	}
	b.WriteString(`</tbody></table>`)
	if res.total > len(res.rows) {
		b.WriteString(`<p class="view-more">` + html.EscapeString(l.Shown(len(res.rows), res.total)))
		if res.sortedAmong > 0 {
			b.WriteString(` · ` + html.EscapeString(l.SortedAmong(res.sortedAmong)))
		}
		b.WriteString(` · <a href="/search?q=` + html.EscapeString(url.QueryEscape(spec.Query)) + `">` + html.EscapeString(l.All) + `</a></p>`)
	}
	b.WriteString(`</div>`)
	return b.String()
}

// viewHeader writes column c's header: a link sorting by it, in its
// natural order, or reversed when the view is sorted by it already.
func (s *Service) viewHeader(b *strings.Builder, i int, c string, spec ViewSpec, l ViewLabels) {
	label := columnLabel(c, l)
	sortBy := c
	sorted := ""
	if spec.Sort == c {
		if !spec.Desc {
			sortBy = "-" + c
		}
		sorted = ` aria-sort="` + ariaSort(c, spec.Desc) + `"`
	}
	href := "?tri=" + url.QueryEscape(itoa(i)+"."+sortBy) + "#vue-" + itoa(i)
	b.WriteString(`<th scope="col"` + sorted + `><a href="` + html.EscapeString(href) + `">` + html.EscapeString(label) + `</a></th>`)
}

// ariaSort words a column's order: the natural order of dates and of
// support is descending.
func ariaSort(c string, desc bool) string {
	natural := c == ColUpdated || c == ColSupport
	if natural != desc {
		return "descending"
	}
	return "ascending"
}

func columnLabel(c string, l ViewLabels) string {
	switch c {
	case ColTitle:
		return l.Title
	case ColUpdated:
		return l.Updated
	case ColSupport:
		return l.Support
	}
	if c == "" {
		return c
	}
	return strings.ToUpper(c[:1]) + c[1:]
}

// viewCell writes row r's value of column c, escaped.
func (s *Service) viewCell(r viewRow, c string) string {
	switch c {
	case ColTitle:
		return `<a class="wikilink" href="` + html.EscapeString(s.cfg.LinkPrefix+r.Path.String()) + `">` + html.EscapeString(r.Title) + `</a>`
	case ColUpdated:
		return `<time datetime="` + r.Updated.UTC().Format(time.RFC3339) + `">` + r.Updated.UTC().Format("2006-01-02") + `</time>`
	case ColSupport:
		sup := SupportOf(r.Meta)
		if len(sup.Projects) == 0 {
			return "0"
		}
		return strconv.Itoa(len(sup.Projects)) + ` <span class="meta">(` + html.EscapeString(strings.Join(sup.Projects, ", ")) + `)</span>`
	}
	return html.EscapeString(metaText(metaValue(r.Meta, c)))
}
