package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/kdecole-club/clubwiki/wiki"
)

// The editor shows the fields of the page's type as a form above the
// Markdown, rendered here from the type definitions (one fieldset per type,
// the page's own shown, the others hidden and disabled for metaform.js to
// switch to). The script keeps the form and the front matter in step in
// the browser and says so (metaform-js=1); without it, the server applies
// the fields the member changed (applyMetaForm), each as the one line
// metaform.js would write, so that the text saved is the same.

// metaFormView is the form of the editor's page type.
type metaFormView struct {
	L     *catalog
	Type  string // the page's type as known ("" for a free page)
	Types []metaTypeView
}

// metaTypeView is one type's fieldset.
type metaTypeView struct {
	Name, Label string
	Current     bool
	Fields      []metaFieldView
}

// metaFieldView is one field with its value in the text.
type metaFieldView struct {
	Name, Label, Kind string
	Key               string // the key the text writes it under (an alias, maybe)
	Keys              string // its name and aliases, space-separated, for metaform.js
	Value             string // choice, text, date, number; list: comma-separated
	Options           []metaOption
	Levels            []string
	Orig              string // the line it had when the form was made
}

// metaOption is a value offered (choice, choices) or a key with a level
// (priorities).
type metaOption struct {
	Value    string
	Selected bool
	Level    string
}

// metaForm makes the editor's form for text, whose front matter is meta.
func metaForm(types *wiki.PageTypes, meta map[string]any, text string) *metaFormView {
	v := &metaFormView{}
	cur, typed := types.Of(meta)
	if typed {
		v.Type = cur.Name
	}
	for i := range types.List {
		t := &types.List[i]
		tv := metaTypeView{Name: t.Name, Label: t.Label, Current: typed && t == cur}
		for j := range t.Fields {
			f := &t.Fields[j]
			fv := metaFieldView{Name: f.Name, Label: f.Label, Kind: string(f.Kind), Key: f.Name, Levels: f.Levels, Keys: strings.Join(f.FieldKeys(), " ")}
			if tv.Current {
				fv.Key = f.KeyIn(text)
			}
			vals, levels := fieldValues(f, meta, tv.Current)
			fillField(&fv, f, vals, levels)
			if tv.Current {
				fv.Orig = f.FieldLine(fv.Key, vals, levels)
			}
			tv.Fields = append(tv.Fields, fv)
		}
		v.Types = append(v.Types, tv)
	}
	return v
}

// fieldValues reads f's value in meta, allowed values spelt as defined.
func fieldValues(f *wiki.TypeField, meta map[string]any, current bool) ([]string, map[string]string) {
	if !current {
		return nil, nil
	}
	raw, _, _ := f.Value(meta)
	if f.Kind == wiki.KindPriorities {
		m, _ := raw.(map[string]any)
		levels := map[string]string{}
		for k, l := range m {
			key, ok := f.Canon(k)
			s, _ := l.(string)
			lv, lok := f.CanonLevel(s)
			if ok && lok {
				levels[key] = lv
			}
		}
		return nil, levels
	}
	var vals []string
	items, ok := raw.([]any)
	if !ok {
		items = []any{raw}
	}
	for _, it := range items {
		s := scalarString(it)
		if c, ok := f.Canon(s); ok {
			s = c
		}
		if s != "" {
			vals = append(vals, s)
		}
	}
	return vals, nil
}

func fillField(fv *metaFieldView, f *wiki.TypeField, vals []string, levels map[string]string) {
	switch f.Kind {
	case wiki.KindChoice, wiki.KindChoices:
		for _, a := range f.Values {
			fv.Options = append(fv.Options, metaOption{Value: a, Selected: contains(vals, a)})
		}
		if len(vals) > 0 {
			fv.Value = vals[0]
		}
	case wiki.KindPriorities:
		for _, a := range f.Values {
			fv.Options = append(fv.Options, metaOption{Value: a, Level: levels[a]})
		}
	case wiki.KindList:
		fv.Value = strings.Join(vals, ", ")
	default:
		if len(vals) > 0 {
			fv.Value = vals[0]
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// scalarString is a front matter scalar as text ("" for anything else).
func scalarString(v any) string {
	switch t := v.(type) {
	case string:
		return strings.TrimSpace(t)
	case int64, float64, bool:
		return fmt.Sprint(t)
	}
	return ""
}

// applyMetaForm writes into text the fields of the form sent without
// metaform.js that differ from what the form showed: the member's change,
// and nothing else, so that YAML typed in the same edit is not undone.
func applyMetaForm(text string, types *wiki.PageTypes, form url.Values) string {
	if _, shown := form["meta-orig-type"]; !shown || form.Get("metaform-js") != "" {
		return text
	}
	orig := form.Get("meta-orig-type")
	if nt := form.Get("meta-type"); nt != orig {
		line := ""
		if nt != "" {
			line = "type: " + wiki.YAMLScalar(nt)
		}
		text = wiki.SetFrontMatterLine(text, []string{"type"}, line)
	}
	t, ok := types.Lookup(orig)
	if !ok {
		return text
	}
	for i := range t.Fields {
		f := &t.Fields[i]
		key := form.Get("meta-key." + f.Name)
		if key == "" {
			key = f.Name
		}
		vals, levels := postedValues(f, form)
		if line := f.FieldLine(key, vals, levels); line != form.Get("meta-orig."+f.Name) {
			text = wiki.SetFrontMatterLine(text, f.FieldKeys(), line)
		}
	}
	return text
}

// postedValues reads a field of the form.
func postedValues(f *wiki.TypeField, form url.Values) ([]string, map[string]string) {
	name := "meta." + f.Name
	switch f.Kind {
	case wiki.KindChoices:
		return form[name], nil
	case wiki.KindList:
		return strings.Split(form.Get(name), ","), nil
	case wiki.KindPriorities:
		levels := map[string]string{}
		for _, k := range f.Values {
			levels[k] = form.Get(name + "." + k)
		}
		return nil, levels
	}
	return []string{form.Get(name)}, nil
}

// typeBadges are a typed page's type, status and projects: the banner of
// the page, the badges of its search hits and list entries.
type typeBadges struct {
	Type, TypeLabel string
	Status          string // as the type spells it
	StatusKey       string // folded, for the badge's colour
	Projects        []string
}

// badgesOf returns the badges of a page whose front matter is meta; nil
// for a free page.
func badgesOf(types *wiki.PageTypes, meta map[string]any) *typeBadges {
	t, ok := types.Of(meta)
	if !ok {
		return nil
	}
	b := &typeBadges{Type: t.Name, TypeLabel: t.Label}
	if f, ok := t.Field("statut"); ok {
		if vals, _ := fieldValues(f, meta, true); len(vals) > 0 {
			b.Status, b.StatusKey = vals[0], wiki.FoldValue(vals[0])
		}
	}
	if f, ok := t.Field("projets"); ok {
		b.Projects, _ = fieldValues(f, meta, true)
	}
	return b
}

// metaFormOf is the editor's form for text, whose front matter is meta.
func (s *ui) metaFormOf(r *http.Request, c *uiCtx, meta map[string]any, text string) *metaFormView {
	v := metaForm(s.svc.PageTypes(r.Context()), meta, text)
	v.L = c.L
	return v
}

// badgesByPath are the badges of the typed pages among metas.
func badgesByPath(types *wiki.PageTypes, metas map[wiki.Path]map[string]any) map[string]*typeBadges {
	out := map[string]*typeBadges{}
	for p, m := range metas {
		if b := badgesOf(types, m); b != nil {
			out[p.String()] = b
		}
	}
	return out
}
