package wiki

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// TypesPage is the page whose front matter defines the page types (key
// `types`, a list; see ParseTypes). Seeded with DefaultTypes' definitions;
// an admin adds a type, a field or a value by editing it. While it does not
// exist, DefaultTypes is the set.
var TypesPage = MustPath("club/types")

// typeCache keeps the types read from TypesPage, by the revision they were
// read from: a check costs one read of the page's head.
type typeCache struct {
	mu      sync.Mutex
	rev     int
	updated time.Time
	set     *PageTypes
	def     *PageTypes // DefaultTypes, made once
}

// defaults returns the default types, the same set every time.
func (c *typeCache) defaults() *PageTypes {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.def == nil {
		c.def = DefaultTypes()
	}
	return c.def
}

// PageTypes returns the page types in force: those TypesPage defines, or
// the defaults when it does not exist or cannot be read (a definition is
// checked when saved, so that happens only for a page saved before). The
// set is shared: callers must not change it.
func (s *Service) PageTypes(ctx context.Context) *PageTypes {
	h, err := s.store.Head(ctx, TypesPage)
	if err != nil || h.Deleted {
		return s.types.defaults()
	}
	c := &s.types
	c.mu.Lock()
	if c.set != nil && c.rev == h.Rev && c.updated.Equal(h.Updated) {
		defer c.mu.Unlock()
		return c.set
	}
	c.mu.Unlock()
	set := c.defaults()
	if _, text, err := s.store.Revision(ctx, TypesPage, h.Rev); err == nil {
		if out, err := s.renderPage(ctx, TypesPage, text); err == nil {
			if parsed, err := ParseTypes(out.Meta, text); err == nil {
				set = parsed
			}
		}
	}
	c.mu.Lock()
	c.rev, c.updated, c.set = h.Rev, h.Updated, set
	c.mu.Unlock()
	return set
}

// checkMeta refuses a text whose front matter breaks its page type's rules
// or, for TypesPage, whose definitions cannot be read.
func (s *Service) checkMeta(ctx context.Context, p Path, text string, meta map[string]any) error {
	if p == TypesPage {
		if _, err := ParseTypes(meta, text); err != nil {
			return err
		}
	}
	return s.PageTypes(ctx).Check(meta, text)
}

// ParseTypes reads the page types a front matter defines under `types`:
//
//	types:
//	  - nom: resolution
//	    libelle: Résolution
//	    plan: [Symptômes, Cause, Solution]
//	    champs:
//	      - {nom: statut, genre: choix, valeurs: [ouvert, résolu], alias: [status], defaut: ouvert}
//	      - {nom: projets, genre: choix-multiple, valeurs: [e-lyco, ent-mip]}
//	      - {nom: priorites, genre: priorites, valeurs: [e-lyco], niveaux: [haute, basse]}
//
// genre is one of the FieldKind values (texte when left out). A definition
// that cannot be read is an EInvalidMeta error in French.
func ParseTypes(meta map[string]any, text string) (*PageTypes, error) {
	list, ok := meta["types"].([]any)
	if !ok {
		return nil, typesError(text, "la clé « types » doit être une liste de types")
	}
	set := &PageTypes{}
	for i, item := range list {
		m, ok := item.(map[string]any)
		if !ok {
			return nil, typesError(text, fmt.Sprintf("le type n° %d doit être une liste « clé: valeur »", i+1))
		}
		t, problem := parseType(m)
		if problem == "" {
			if _, dup := set.Lookup(t.Name); dup {
				problem = "deux types portent le nom « " + t.Name + " »"
			}
		}
		if problem != "" {
			return nil, typesError(text, fmt.Sprintf("type n° %d : %s", i+1, problem))
		}
		set.List = append(set.List, t)
	}
	return set, nil
}

func typesError(text, problem string) *Error {
	line := FrontMatterLine(text, "types")
	e := Errorf(EInvalidMeta, "définition des types de pages (ligne %d) : %s", line, problem).Because(ReasonMetaInvalid, "types", line, "")
	e.Line, e.Field = line, "types"
	return e
}

func parseType(m map[string]any) (PageType, string) {
	t := PageType{Name: str(m["nom"]), Label: str(m["libelle"]), Outline: strs(m["plan"])}
	if FoldValue(t.Name) == "" {
		return t, "il faut un « nom »"
	}
	if t.Label == "" {
		t.Label = t.Name
	}
	fields, _ := m["champs"].([]any)
	if m["champs"] != nil && fields == nil {
		return t, "« champs » doit être une liste"
	}
	for j, fi := range fields {
		fm, ok := fi.(map[string]any)
		if !ok {
			return t, fmt.Sprintf("le champ n° %d doit être une liste « clé: valeur »", j+1)
		}
		f := TypeField{Name: str(fm["nom"]), Label: str(fm["libelle"]), Kind: FieldKind(str(fm["genre"])),
			Values: strs(fm["valeurs"]), Levels: strs(fm["niveaux"]), Aliases: strs(fm["alias"]), Default: str(fm["defaut"])}
		if f.Kind == "" {
			f.Kind = KindText
		}
		switch {
		case FoldValue(f.Name) == "" || f.Name == "type" || f.Name == "title":
			return t, fmt.Sprintf("le champ n° %d n'a pas de « nom » utilisable", j+1)
		case !fieldKinds[f.Kind]:
			return t, fmt.Sprintf("le champ « %s » a un genre inconnu « %s »", f.Name, f.Kind)
		case (f.Kind == KindChoice || f.Kind == KindChoices || f.Kind == KindPriorities) && len(f.Values) == 0:
			return t, fmt.Sprintf("le champ « %s » doit lister ses « valeurs »", f.Name)
		case f.Kind == KindPriorities && len(f.Levels) == 0:
			return t, fmt.Sprintf("le champ « %s » doit lister ses « niveaux »", f.Name)
		}
		if _, dup := t.Field(f.Name); dup {
			return t, fmt.Sprintf("deux champs portent le nom « %s »", f.Name)
		}
		if f.Label == "" {
			f.Label = f.Name
		}
		t.Fields = append(t.Fields, f)
	}
	return t, ""
}

// str is a scalar of a definition as text ("" for anything else).
func str(v any) string {
	s, _ := scalarText(v)
	return s
}

// strs is a list of scalars of a definition (a lone scalar is a list of one).
func strs(v any) []string {
	items, ok := v.([]any)
	if !ok {
		if s := str(v); s != "" {
			return []string{s}
		}
		return nil
	}
	var out []string
	for _, it := range items {
		if s := str(it); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// FrontMatter returns the front matter of text as page p would have it,
// {} when it has none or cannot be read: what the editor's form starts
// from. It renders through the render gate, as a preview does.
func (s *Service) FrontMatter(ctx context.Context, p Path, text string) map[string]any {
	out, err := s.renderPage(ctx, p, text)
	if err != nil || out.Meta == nil {
		return map[string]any{}
	}
	return out.Meta
}
