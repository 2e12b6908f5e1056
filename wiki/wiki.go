// Package wiki is the domain of clubwiki: pages, revisions, namespaces, users
// and the change log, and the use cases that act on them (save with conflict
// detection, history, diff, revert, delete, recent changes, authentication).
//
// It imports no package that talks to a technology. The storage, the
// Markdown renderer and the search index are interfaces defined here and
// implemented by the store, render and search packages; cmd/clubwiki wires
// them together.
package wiki

import "time"

// Role is what a user may do.
type Role string

// The roles, from least to most powerful.
const (
	RoleReader Role = "reader"
	RoleEditor Role = "editor"
	RoleAdmin  Role = "admin"
)

// Valid reports whether r is one of the known roles.
func (r Role) Valid() bool { return r == RoleReader || r == RoleEditor || r == RoleAdmin }

// CanEdit reports whether the role may change pages.
func (r Role) CanEdit() bool { return r == RoleEditor || r == RoleAdmin }

// User is a member of the wiki.
type User struct {
	Login        string
	Name         string
	Email        string
	Role         Role
	PasswordHash []byte `json:"-"`
	Created      time.Time
	// Groups names the groups the member belongs to (rules.go), sorted.
	Groups []string
	// Project is the ENT project or academy the member comes from: a
	// group's name (DefaultGroups) or free text; Bio is their short
	// presentation, plain text (profiles.go).
	Project string
	Bio     string
	// Disabled members can neither sign in nor use their sessions, tokens
	// or feed key; they keep their history.
	Disabled bool
}

// Token is an API token. Only the SHA-256 of its secret is stored.
type Token struct {
	ID      string    // public identifier, for listing and revoking
	Login   string    // owner
	Label   string    // what the owner called it
	Hash    []byte    // SHA-256 of the secret
	Created time.Time // when it was made
}

// Namespace groups pages; the default ones are the club's seven work axes plus
// the club itself.
type Namespace struct {
	Key         string
	Title       string
	Description string
}

// ChangeKind says what a change did: to a page, or to another noun of
// the wiki (a namespace, a user, a permission rule).
type ChangeKind string

// The kinds of change to a page.
const (
	KindCreate ChangeKind = "create"
	KindEdit   ChangeKind = "edit"
	KindDelete ChangeKind = "delete"
	KindRevert ChangeKind = "revert"
	KindMove   ChangeKind = "move"
)

// The kinds of change to the other nouns. Their Change has no Path: its
// Subject names what changed.
const (
	KindNamespaceCreate ChangeKind = "namespace-create" // Subject: the key
	KindNamespaceUpdate ChangeKind = "namespace-update" // Subject: the key
	KindUserCreate      ChangeKind = "user-create"      // Subject: the login
	// KindUserUpdate's Summary lists what changed, comma-separated:
	// "name", "email", "role", "password", "groups", "disabled".
	KindUserUpdate ChangeKind = "user-update" // Subject: the login
	// KindPermission is a change of the rules of who may do what;
	// Subject names it: "rules:KEY" (a namespace's rules), "group:NAME".
	KindPermission ChangeKind = "permission"
)

// IsPage reports whether the kind is a change to a page: what recent
// changes, feeds and the search index show. Entries written before the
// other kinds existed are all page changes.
func (k ChangeKind) IsPage() bool {
	switch k {
	case KindCreate, KindEdit, KindDelete, KindRevert, KindMove:
		return true
	}
	return false
}

// Head is what the store keeps about the newest revision of a page.
type Head struct {
	Path    Path
	Title   string
	Rev     int
	Updated time.Time
	Author  string
	Deleted bool // the newest revision is a deletion
	Size    int  // bytes of Markdown at head
}

// Revision describes one revision of a page. Revisions are numbered 1, 2, 3 …
// per page and never rewritten.
type Revision struct {
	Rev     int
	Kind    ChangeKind
	Author  string
	Time    time.Time
	Summary string
	Minor   bool
	Size    int      // bytes of Markdown
	SHA256  [32]byte // of the Markdown
	Deleted bool     // a deletion revision: the page is gone from here on
	Title   string
	// ReviewedBy is the login of the member who marked the revision
	// reviewed, "" when nobody did. History fills it; the store's own
	// History and Revision leave it empty.
	ReviewedBy string
}

// Change is one entry of the change log. Seq is global and strictly
// increasing; everything derived (search index, caches, feeds) follows it.
type Change struct {
	Seq     uint64
	Path    Path
	Rev     int
	Kind    ChangeKind
	Author  string
	Time    time.Time
	Summary string
	Title   string // the page's title at this revision
	Minor   bool
	// Subject names what a change to another noun than a page is about
	// (a namespace key, a login); "" for a page change.
	Subject string
	// From is the page's former path when Kind is KindMove: Path is where
	// it went. Followers drop From and take Path.
	From Path
	// Sized says Size and SizeBefore are known: they are filled only when
	// a ChangeQuery asks for them (Sizes), from the revisions' records.
	Sized bool
	// Size is the text's size in bytes at Rev, SizeBefore at Rev-1 (0 for
	// a creation): the change's size is their difference.
	Size, SizeBefore int
}

// IsImport reports whether the change was written by clubwiki import,
// which gives its revisions the summary ImportSummary.
func (c Change) IsImport() bool { return c.Summary == ImportSummary }
