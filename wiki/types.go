package wiki

import "strings"

// Page types: a page whose front matter names a known `type` has fields
// whose values the wiki checks on save, that the editor shows as a form and
// the page as a banner. The set of types is data: DefaultTypes seeds it and
// the page TypesPage (club/types), when it exists, defines it (see
// typedefs.go), so that the club's admins extend it by editing a page,
// with its history, like the synonyms.

// FieldKind says what a field of a page type holds, hence how it is checked
// and how the editor's form shows it. The values are those the definition
// page uses (key "genre").
type FieldKind string

// The kinds of fields.
const (
	KindText       FieldKind = "texte"          // free text on one line
	KindChoice     FieldKind = "choix"          // one of Values
	KindChoices    FieldKind = "choix-multiple" // a list of Values
	KindList       FieldKind = "liste"          // a free list of words
	KindDate       FieldKind = "date"           // YYYY-MM-DD
	KindNumber     FieldKind = "nombre"         // a whole number, 0 or more
	KindPriorities FieldKind = "priorites"      // each of Values → one of Levels
)

// fieldKinds are the kinds a definition may name.
var fieldKinds = map[FieldKind]bool{
	KindText: true, KindChoice: true, KindChoices: true, KindList: true,
	KindDate: true, KindNumber: true, KindPriorities: true,
}

// TypeField is one field of a page type.
type TypeField struct {
	Name    string    // the front matter key, French (statut, projets)
	Label   string    // what the form shows
	Kind    FieldKind // how it is checked and shown
	Values  []string  // the allowed values (choice, choices) or the keys (priorities)
	Levels  []string  // the allowed levels of a priorities field, highest first
	Aliases []string  // other keys read as this one (status for statut)
	Default string    // the value a new page of the type starts with
}

// PageType is a kind of page the club writes again and again.
type PageType struct {
	Name    string // the value of `type` (resolution)
	Label   string // what /new and the banner show (Résolution)
	Fields  []TypeField
	Outline []string // the level-2 headings a new page starts with
}

// PageTypes is a set of page types, in the order they are offered.
type PageTypes struct {
	List []PageType
}

// Projects are the club's four ENT projects, the values of every `projets`
// field of the seeded types.
var Projects = []string{"cyber-colleges-42", "ecollege-31", "ent-mip", "e-lyco"}

// DefaultTypes returns the seeded page types: what the wiki knows when the
// page club/types does not exist or cannot be read.
func DefaultTypes() *PageTypes {
	projets := TypeField{Name: "projets", Label: "Projets", Kind: KindChoices, Values: Projects, Aliases: []string{"projects", "projet", "project"}}
	statut := func(def string, values ...string) TypeField {
		return TypeField{Name: "statut", Label: "Statut", Kind: KindChoice, Values: values, Aliases: []string{"status"}, Default: def}
	}
	date := TypeField{Name: "date", Label: "Date", Kind: KindDate}
	return &PageTypes{List: []PageType{
		{Name: "resolution", Label: "Résolution", Fields: []TypeField{
			statut("ouvert", "ouvert", "contourné", "résolu"), projets,
			{Name: "version", Label: "Version de k-d'école", Kind: KindText},
			{Name: "services", Label: "Services concernés", Kind: KindList},
			date,
		}, Outline: []string{"Symptômes", "Contexte", "Projets concernés", "Version de k-d'école", "Cause", "Solution"}},
		{Name: "bonne-pratique", Label: "Bonne pratique", Fields: []TypeField{
			statut("brouillon", "brouillon", "validée"), projets,
		}, Outline: []string{"Contexte", "Démarche", "Ce qui a marché", "Pour aller plus loin"}},
		{Name: "compte-rendu", Label: "Compte rendu", Fields: []TypeField{
			date, {Name: "participants", Label: "Participants", Kind: KindList},
		}, Outline: []string{"Date", "Participants", "Ordre du jour", "Décisions", "Actions"}},
		{Name: "attente", Label: "Demande à l'éditeur", Fields: []TypeField{
			statut("proposée", "proposée", "transmise", "acceptée", "refusée", "livrée"), projets,
			{Name: "priorites", Label: "Priorité par projet", Kind: KindPriorities, Values: Projects, Levels: []string{"haute", "moyenne", "basse"}, Aliases: []string{"priorities"}},
		}, Outline: []string{"Besoin", "Projets qui la soutiennent", "Solution attendue"}},
		{Name: "fiche-projet", Label: "Fiche projet", Fields: []TypeField{
			{Name: "version", Label: "Version de k-d'école", Kind: KindText},
			{Name: "etablissements", Label: "Nombre d'établissements", Kind: KindNumber},
			{Name: "editeur", Label: "Éditeur", Kind: KindText},
			{Name: "integrateur", Label: "Intégrateur", Kind: KindText},
			{Name: "hebergeur", Label: "Hébergeur", Kind: KindText},
			{Name: "specificites", Label: "Spécificités du cahier des charges", Kind: KindText},
		}, Outline: []string{"Présentation", "Spécificités du cahier des charges", "Contacts"}},
	}}
}

// FoldValue is the form values are compared in: accents and case do not
// count, nor punctuation (« Résolu » is « resolu »).
func FoldValue(s string) string {
	if folded(s) {
		return s // most values are written folded already: no Unicode work
	}
	return Canonical(strings.TrimSpace(s))
}

// folded reports whether s is its own FoldValue: words of a-z and 0-9
// joined by single dashes.
func folded(s string) bool {
	if s == "" || s[0] == '-' || s[len(s)-1] == '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		case c == '-' && s[i-1] != '-':
		default:
			return false
		}
	}
	return true
}

// Lookup returns the type named name (accents and case free), if any.
func (ts *PageTypes) Lookup(name string) (*PageType, bool) {
	key := FoldValue(name)
	if ts == nil || key == "" {
		return nil, false
	}
	for i := range ts.List {
		if FoldValue(ts.List[i].Name) == key {
			return &ts.List[i], true
		}
	}
	return nil, false
}

// Of returns the type of a page's front matter, if it names a known one.
func (ts *PageTypes) Of(meta map[string]any) (*PageType, bool) {
	name, ok := meta["type"].(string)
	if !ok {
		return nil, false
	}
	return ts.Lookup(name)
}

// Field returns the field a front matter key is, by its name or an alias.
func (t *PageType) Field(key string) (*TypeField, bool) {
	key = FoldValue(key)
	for i := range t.Fields {
		f := &t.Fields[i]
		if FoldValue(f.Name) == key {
			return f, true
		}
		for _, a := range f.Aliases {
			if FoldValue(a) == key {
				return f, true
			}
		}
	}
	return nil, false
}

// Canon returns the allowed value v stands for (as the definition spells
// it) and whether there is one.
func (f *TypeField) Canon(v string) (string, bool) { return canonAmong(f.Values, v) }

// CanonLevel is Canon for the levels of a priorities field.
func (f *TypeField) CanonLevel(v string) (string, bool) { return canonAmong(f.Levels, v) }

func canonAmong(values []string, v string) (string, bool) {
	key := FoldValue(v)
	for _, a := range values {
		if FoldValue(a) == key {
			return a, true
		}
	}
	return "", false
}

// Value returns the value of f in meta, under its name or an alias, and the
// key it was found under.
func (f *TypeField) Value(meta map[string]any) (any, string, bool) {
	for _, k := range append([]string{f.Name}, f.Aliases...) {
		if v, ok := meta[k]; ok {
			return v, k, true
		}
	}
	return nil, "", false
}
