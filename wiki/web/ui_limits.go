package web

import (
	"errors"

	"github.com/kdecole-club/clubwiki/wiki"
)

// limitKeys are the catalogue keys that word each rendering bound.
var limitKeys = map[string]string{
	wiki.LimitLines:           "limit.lines",
	wiki.LimitTableColumns:    "limit.table_columns",
	wiki.LimitTableCells:      "limit.table_cells",
	wiki.LimitTablePipes:      "limit.table_pipes",
	wiki.LimitFootnotes:       "limit.footnotes",
	wiki.LimitFootnoteRefs:    "limit.footnote_refs",
	wiki.LimitLinkDefinitions: "limit.link_definitions",
	wiki.LimitLinks:           "limit.links",
	wiki.LimitInline:          "limit.inline",
	wiki.LimitHeadings:        "limit.headings",
	wiki.LimitContainers:      "limit.containers",
	wiki.LimitHTML:            "limit.html",
}

// limitText words the rendering bound behind err for the editor, "" when
// err is not about one.
func limitText(l *catalog, err error) string {
	var le *wiki.LimitError
	if !errors.As(err, &le) {
		return ""
	}
	return l.T("edit.limit", limitWords(l, le))
}

// limitWords says which bound a page went past, and on which line.
func limitWords(l *catalog, le *wiki.LimitError) string {
	key, ok := limitKeys[le.Limit]
	if !ok {
		key = "limit.other"
	}
	s := l.T(key, le.Count, le.Max)
	if le.Line > 0 {
		s += " " + l.T("limit.line", le.Line)
	}
	return s
}
