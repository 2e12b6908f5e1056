package wiki

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Check refuses a front matter of a known type with a field whose value
// that type does not allow: an *Error EInvalidMeta naming the field, its
// line in text (the page's Markdown) and the allowed values, in French,
// the club's language. A page without a type, or of a type nobody defined,
// is a free page: anything goes. Keys that are no field of the type are
// free too.
func (ts *PageTypes) Check(meta map[string]any, text string) error {
	t, ok := ts.Of(meta)
	if !ok {
		return nil
	}
	keys := make([]string, 0, len(meta))
	for k := range meta {
		keys = append(keys, k)
	}
	sort.Strings(keys) // the same field is named whatever the map's order
	for _, k := range keys {
		f, ok := t.Field(k)
		if !ok {
			continue
		}
		if problem := f.check(meta[k]); problem != "" {
			return metaError(t, f, k, FrontMatterLine(text, k), problem)
		}
	}
	return nil
}

// metaError is the refusal of the value of field f, written under key.
func metaError(t *PageType, f *TypeField, key string, line int, problem string) *Error {
	where := ""
	if line > 0 {
		where = fmt.Sprintf(" (ligne %d)", line)
	}
	allowed := f.allowed()
	msg := fmt.Sprintf("le champ « %s »%s d'une page de type « %s » : %s", key, where, t.Name, problem)
	if allowed != "" {
		msg += " ; valeurs permises : " + allowed
	}
	e := Errorf(EInvalidMeta, "%s", msg).Because(ReasonMetaInvalid, key, line, allowed)
	e.Line, e.Field = line, key
	return e
}

// allowed says what f accepts, for a refusal.
func (f *TypeField) allowed() string {
	switch f.Kind {
	case KindChoice, KindChoices:
		return strings.Join(f.Values, ", ")
	case KindPriorities:
		return strings.Join(f.Values, ", ") + " → " + strings.Join(f.Levels, ", ")
	case KindDate:
		return "AAAA-MM-JJ"
	case KindNumber:
		return "0, 1, 2…"
	}
	return ""
}

// check returns what is wrong with v as a value of f, in French; "" when
// nothing is. An empty value (the key alone) is always allowed: the field
// is not filled in yet.
func (f *TypeField) check(v any) string {
	if v == nil {
		return ""
	}
	switch f.Kind {
	case KindChoice:
		s, ok := scalarText(v)
		if !ok {
			return "une seule valeur est attendue"
		}
		return f.checkValue(s)
	case KindChoices:
		return f.checkEach(v, f.checkValue)
	case KindList:
		return f.checkEach(v, func(string) string { return "" })
	case KindDate:
		s, ok := scalarText(v)
		if _, err := time.Parse("2006-01-02", strings.TrimSpace(s)); !ok || (err != nil && s != "") {
			return fmt.Sprintf("« %s » n'est pas une date", truncate(s, 80))
		}
	case KindNumber:
		return checkNumber(v)
	case KindPriorities:
		return f.checkPriorities(v)
	default: // text
		if _, ok := scalarText(v); !ok {
			return "un texte est attendu, pas une liste"
		}
	}
	return ""
}

func (f *TypeField) checkValue(s string) string {
	if strings.TrimSpace(s) == "" {
		return ""
	}
	if _, ok := f.Canon(s); !ok {
		return fmt.Sprintf("la valeur « %s » n'est pas permise", truncate(s, 80))
	}
	return ""
}

// checkEach checks a list, or a single value standing for a list of one.
func (f *TypeField) checkEach(v any, one func(string) string) string {
	items, ok := v.([]any)
	if !ok {
		items = []any{v}
	}
	for _, item := range items {
		s, ok := scalarText(item)
		if !ok {
			return "une liste de valeurs simples est attendue"
		}
		if p := one(s); p != "" {
			return p
		}
	}
	return ""
}

func checkNumber(v any) string {
	switch n := v.(type) {
	case int64:
		if n >= 0 {
			return ""
		}
	case string:
		if i, err := strconv.Atoi(strings.TrimSpace(n)); err == nil && i >= 0 || strings.TrimSpace(n) == "" {
			return ""
		}
	}
	s, _ := scalarText(v)
	return fmt.Sprintf("« %s » n'est pas un nombre entier positif", truncate(s, 80))
}

// checkPriorities checks a mapping of values to levels.
func (f *TypeField) checkPriorities(v any) string {
	m, ok := v.(map[string]any)
	if !ok {
		return "une liste « projet: niveau » est attendue"
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if _, ok := f.Canon(k); !ok {
			return fmt.Sprintf("« %s » n'est pas permis", truncate(k, 80))
		}
		s, ok := scalarText(m[k])
		if m[k] == nil {
			continue
		}
		if _, lok := f.CanonLevel(s); !ok || !lok {
			return fmt.Sprintf("le niveau « %s » de « %s » n'est pas permis", truncate(s, 80), truncate(k, 80))
		}
	}
	return ""
}

// scalarText is v as text when it is a scalar (a string, number or bool).
func scalarText(v any) (string, bool) {
	switch t := v.(type) {
	case string:
		return t, true
	case int64, float64, bool:
		return fmt.Sprint(t), true
	case nil:
		return "", true
	}
	return "", false
}

// FrontMatterLine returns the line (from 1) of text where the front matter
// sets the top-level key, or 0 when it cannot tell.
func FrontMatterLine(text, key string) int {
	lines := strings.Split(text, "\n")
	if len(lines) == 0 || strings.TrimRight(strings.TrimPrefix(lines[0], "\uFEFF"), " \t\r") != "---" {
		return 0
	}
	for i := 1; i < len(lines); i++ {
		l := strings.TrimRight(lines[i], " \t\r")
		if l == "---" || l == "..." {
			return 0
		}
		if k, _, ok := strings.Cut(l, ":"); ok && unquoteKey(k) == key {
			return i + 1
		}
	}
	return 0
}

// unquoteKey is a top-level key as the YAML decoder reads it, for the
// simple keys a front matter has.
func unquoteKey(k string) string {
	if k == "" || k[0] == ' ' || k[0] == '\t' {
		return "\x00" // indented: not top-level
	}
	k = strings.TrimSpace(k)
	if len(k) >= 2 && (k[0] == '"' || k[0] == '\'') && k[len(k)-1] == k[0] {
		return k[1 : len(k)-1]
	}
	return k
}
