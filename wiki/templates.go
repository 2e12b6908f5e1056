package wiki

import (
	"context"
	"strings"
)

// ModelSlug is the page of a namespace whose text pre-fills every new page
// of that namespace (CONTRACT: "<ns>/modele").
const ModelSlug = "modele"

// NewPageText is the text the editor of a new page p starts with, titled
// title, of the page type typeName ("" or unknown: a free page). A typed
// page gets a front matter with its type and the fields that have a
// default value (dates: today), and its type's outline as level-2
// headings. The namespace's page <ns>/modele, when it exists and actor may
// read it, gives the outline instead (for a free page: its whole text,
// front matter included). The new page TypesPage starts with the
// definitions in force, to be extended.
func (s *Service) NewPageText(ctx context.Context, actor *User, p Path, title, typeName string) string {
	types := s.PageTypes(ctx)
	if p == TypesPage {
		return FormatTypes(types)
	}
	t, typed := types.Lookup(typeName)
	var b strings.Builder
	if typed {
		b.WriteString("---\ntype: " + YAMLScalar(t.Name) + "\n")
		today := s.cfg.Now().UTC().Format("2006-01-02")
		for i := range t.Fields {
			f := &t.Fields[i]
			def := f.Default
			if f.Kind == KindDate && def == "" {
				def = today
			}
			if line := f.FieldLine(f.Name, []string{def}, nil); def != "" && line != "" {
				b.WriteString(line + "\n")
			}
		}
		b.WriteString("---\n\n")
	}
	model, ok := s.modelText(ctx, actor, p)
	switch {
	case ok && typed:
		_, body := splitModel(model)
		b.WriteString("# " + title + "\n\n" + body)
	case ok:
		fm, body := splitModel(model)
		b.WriteString(fm + "# " + title + "\n\n" + body)
	default:
		b.WriteString("# " + title + "\n\n")
		if typed {
			for _, h := range t.Outline {
				b.WriteString("## " + h + "\n\n")
			}
		}
	}
	return b.String()
}

// modelText is the text of the namespace's model page for a new page p,
// when it exists and actor may read it (p itself is no model of itself).
func (s *Service) modelText(ctx context.Context, actor *User, p Path) (string, bool) {
	mp, err := ParsePath(p.Namespace() + "/" + ModelSlug)
	if err != nil || mp == p || s.authorize(ctx, actor, ActRead, mp.Namespace()) != nil {
		return "", false
	}
	h, err := s.store.Head(ctx, mp)
	if err != nil || h.Deleted {
		return "", false
	}
	_, text, err := s.store.Revision(ctx, mp, h.Rev)
	return text, err == nil
}

// splitModel cuts a model's text into its front matter block (with its
// lines "---", "" when none) and its body without a leading level-1
// heading (the model's own title, the new page's title replaces it).
func splitModel(text string) (fm, body string) {
	lines := strings.SplitAfter(text, "\n")
	if len(lines) > 0 && strings.TrimRight(lines[0], " \t\r\n") == "---" {
		if end := fmEnd(lines); end > 0 {
			fm = strings.Join(lines[:end+1], "")
			lines = lines[end+1:]
		}
	}
	for len(lines) > 0 && strings.TrimSpace(lines[0]) == "" {
		lines = lines[1:]
	}
	if len(lines) > 0 && strings.HasPrefix(lines[0], "# ") {
		lines = lines[1:]
	}
	for len(lines) > 0 && strings.TrimSpace(lines[0]) == "" {
		lines = lines[1:]
	}
	return fm, strings.Join(lines, "")
}

// FormatTypes writes set as the front matter of TypesPage, which
// ParseTypes reads back.
func FormatTypes(set *PageTypes) string {
	var b strings.Builder
	b.WriteString("---\ntitle: Types de pages\ntypes:\n")
	list := func(vals []string) string {
		q := make([]string, len(vals))
		for i, v := range vals {
			q[i] = YAMLScalar(v)
		}
		return "[" + strings.Join(q, ", ") + "]"
	}
	for _, t := range set.List {
		b.WriteString("  - nom: " + YAMLScalar(t.Name) + "\n    libelle: " + YAMLScalar(t.Label) + "\n")
		b.WriteString("    plan: " + list(t.Outline) + "\n    champs:\n")
		for _, f := range t.Fields {
			b.WriteString("      - {nom: " + YAMLScalar(f.Name) + ", libelle: " + YAMLScalar(f.Label) + ", genre: " + string(f.Kind))
			for _, kv := range []struct {
				key  string
				vals []string
			}{{"valeurs", f.Values}, {"niveaux", f.Levels}, {"alias", f.Aliases}} {
				if len(kv.vals) > 0 {
					b.WriteString(", " + kv.key + ": " + list(kv.vals))
				}
			}
			if f.Default != "" {
				b.WriteString(", defaut: " + YAMLScalar(f.Default))
			}
			b.WriteString("}\n")
		}
	}
	b.WriteString("---\n\n# Types de pages\n\n" + typesHelp)
	return b.String()
}

// typesHelp explains TypesPage to the admin who edits it.
const typesHelp = `Cette page définit les types de pages du club : chaque type a un nom
(la valeur de ` + "`type:`" + ` dans l'en-tête d'une page), un libellé, un plan (les
titres dont une nouvelle page part) et des champs. Le genre d'un champ est
` + "`texte`, `choix`, `choix-multiple`, `liste`, `date`, `nombre` ou `priorites`" + ` ;
` + "`valeurs`" + ` liste les valeurs permises (accents et majuscules libres),
` + "`niveaux`" + ` les niveaux d'un champ de priorités, ` + "`alias`" + ` d'autres noms
lus comme celui du champ, ` + "`defaut`" + ` la valeur d'une nouvelle page.
Une définition illisible est refusée à l'enregistrement.
`
