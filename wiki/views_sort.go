package wiki

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// columnKeys are the front-matter keys a column reads, French first:
// "status" and "projects" written by hand are "statut" and "projets".
var columnKeys = map[string][]string{
	"statut":   {"statut", "status"},
	"projets":  {"projets", "projects", "projet", "project"},
	"soutiens": {"soutiens", "supports"},
}

// metaValue returns the value of column col in meta, nil when absent.
func metaValue(meta map[string]any, col string) any {
	keys := columnKeys[col]
	if keys == nil {
		keys = []string{col}
	}
	for _, k := range keys {
		if v, ok := meta[k]; ok {
			return v
		}
	}
	for k, v := range meta { // keys as typed, any case
		for _, want := range keys {
			if strings.EqualFold(k, want) {
				return v
			}
		}
	}
	return nil
}

// metaText writes a front-matter value for a cell: a list joined with
// commas, a mapping as "key (value)" by key.
func metaText(v any) string {
	switch t := v.(type) {
	case nil:
		return ""
	case string:
		return strings.TrimSpace(t)
	case []any:
		parts := make([]string, 0, len(t))
		for _, x := range t {
			if s := metaText(x); s != "" {
				parts = append(parts, s)
			}
		}
		return strings.Join(parts, ", ")
	case map[string]any:
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for i, k := range keys {
			if s := metaText(t[k]); s != "" {
				keys[i] = k + " (" + s + ")"
			}
		}
		return strings.Join(keys, ", ")
	}
	return fmt.Sprint(v)
}

// Support is how the club backs a request to the vendor: the projects
// supporting it and the mean of their priorities (1 the highest).
type Support struct {
	Projects []string
	Priority float64 // 0 when no project supports it
}

// SupportOf reads a request's support from its front matter: "soutiens",
// a mapping of project to priority (a number, or haute / moyenne /
// basse) or a list of projects (each of priority moyenne, or mappings
// with "projet" and "priorite"); without it, "projets" with "priorites"
// (project to priority).
func SupportOf(meta map[string]any) Support {
	prio := map[string]float64{}
	switch t := metaValue(meta, "soutiens").(type) {
	case map[string]any:
		for p, v := range t {
			prio[p] = priorityOf(v)
		}
	case []any:
		for _, item := range t {
			if m, ok := item.(map[string]any); ok {
				if p := metaText(metaValue(m, "projet")); p != "" {
					prio[p] = priorityOf(metaValue(m, "priorite"))
				}
			} else if p := metaText(item); p != "" {
				prio[p] = 2
			}
		}
	case nil:
		given, _ := metaValue(meta, "priorites").(map[string]any)
		for _, p := range scalarsOf(metaValue(meta, "projets")) {
			prio[p] = priorityOf(given[p])
		}
	}
	var out Support
	for p, n := range prio {
		out.Projects = append(out.Projects, p)
		out.Priority += n
	}
	sort.Strings(out.Projects)
	if len(prio) > 0 {
		out.Priority /= float64(len(prio))
	}
	return out
}

// priorityOf reads a priority: 1 (haute) to 3 (basse); moyenne when it
// is missing or unknown.
func priorityOf(v any) float64 {
	s := foldText(metaText(v))
	switch s {
	case "haute", "high", "forte", "prioritaire":
		return 1
	case "basse", "low", "faible":
		return 3
	}
	if n, err := strconv.ParseFloat(s, 64); err == nil && n > 0 {
		return n
	}
	return 2
}

func scalarsOf(v any) []string {
	switch t := v.(type) {
	case []any:
		var out []string
		for _, x := range t {
			if s := metaText(x); s != "" {
				out = append(out, s)
			}
		}
		return out
	case nil:
		return nil
	}
	if s := metaText(v); s != "" {
		return []string{s}
	}
	return nil
}

// sortRows orders rows by col in its natural order: titles and text
// ascending (pages without a value last), the newest first for ColUpdated,
// the most supported first for ColSupport; desc reverses it. Ties go by
// title, then path.
func sortRows(rows []viewRow, col string, desc bool) {
	keys := make([]string, len(rows))
	titles := make([]string, len(rows)) // folded once, not per comparison
	sup := make([]Support, len(rows))
	for i, r := range rows {
		titles[i] = TitleSortKey(r.Title)
		switch col {
		case ColTitle, ColUpdated:
		case ColSupport:
			sup[i] = SupportOf(r.Meta)
		default:
			keys[i] = foldText(metaText(metaValue(r.Meta, col)))
		}
	}
	textCol := col != ColUpdated && col != ColSupport && col != ColTitle
	idx := make([]int, len(rows))
	for i := range idx {
		idx[i] = i
	}
	cmp := func(a, b int) int {
		switch col {
		case ColUpdated:
			return rows[b].Updated.Compare(rows[a].Updated)
		case ColSupport:
			return compareSupport(sup[a], sup[b])
		case ColTitle:
			return 0
		}
		return strings.Compare(keys[a], keys[b])
	}
	sort.SliceStable(idx, func(i, j int) bool {
		a, b := idx[i], idx[j]
		if ea, eb := keys[a] == "", keys[b] == ""; textCol && ea != eb {
			return eb // pages without the value last, whatever the order
		}
		c := cmp(a, b)
		if desc {
			c = -c
		}
		if c == 0 {
			c = strings.Compare(titles[a], titles[b])
			if desc && col == ColTitle {
				c = -c
			}
		}
		if c == 0 {
			c = strings.Compare(rows[a].Path.String(), rows[b].Path.String())
		}
		return c < 0
	})
	sorted := make([]viewRow, len(rows))
	for i, j := range idx {
		sorted[i] = rows[j]
	}
	copy(rows, sorted)
}

// compareSupport puts more supporting projects first, then the higher
// priority (the smaller number).
func compareSupport(a, b Support) int {
	if len(a.Projects) != len(b.Projects) {
		return len(b.Projects) - len(a.Projects)
	}
	switch {
	case a.Priority < b.Priority:
		return -1
	case a.Priority > b.Priority:
		return 1
	}
	return 0
}

// titleKeyRunes bounds TitleSortKey: titles alike over their first 100
// letters sort by path, and the search index keeps no longer term.
const titleKeyRunes = 100

// TitleSortKey is the key pages sort by title with, in views and in the
// search index (SortTitle): the title without accents, in lower case
// (foldText), cut at titleKeyRunes runes.
func TitleSortKey(title string) string {
	k := foldText(title)
	n := 0
	for i := range k {
		if n == titleKeyRunes {
			return k[:i]
		}
		n++
	}
	return k
}

// foldText is s in the form text columns sort by: without accents, in
// lower case.
func foldText(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		if !unicode.Is(unicode.Mn, r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}
