package wiki

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The editor's form writes each field of a page type as one line of the
// front matter, in flow style (`projets: [e-lyco, ent-mip]`), replacing the
// lines that set it and leaving every other line as the author typed it.
// assets/static/metaform.js writes the very same lines in the browser; the
// server writes them when the form is sent without the script.

// yamlReserved are the plain words YAML reads as something else than text.
var yamlReserved = map[string]bool{
	"true": true, "false": true, "yes": true, "no": true, "on": true, "off": true,
	"y": true, "n": true, "null": true, "~": true,
}

var (
	yamlDate   = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
	yamlNumber = regexp.MustCompile(`^\d{1,15}$`)
)

// YAMLScalar writes s as a YAML scalar that reads back as the text s: plain
// when it starts with a letter and holds nothing YAML reads apart,
// double-quoted (JSON's escapes) otherwise. Dates and whole numbers stay
// plain, as an author types them.
func YAMLScalar(s string) string {
	if yamlDate.MatchString(s) || yamlNumber.MatchString(s) || plainSafe(s) {
		return s
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // a string always encodes
	return strings.TrimSuffix(b.String(), "\n")
}

func plainSafe(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	if s == "" || !unicode.IsLetter(r) || strings.TrimSpace(s) != s || yamlReserved[strings.ToLower(s)] {
		return false
	}
	for _, c := range s {
		if !unicode.IsLetter(c) && !unicode.IsDigit(c) && !unicode.IsMark(c) && !strings.ContainsRune(" -_.'/()+", c) {
			return false
		}
	}
	return true
}

// FieldLine is the line that sets key, a field of kind f, to vals (for a
// priorities field, levels by value, in f.Values' order); "" when empty,
// which removes the field.
func (f *TypeField) FieldLine(key string, vals []string, levels map[string]string) string {
	switch f.Kind {
	case KindChoices, KindList:
		var items []string
		if f.Kind == KindChoices {
			vals = f.inValuesOrder(vals)
		}
		for _, v := range vals {
			if v = strings.TrimSpace(v); v != "" {
				items = append(items, YAMLScalar(v))
			}
		}
		if len(items) == 0 {
			return ""
		}
		return key + ": [" + strings.Join(items, ", ") + "]"
	case KindPriorities:
		var items []string
		for _, k := range f.Values {
			if l := strings.TrimSpace(levels[k]); l != "" {
				items = append(items, YAMLScalar(k)+": "+YAMLScalar(l))
			}
		}
		if len(items) == 0 {
			return ""
		}
		return key + ": {" + strings.Join(items, ", ") + "}"
	}
	v := ""
	if len(vals) > 0 {
		v = strings.TrimSpace(vals[0])
	}
	if v == "" {
		return ""
	}
	return key + ": " + YAMLScalar(v)
}

// SetFrontMatterLine returns text with the top-level key (or the first of
// keys the text has) set by line: the lines setting it are replaced, or
// line is added at the end of the front matter, which is created when
// there is none. An empty line removes the key.
func SetFrontMatterLine(text string, keys []string, line string) string {
	lines := strings.SplitAfter(text, "\n")
	if len(lines) == 0 || strings.TrimRight(lines[0], " \t\r\n") != "---" || fmEnd(lines) < 0 {
		if line == "" {
			return text
		}
		return "---\n" + line + "\n---\n" + text
	}
	end := fmEnd(lines)
	for i := 1; i < end; i++ {
		k, _, ok := strings.Cut(strings.TrimRight(lines[i], "\r\n"), ":")
		if !ok || !containsKey(keys, unquoteKey(k)) {
			continue
		}
		j := i + 1
		for j < end && isContinuation(lines[j]) {
			j++
		}
		repl := []string{}
		if line != "" {
			repl = append(repl, line+"\n")
		}
		return strings.Join(append(append(append([]string{}, lines[:i]...), repl...), lines[j:]...), "")
	}
	if line == "" {
		return text
	}
	return strings.Join(append(append(append([]string{}, lines[:end]...), line+"\n"), lines[end:]...), "")
}

// fmEnd is the index of the front matter's closing line, -1 without one.
func fmEnd(lines []string) int {
	for i := 1; i < len(lines); i++ {
		if l := strings.TrimRight(lines[i], " \t\r\n"); l == "---" || l == "..." {
			return i
		}
	}
	return -1
}

// isContinuation reports whether a front matter line goes on with the key
// above it: indented, or a list item.
func isContinuation(l string) bool {
	t := strings.TrimRight(l, "\r\n")
	return t != "" && (t[0] == ' ' || t[0] == '\t' || strings.HasPrefix(t, "- ") || t == "-")
}

func containsKey(keys []string, k string) bool {
	for _, c := range keys {
		if c == k {
			return true
		}
	}
	return false
}

// FieldKeys are the keys a field may be written under, its name first.
func (f *TypeField) FieldKeys() []string { return append([]string{f.Name}, f.Aliases...) }

// KeyIn returns the key f is written under in text, f.Name when absent.
func (f *TypeField) KeyIn(text string) string {
	for _, k := range f.FieldKeys() {
		if FrontMatterLine(text, k) > 0 {
			return k
		}
	}
	return f.Name
}

// inValuesOrder orders vals as f.Values does (the form's order), the values
// f does not know last, as given.
func (f *TypeField) inValuesOrder(vals []string) []string {
	var out, rest []string
	for _, a := range f.Values {
		for _, v := range vals {
			if FoldValue(v) == FoldValue(a) {
				out = append(out, v)
				break
			}
		}
	}
	for _, v := range vals {
		if _, ok := f.Canon(v); !ok {
			rest = append(rest, v)
		}
	}
	return append(out, rest...)
}
