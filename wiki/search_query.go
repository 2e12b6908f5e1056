package wiki

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Query is a search query as members type it, parsed. Nothing in it is
// specific to an index technology.
type Query struct {
	Words    []string // plain words: all required, then relaxed to any
	Prefixes []string // words typed with a trailing '*', without it
	Phrases  []string // "quoted phrases", required
	Exclude  []string // -word or -"phrase": pages with it are dropped
	Filters  []Filter // field:value, all required
	Since    time.Time
	Before   time.Time
}

// Filter is a field:value restriction. Field is one of the Field* names or
// FieldMetaPrefix + a front-matter key. Not turns it around: "-status:resolu"
// keeps the pages whose status is not resolu (open difficulties), pages
// without a status included.
type Filter struct {
	Field string
	Value string
	Not   bool
}

// The fields a filter can name, whatever alias the member typed.
const (
	FieldNamespace  = "namespace"
	FieldType       = "type"
	FieldStatus     = "status"
	FieldProjects   = "projects"
	FieldTags       = "tags"
	FieldAuthor     = "author"
	FieldMetaPrefix = "meta."
)

// filterAliases maps what members type (French first) to fields.
var filterAliases = map[string]string{
	"ns": FieldNamespace, "namespace": FieldNamespace, "espace": FieldNamespace,
	"type": FieldType, "status": FieldStatus, "statut": FieldStatus,
	"projet": FieldProjects, "projets": FieldProjects, "project": FieldProjects, "projects": FieldProjects,
	"tag": FieldTags, "tags": FieldTags, "mot-cle": FieldTags,
	"auteur": FieldAuthor, "author": FieldAuthor, "par": FieldAuthor,
}

// Bounds that keep a query's cost small whatever is typed.
const (
	maxQueryBytes = 1000
	maxQueryParts = 32
	// MaxQueryWords bounds the words one query searches for, those of its
	// phrases and exclusions included: each costs the index a lookup per
	// field, and a pasted paragraph is no better a query than its start.
	MaxQueryWords = 32
	// MinPrefixRunes is the shortest prefix searched as one: "pr*" would
	// stand for thousands of words, so it is read as the word "pr".
	MinPrefixRunes = 3
)

// IsEmpty reports whether q matches everything (no word, phrase or filter).
func (q Query) IsEmpty() bool {
	return len(q.Words)+len(q.Prefixes)+len(q.Phrases)+len(q.Exclude)+len(q.Filters) == 0 &&
		q.Since.IsZero() && q.Before.IsZero()
}

// ParseQuery reads the search syntax of CONTRACT.md: words, "phrases",
// -exclusions, field:value filters, depuis:/avant: dates and prefix* words.
// It never fails: anything it cannot read as syntax is read as plain words.
func ParseQuery(raw string) Query { return ParseQueryText(raw).Query() }

// ParseQueryText reads raw as ParseQuery does and keeps each part it
// searches for with its place in raw, so that an interface can show the
// filters typed and remove one by cutting it out of the text.
func ParseQueryText(raw string) QueryText {
	text, at := cleanQuery(raw)
	parts := splitQuery(text)
	qt := QueryText{Text: raw, Parts: make([]QueryPart, 0, min(len(parts), maxQueryParts))}
	words := MaxQueryWords
	for i, p := range parts {
		if i >= maxQueryParts || words <= 0 {
			break
		}
		if part, ok := p.read(&words); ok {
			part.Span = Span{at(p.start), at(p.end)}
			qt.Parts = append(qt.Parts, part)
		}
	}
	return qt
}

// queryPart is one space-separated item: [-][key:]value, value maybe
// quoted; text[start:end] is the item, its '-', key and quotes included.
type queryPart struct {
	neg        bool
	key        string
	value      string
	quoted     bool
	start, end int
}

// splitQuery cuts text into parts, keeping quoted text together. An
// unbalanced quote is dropped and its text read as words.
func splitQuery(text string) []queryPart {
	var out []queryPart
	text = strings.TrimRightFunc(text, unicode.IsSpace)
	for s := strings.TrimLeftFunc(text, unicode.IsSpace); s != ""; s = strings.TrimLeftFunc(s, unicode.IsSpace) {
		p := queryPart{start: len(text) - len(s)}
		if len(s) > 1 && s[0] == '-' {
			p.neg, s = true, s[1:]
		}
		if k, rest, ok := cutKey(s); ok {
			p.key, s = k, rest
		}
		if strings.HasPrefix(s, `"`) {
			if end := strings.IndexByte(s[1:], '"'); end >= 0 {
				p.value, p.quoted, s = s[1:1+end], true, s[2+end:]
				p.end = len(text) - len(s)
				out = append(out, p)
				continue
			}
			s = s[1:] // unbalanced: the rest is words
		}
		end := strings.IndexFunc(s, func(r rune) bool { return unicode.IsSpace(r) || r == '"' })
		if end < 0 {
			end = len(s)
		}
		p.value, s = s[:end], strings.TrimPrefix(s[end:], `"`)
		p.end = len(text) - len(s)
		out = append(out, p)
	}
	return out
}

// cutKey splits "key:rest" when key is a plausible field name: letters,
// digits, '_' or '-', starting with a letter, and rest is not empty.
func cutKey(s string) (key, rest string, ok bool) {
	i := strings.IndexByte(s, ':')
	if i <= 0 || i+1 >= len(s) || unicode.IsSpace(rune(s[i+1])) || s[i+1] == '/' {
		return "", s, false
	}
	key = s[:i]
	r, _ := utf8.DecodeRuneInString(key)
	if !unicode.IsLetter(r) {
		return "", s, false
	}
	for _, r := range key {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '_' && r != '-' {
			return "", s, false
		}
	}
	return strings.ToLower(key), s[i+1:], true
}

// read returns what p searches for; words is what is left of the query's
// word budget, which words, prefixes, phrases and exclusions spend
// (filters do not). An empty part searches for nothing.
func (p queryPart) read(words *int) (QueryPart, bool) {
	value := strings.TrimSpace(p.value)
	if value == "" {
		return QueryPart{}, false
	}
	if p.key != "" {
		if f, ok := readFilter(p.key, value, p.neg); ok {
			return f, true
		}
		value = p.key + " " + value // not a filter after all: plain words
	}
	fields := strings.Fields(value)
	if len(fields) > *words {
		fields = fields[:*words]
		value = strings.Join(fields, " ")
	}
	*words -= len(fields)
	switch {
	case p.neg:
		return QueryPart{Kind: PartExclude, Value: value}, true
	case p.quoted:
		return QueryPart{Kind: PartPhrase, Value: value}, true
	case strings.HasSuffix(value, "*") && utf8.RuneCountInString(strings.TrimRight(value, "*")) >= MinPrefixRunes:
		return QueryPart{Kind: PartPrefix, Value: strings.TrimRight(value, "*")}, true
	}
	return QueryPart{Kind: PartWords, Value: value}, true
}

// readFilter reads key:value as a filter or a date, and reports whether
// it is one.
func readFilter(key, value string, neg bool) (QueryPart, bool) {
	switch key {
	case "depuis", "since", "apres", "avant", "before":
		t, ok := parseDay(value)
		if !ok || neg {
			return QueryPart{}, false
		}
		kind := PartSince
		if key == "avant" || key == "before" {
			kind = PartBefore
		}
		return QueryPart{Kind: kind, Value: value, Day: t}, true
	}
	field, ok := filterAliases[key]
	if !ok {
		field = FieldMetaPrefix + strings.ReplaceAll(key, "-", "_")
	}
	return QueryPart{Kind: PartFilter, Value: value, Filter: Filter{Field: field, Value: value, Not: neg}}, true
}

// parseDay reads YYYY-MM-DD, YYYY-MM or YYYY as the start of that day,
// month or year, in UTC.
func parseDay(s string) (time.Time, bool) {
	for _, layout := range []string{"2006-01-02", "2006-01", "2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// CorrectQuery returns q with each word typed that cs corrects replaced by
// its correction, everything else (filters, phrases, spacing) as typed.
func CorrectQuery(q string, cs []SearchCorrection) string {
	if len(cs) == 0 {
		return q
	}
	to := make(map[string]string, len(cs))
	for _, c := range cs {
		to[strings.ToLower(c.Word)] = c.To
	}
	fields := strings.Fields(q)
	for i, f := range fields {
		if t, ok := to[strings.ToLower(f)]; ok {
			fields[i] = t
		}
	}
	return strings.Join(fields, " ")
}
