package wiki

import (
	"context"
	"io"
	"time"
)

// Store is the single source of truth: every noun of the wiki, as one
// value. Every method is one transaction. Methods return an *Error with
// ENotFound when the thing asked for does not exist; they never return a
// zero value with a nil error for "not found".
//
// Callers that need one noun take the small interface (a use case that only
// reads pages takes a PageStore), so that a store on another engine can be
// built and tested one noun at a time; the shared suite in wiki/storetest
// holds every implementation to the same behaviour.
type Store interface {
	PageStore
	ChangeLog
	NamespaceStore
	UserStore
	SessionStore
	VisitStore
	WatchStore
	FeedKeyStore
	Backupper
	ReviewStore
	PrefStore
	DraftStore
	GroupStore
	NotifyStore
	PageMover
	TitleIndex
	SSOLinkStore
	FileStore
	TicketStore
	AuditLog
}

// PageStore holds pages and their revisions, and writes them.
type PageStore interface {
	// Head returns the head of the page, including deleted pages.
	Head(ctx context.Context, p Path) (Head, error)
	// Revision returns revision rev of the page and its Markdown.
	Revision(ctx context.Context, p Path, rev int) (Revision, string, error)
	// History returns up to limit revisions, newest first, with Rev < before
	// (before <= 0 means from the head).
	History(ctx context.Context, p Path, limit, before int) ([]Revision, error)
	// Pages returns live (not deleted) page heads ordered by path, in
	// namespace ns ("" for all) and within the namespaces of within (nil:
	// no filter), and the total count.
	Pages(ctx context.Context, ns string, within NamespaceSet, limit, offset int) ([]Head, int, error)
	// PageCounts returns the number of live pages per namespace key.
	PageCounts(ctx context.Context) (map[string]int, error)
	// Existing returns which of paths are live pages.
	Existing(ctx context.Context, paths []Path) (map[Path]bool, error)
	// Backlinks returns the live pages whose head links to p, by path,
	// from the namespaces of within (nil: no filter).
	Backlinks(ctx context.Context, p Path, within NamespaceSet) ([]Head, error)
	// Commit writes the commits in one transaction, all or nothing, and
	// returns after it is durable, with one change per commit in order.
	// Each commit writes a new revision, the page head, the link table and
	// one change-log entry. It fails with ErrStaleHead when a page's head
	// revision is not its commit's ExpectRev (0: the page must not exist),
	// and then writes nothing. No commit writes nothing and returns no
	// change.
	Commit(ctx context.Context, cs ...Commit) ([]Change, error)
}

// PageMover moves pages to another path with their whole history, and
// remembers where moved pages went.
type PageMover interface {
	// Move writes m in one transaction, all or nothing, and returns after
	// it is durable: for each page moved, its revisions, reviewed marks,
	// watchers and visits go to the new path, the page gets a move
	// revision there (one change of kind KindMove with From set), and the
	// old path redirects to the new one (redirects that led to the old
	// path lead to the new one); then m.Rewrites are committed as Commit
	// does. It fails with ErrStaleHead when a page's head is not its
	// ExpectRev or no longer live, and with EExists when a page, live or
	// deleted, is at a destination; then it writes nothing. The changes
	// come back moves first, then rewrites, in order.
	Move(ctx context.Context, m Move) ([]Change, error)
	// Redirects returns, for those of paths that a move left behind and
	// where no page is now, the path the page lives at.
	Redirects(ctx context.Context, paths []Path) (map[Path]Path, error)
	// SubPages returns the live pages under p (paths starting with p
	// and "/"), by path, at most limit.
	SubPages(ctx context.Context, p Path, limit int) ([]Head, error)
}

// Move is one move of one or more pages, as the use case hands it to the
// store.
type Move struct {
	Pages   []PageMove
	Author  string
	Summary string
	// Rewrites are the edits of other pages whose links followed the
	// move, committed in the same transaction.
	Rewrites []Commit
}

// PageMove is one page of a Move: its new path and the text of its move
// revision (its own links may follow the move too).
type PageMove struct {
	From, To  Path
	ExpectRev int // the head revision at From the move was computed against
	Markdown  string
	Title     string
	Links     []Path
}

// ChangeLog is the ordered log of changes that derived things follow.
// Every write of a page, a namespace or a user appends its entry in the
// same transaction as the write itself.
type ChangeLog interface {
	// Changes returns change-log entries of pages newest first: recent
	// changes show pages only.
	Changes(ctx context.Context, q ChangeQuery) ([]Change, error)
	// ChangesAfter returns up to limit entries with Seq > since, oldest
	// first, of every kind: what a follower (the search index, the
	// namespace list) applies in order, skipping the kinds it ignores.
	ChangesAfter(ctx context.Context, since uint64, limit int) ([]Change, error)
	// LastSeq returns the newest change's sequence number, 0 when none.
	LastSeq(ctx context.Context) (uint64, error)
	// State returns where the log stands, read in one transaction: what
	// caches of rendered pages are keyed by, read from the store and not
	// from memory so that a write by another process (another machine on
	// a distributed engine) invalidates them too.
	State(ctx context.Context) (LogState, error)
	// Record appends an entry of a kind that has no record of its own in
	// the store (KindPermission events other than the rules and groups,
	// which PutRules and PutGroup write with theirs); other kinds are
	// written with their record (Commit, PutNamespace, CreateUser,
	// UpdateUser), EInvalid here.
	Record(ctx context.Context, ch Change) (Change, error)
	// Watch returns a channel closed after the next durable commit of any
	// kind, so that followers wait instead of polling. A follower takes it
	// before reading the log: a commit landing between its read and its
	// wait still wakes it, and one before the call never closes it. The
	// bbolt store broadcasts in process after each commit; a distributed
	// engine would open a watch on the log from the store's current
	// revision (etcd's Watch with WithRev) and close the channel at its
	// first event, ending the watch with ctx.
	Watch(ctx context.Context) <-chan struct{}
}

// LogState is where the change log stands.
type LogState struct {
	// Store is the store's identity: a data file put in the place of
	// another (another wiki) has another one, so that what is keyed by
	// the sequences below is not mistaken across the two.
	Store string
	// Seq is the newest change's sequence number, 0 when none.
	Seq uint64
	// Links is the sequence of the last change that changed what wiki
	// links resolve to: the set of live pages (a page created, deleted,
	// recreated, moved), a live page's title (links by title, and links
	// without a label, which show it) or the set of namespaces (one
	// created). A rendered page shows its links as of Links; 0 when no
	// such change was recorded (a file from before it was kept).
	Links uint64
}

// NamespaceStore holds the namespaces.
type NamespaceStore interface {
	// Namespaces returns the namespaces in the order they were created.
	Namespaces(ctx context.Context) ([]Namespace, error)
	// PutNamespace creates or updates a namespace.
	PutNamespace(ctx context.Context, ns Namespace) error
}

// UserStore holds the user accounts.
type UserStore interface {
	// CreateUser adds a user; EConflict if the login is taken.
	CreateUser(ctx context.Context, u User) error
	// User returns the user with that login.
	User(ctx context.Context, login string) (User, error)
	// UpdateUser replaces a user's record; ENotFound if missing.
	UpdateUser(ctx context.Context, u User) error
	// UserCount returns the number of users.
	UserCount(ctx context.Context) (int, error)
	// UserNames returns the display names (User.Name, possibly "") of those
	// of logins that are users, read in one transaction: what a list of
	// changes shows next to each author.
	UserNames(ctx context.Context, logins []string) (map[string]string, error)
	// Users returns every user, by login.
	Users(ctx context.Context) ([]User, error)
}

// SSOLinkStore links the identities of an OpenID provider (issuer and
// subject) to members, so that a member found once is found again when
// their user name at the provider changes.
type SSOLinkStore interface {
	// SSOLogin returns the login linked to the identity; ENotFound if none.
	SSOLogin(ctx context.Context, issuer, subject string) (string, error)
	// CreateSSOUser adds a member linked to the identity, in one
	// transaction; EConflict (ReasonLoginTaken) if the login is taken,
	// EConflict without reason if the identity is linked already.
	CreateSSOUser(ctx context.Context, u User, issuer, subject string) error
	// LinkSSO links the identity to an existing member; EConflict if it
	// is linked to another one.
	LinkSSO(ctx context.Context, issuer, subject, login string) error
}

// GroupStore holds the groups members belong to (a member's groups are
// in their User) and the rules of each namespace. Every write appends a
// KindPermission entry to the change log in its own transaction, whose
// Subject is "group:NAME" or "rules:KEY", so that what follows the rules
// (the policy's copy of them) follows the log.
type GroupStore interface {
	// Groups returns the groups in the order they were created.
	Groups(ctx context.Context) ([]Group, error)
	// PutGroup creates a group or changes its title.
	PutGroup(ctx context.Context, g Group, author string) error
	// Rules returns the rules of the namespaces that have some; a
	// namespace absent from the map has none (OpenRules).
	Rules(ctx context.Context) (map[string]Rules, error)
	// PutRules sets the rules of namespace ns; ENotFound when there is no
	// such namespace.
	PutRules(ctx context.Context, ns string, r Rules, author string) error
}

// SessionStore holds what signs a user in: API tokens and web sessions.
// Both are kept by the hash of their secret and answer with their owner.
type SessionStore interface {
	// CreateToken stores a token (by its hash).
	CreateToken(ctx context.Context, t Token) error
	// TokenByHash returns the token with that secret hash and its owner.
	TokenByHash(ctx context.Context, hash []byte) (Token, User, error)
	// Tokens lists the tokens of a user.
	Tokens(ctx context.Context, login string) ([]Token, error)
	// DeleteToken removes a token of a user by ID.
	DeleteToken(ctx context.Context, login, id string) error

	// CreateSession stores a web session (by the hash of its secret).
	CreateSession(ctx context.Context, s Session) error
	// SessionByHash returns the session with that secret hash and its user.
	SessionByHash(ctx context.Context, hash []byte) (Session, User, error)
	// DeleteSession removes a session; no error if it is already gone.
	DeleteSession(ctx context.Context, hash []byte) error
	// DeleteUserSessions removes every session of a user but keep (which
	// may be nil), as after a password change.
	DeleteUserSessions(ctx context.Context, login string, keep []byte) error
	// PurgeSessions removes the sessions that expired before t and returns
	// how many it removed.
	PurgeSessions(ctx context.Context, t time.Time) (int, error)
}

// VisitStore remembers, per member and page, the revision the member last
// viewed ("since my last visit"). The service batches visits in memory and
// writes them here in one transaction at a time, never one per page view.
type VisitStore interface {
	// PutVisits records visits in one transaction. What is kept for a
	// member and a page only grows: a visit of a lower revision than the
	// one kept (two batches landing out of order) changes nothing.
	PutVisits(ctx context.Context, vs []Visit) error
	// Visits returns the revision login last viewed of each of paths it
	// viewed; a path never viewed is absent from the map.
	Visits(ctx context.Context, login string, paths []Path) (map[Path]int, error)
}

// WatchStore holds what each member watches (pages and namespaces) and
// whether their own edits add the page to it.
type WatchStore interface {
	// PutWatch watches (on) or stops watching (off) w for login; both are
	// idempotent.
	PutWatch(ctx context.Context, login string, w Watched, on bool) error
	// Watches returns what login watches, namespaces first then pages,
	// each by key, at most limit.
	Watches(ctx context.Context, login string, limit int) ([]Watched, error)
	// Watching reports whether login watches w.
	Watching(ctx context.Context, login string, w Watched) (bool, error)
	// WatchesChanged returns when login last started or stopped watching
	// something (a PutWatch that changed what they watch); zero if never.
	WatchesChanged(ctx context.Context, login string) (time.Time, error)
	// AutoWatch reports whether login's own edits add the page to their
	// watchlist (true until they turn it off); SetAutoWatch sets it.
	AutoWatch(ctx context.Context, login string) (bool, error)
	SetAutoWatch(ctx context.Context, login string, on bool) error
}

// Watched is one thing a member watches: a page, or a whole namespace
// (Path zero, Namespace set).
type Watched struct {
	Path      Path
	Namespace string
}

// Visit is one member's view of one revision of a page.
type Visit struct {
	Login string
	Path  Path
	Rev   int
}

// FeedKeyStore holds the members' feed keys: at most one per member, kept
// by the hash of its secret as tokens are.
type FeedKeyStore interface {
	// PutFeedKey stores k as its owner's feed key, replacing the one they
	// had (which stops working in the same transaction). ENotFound when
	// the owner does not exist.
	PutFeedKey(ctx context.Context, k FeedKey) error
	// FeedKeyByHash returns the key with that secret hash and its owner.
	FeedKeyByHash(ctx context.Context, hash []byte) (FeedKey, User, error)
	// FeedKey returns login's key; ENotFound when they have none.
	FeedKey(ctx context.Context, login string) (FeedKey, error)
	// DeleteFeedKey removes login's key; no error when there is none.
	DeleteFeedKey(ctx context.Context, login string) error
}

// Backupper writes a consistent copy of the store while the wiki keeps
// serving (bbolt's read transactions see one snapshot): a file that the
// server can open as its data file.
type Backupper interface {
	Backup(ctx context.Context, w io.Writer) (int64, error)
}

// Session is a signed-in browser. Only the SHA-256 of its secret is stored.
type Session struct {
	Hash    []byte
	Login   string
	Created time.Time
	Expires time.Time
}

// Commit is one change to a page, as the use cases hand it to the Store.
type Commit struct {
	Path Path
	// From is the page's former path when the change is a move
	// (KindMove), zero otherwise. Moves are written by PageMover.Move
	// alone: Commit refuses a commit with From (EInvalid) rather than write
	// half a move.
	From      Path
	ExpectRev int // head revision the change was computed against; 0 = new page
	Kind      ChangeKind
	Author    string
	Summary   string
	Minor     bool
	Deleted   bool   // a deletion revision; Markdown is then ""
	Markdown  string // full text of the new revision
	Title     string
	Links     []Path // outgoing wiki links of the new text (none when deleted)
}

// ChangeQuery selects change-log entries.
type ChangeQuery struct {
	// Namespace narrows the list to one namespace ("" for all). It is
	// what a reader asks; Namespaces is what the use case allows.
	Namespace string
	// Namespaces, when not nil, keeps only entries of pages in these
	// namespaces: the use cases pass what the reader may read.
	Namespaces NamespaceSet
	Since      uint64 // only entries with Seq > Since
	// Before, when not 0, keeps only entries with Seq < Before: the next
	// page of a newest-first list is asked with Before = the last Seq seen,
	// so that a follower polling with Since loses nothing when more than
	// Limit changes came in.
	Before uint64
	Limit  int

	// The filters of recent changes; the zero value keeps everything. A
	// store may bound how far back a filtered walk looks (the bbolt store
	// reads at most store.FilteredScan entries per call), so that a view
	// where nearly everything is filtered out stays cheap: the list then
	// comes back shorter than Limit.
	HideMinor   bool   // leave out minor edits
	HideImports bool   // leave out what clubwiki import wrote (Change.IsImport)
	NotAuthor   string // leave out the changes of this login ("" keeps all)
	Author      string // keep only the changes of this login ("" keeps all): a profile's contributions
	Unreviewed  bool   // keep only changes whose revision has no reviewed mark
	// Sizes asks for each change's Size and SizeBefore (Change.Sized).
	Sizes bool
}

// Renderer turns Markdown into safe HTML and what is derived from it.
type Renderer interface {
	// Render renders src. It stops with an error when ctx ends, and
	// refuses (EInvalid or ETooLarge) a text whose rendering would cost
	// more than the renderer's bounds.
	Render(ctx context.Context, src []byte, opt RenderOptions) (*Rendered, error)
}

// RenderOptions tells the renderer about the page and the wiki around it.
type RenderOptions struct {
	// Page is the path of the page being rendered (zero for a preview of a
	// page without a path yet). One-segment wiki links are resolved in its
	// namespace.
	Page Path
	// IsNamespace reports whether a key is a namespace; a wiki link whose
	// first segment is not one is read as relative to Page's namespace.
	IsNamespace func(key string) bool
	// Existing reports which of the link targets are live pages. Nil means
	// none is marked missing. It is called at most once per Render.
	Existing func(paths []Path) map[Path]bool
	// Resolve, when set, is asked instead of Existing, at most once per
	// Render: which of paths are live pages and their titles, and which
	// page each of titles (TitleKey forms of the links' targets) names.
	// A target that is a live page is that page; else one whose title it
	// is links to the page Resolve names; else it is missing. Pages the
	// reader may not read must be left out of the answer.
	Resolve func(paths []Path, titles []string) LinkResolution
	// LinkPrefix is prepended to page paths in hrefs, e.g. "/wiki/".
	LinkPrefix string
}

// LinkResolution is what RenderOptions.Resolve answers.
type LinkResolution struct {
	Titles  map[Path]string // live targets (by path or by title) → their titles
	ByTitle map[string]Path // title key → the page a link by that title goes to
}

// Rendered is the result of rendering a page.
type Rendered struct {
	HTML string // sanitized HTML
	// BodyStart is where the body starts in HTML: past the level-1
	// heading the page starts with when that heading is its title, which
	// a page view shows above the body; 0 when there is none. The body is
	// kept as an offset, not a second string, so a cached page costs its
	// HTML once.
	BodyStart int
	Title     string         // front matter title, else first level-1 heading, else ""
	Meta      map[string]any // front matter ({} when none), JSON-ready
	Headings  []Heading      // for the table of contents
	Text      string         // plain text, for the search index
	Links     []Path         // outgoing wiki links, canonical, deduplicated, sorted
	// LinkRefs is every wiki link where the text has it, in the order of
	// the text; nil when the text was not valid UTF-8 or held a NUL byte
	// (the renderer reads a cleaned copy then, which the spans would be
	// into), which a saved page never is.
	LinkRefs []LinkRef
	// Views are the page's view blocks (```vue fences), in the order of
	// the text: the HTML holds ViewPlaceholder(i) in the place of the i-th,
	// which the service fills for each reader (views.go).
	Views []ViewBlock
}

// Body returns the HTML without the title heading (see BodyStart).
func (r *Rendered) Body() string { return r.HTML[r.BodyStart:] }

// ViewBlock is a view as the page's text has it: the fence's info string
// after "vue" (options) and the query it holds.
type ViewBlock struct {
	Info  string
	Query string
}

// MaxViews bounds the view blocks of one page that become views: each
// runs a search per reader; the others stay code.
const MaxViews = 8

// ViewPlaceholder is what the rendered HTML holds in the place of the i-th
// view block. Raw HTML in pages is never rendered, so only the renderer
// writes it.
func ViewPlaceholder(i int) string {
	return `<div class="wiki-view" data-view="` + itoa(i) + `"></div>`
}

// Heading is one heading of a page.
type Heading struct {
	Level int
	Text  string
	ID    string
}
