package wiki

import (
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"
)

// Group is a set of members that namespace rules can name: an ENT
// project, an academy, the admins. Members list their groups (User.Groups).
type Group struct {
	Name  string // the key rules and members name it by
	Title string // what people read
}

// Everyone is the entry of a rule that lets every member in.
const Everyone = "*"

// Rule is who may do something in a namespace: []string{Everyone}, or the
// names of the groups whose members may. An empty rule lets no member in
// but admins, who are never shut out.
type Rule []string

// Rules are the rules of one namespace. A namespace without rules of its
// own (every namespace of a wiki made before rules existed) is open to
// every member for both.
type Rules struct {
	Read Rule // who reads its pages (and so knows they exist)
	Edit Rule // who changes them, among those who read them and whose role edits
}

// OpenRules are the rules of a namespace nobody narrowed.
func OpenRules() Rules { return Rules{Read: Rule{Everyone}, Edit: Rule{Everyone}} }

// IsAll reports whether the rule lets every member in.
func (r Rule) IsAll() bool { return slices.Contains(r, Everyone) }

// admits reports whether u, by one of their groups, is let in by r. Roles
// are not looked at here: the policy does.
func (r Rule) admits(u *User) bool {
	if r.IsAll() {
		return true
	}
	for _, g := range u.Groups {
		if slices.Contains(r, g) {
			return true
		}
	}
	return false
}

// String writes the rule as the CLI reads it: "all" or "g1,g2".
func (r Rule) String() string {
	if r.IsAll() {
		return "all"
	}
	return strings.Join(r, ",")
}

// ParseRule reads a rule as the CLI writes it: "all" (or "*"), or group
// names separated by commas. It does not check that the groups exist.
func ParseRule(s string) Rule {
	s = strings.TrimSpace(s)
	if s == "all" || s == Everyone {
		return Rule{Everyone}
	}
	return Rule(splitNames(s))
}

// splitNames splits "a, b,,c" into its names, trimmed and lower-cased.
func splitNames(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.ToLower(strings.TrimSpace(f)); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// ParseGroups reads a comma-separated list of group names ("" is none).
func ParseGroups(s string) []string { return splitNames(s) }

var groupRE = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,62}$`)

// checkGroup refuses a group name rules could not name plainly.
func checkGroup(g Group) error {
	if !groupRE.MatchString(g.Name) {
		return Errorf(EInvalid, "invalid group name %q: use 1 to 63 characters among a-z, 0-9, '.', '_' and '-'", g.Name)
	}
	if !utf8.ValidString(g.Title) || len(g.Title) > 200 || strings.ContainsAny(g.Title, "\n\r") {
		return Errorf(EInvalid, "invalid group title")
	}
	return nil
}

// AdminsGroup is the seeded group of the wiki's administrators, for rules
// that keep something to them (an admin's role lets them in anyway).
const AdminsGroup = "admins"

// DefaultGroups are the club's groups: one per ENT project, one per
// academy, and the admins. Init creates those missing.
func DefaultGroups() []Group {
	return []Group{
		{"cyber-colleges-42", "Cyber collèges 42 (Loire)"},
		{"ecollege-31", "eCollège 31 (Haute-Garonne)"},
		{"ent-mip", "ENT-MIP (Midi-Pyrénées)"},
		{"e-lyco", "e-lyco (académie de Nantes)"},
		{"academie-toulouse", "Académie de Toulouse"},
		{"academie-lyon", "Académie de Lyon"},
		{"academie-nantes", "Académie de Nantes"},
		{AdminsGroup, "Administrateurs du wiki"},
	}
}

// DefaultRules are the rules the club recommends: the contracts and the
// relations with providers (marches) are for the ENT projects and the
// academies, not for everyone (the vendor's people, guests). Given as
// Config.Rules, Init sets a namespace's rules only when it creates the
// namespace, so that an existing wiki keeps its own. serve does not pass
// them: a new wiki opens every namespace until an admin narrows one
// (README, "Groups and rules").
func DefaultRules() map[string]Rules {
	club := Rule{"cyber-colleges-42", "ecollege-31", "ent-mip", "e-lyco", "academie-toulouse", "academie-lyon", "academie-nantes"}
	return map[string]Rules{"marches": {Read: club, Edit: club}}
}

// normalize sorts a rule's groups and removes duplicates; a rule holding
// Everyone is Everyone alone.
func (r Rule) normalize() Rule {
	if r.IsAll() {
		return Rule{Everyone}
	}
	out := slices.Clone(r)
	for i := range out {
		out[i] = strings.ToLower(strings.TrimSpace(out[i]))
	}
	slices.Sort(out)
	return slices.Compact(out)
}
