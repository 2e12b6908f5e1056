package wiki

import (
	"context"
	"io/fs"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/kdecole-club/clubwiki/wiki/lru"
)

// DefaultMaxPageBytes is the default limit on a page's Markdown: 2 MiB.
const DefaultMaxPageBytes = 2 << 20

// DefaultCacheBytes is the default budget of every cache of pages together.
// A page is held there once, rendered (its Markdown and HTML), with the
// web's articles around its content beside it: about 1,000 pages of the
// club's size in 8 MiB.
const DefaultCacheBytes = 8 << 20

// SystemAuthor is the author of the pages the wiki creates itself.
const SystemAuthor = "clubwiki"

// Differ computes line and word diffs and merges; the textdiff package
// implements it.
type Differ interface {
	// Diff returns the hunks turning a into b and the counts of added and
	// removed lines; Diff.Unified writes them as text.
	// It stops with ctx.
	Diff(ctx context.Context, a, b string) (Diff, error)
	// Words returns the word diff turning a into b: unchanged runs of
	// lines, changed ones with their words marked, moved paragraphs.
	// It stops with ctx.
	Words(ctx context.Context, a, b string) (WordDiff, error)
	// Rendered cuts a word diff into blocks of Markdown with the changed
	// words marked, for a view of the formatted page (see DiffBlock).
	Rendered(wd WordDiff) []DiffBlock
	// Merge merges two texts derived from base: the text both sides agree
	// on, and a region for each passage where their edits overlap.
	// It stops with ctx; err is then not nil.
	Merge(ctx context.Context, base, mine, theirs string) (Merge, error)
}

// Config is what a Service needs besides its dependencies. Zero values get
// defaults.
type Config struct {
	MaxPageBytes int         // default DefaultMaxPageBytes
	MaxFileBytes int64       // one attachment, default DefaultMaxFileBytes
	Namespaces   []Namespace // created on Init when missing; default DefaultNamespaces
	// Seed holds Markdown files "<ns>/<slug>.md" created on Init when the
	// page has never existed (namespace index pages, the home page);
	// deeper ones ("<ns>/<folder>/<slug>.md", examples) only in a new
	// wiki. See seed.go.
	Seed       fs.FS
	BcryptCost int              // default bcrypt.DefaultCost; tests use the minimum
	Now        func() time.Time // default time.Now
	LinkPrefix string           // prefix of page hrefs in rendered HTML, default "/wiki/"
	// CacheBytes is the one budget of the caches of pages: the render
	// cache here, where each page is held once, and the web interface's
	// articles around the content, which draw on it through CacheBudget.
	// Default DefaultCacheBytes.
	CacheBytes int
	SessionTTL time.Duration // web session lifetime, default DefaultSessionTTL
	// RenderSlots is how many renderings may run at once, default
	// GOMAXPROCS; RenderTimeout bounds each, default DefaultRenderTimeout.
	RenderSlots   int
	RenderTimeout time.Duration
	// DiffSlots is how many diffs between revisions (the history's
	// compare, the API's diff) may run at once, default half the
	// processors (at least one): one diff may take the differ's whole
	// time limit and 100 MB, so readers asking for many at once wait
	// rather than take every core. Merges of saves do not wait for them.
	DiffSlots int
	// PreviewSlots is how many previews may render at once, default half
	// the processors (at least one). A preview renders any text a reader
	// sends, hostile ones included; it also takes a rendering slot, and
	// with fewer preview slots than rendering slots, saves and page views
	// always find one free.
	PreviewSlots int
	// RoomWait is how long a preview or a diff waits for a slot before
	// it is answered busy, default 2 s (roomMaxWait, rendergate.go).
	// Each waits in a room of a few requests per slot; past its size,
	// a request is answered busy at once.
	RoomWait time.Duration
	// FeedTime bounds the time one feed spends on its diffs, default
	// DefaultFeedTime (feeds_diff.go).
	FeedTime time.Duration
	// FeedBytes bounds the text one feed reads to diff, both sides of
	// each entry; default 16 MiB (feedTextBudget, feeds_diff.go).
	FeedBytes int
	// FeedEntryBytes bounds the HTML of one entry's diff in a feed,
	// default FeedEntryMax.
	FeedEntryBytes int
	// ReadRule narrows what members read, per namespace (policy.go);
	// nil: everyone signed in reads everything.
	ReadRule ReadRule
	// Groups are created on Init when missing; default DefaultGroups.
	Groups []Group
	// Rules are given to the namespaces Init creates (not to those that
	// exist: a wiki keeps its rules); nil: none, every member reads and
	// edits everything. serve gives none (every namespace open).
	Rules map[string]Rules
	// VisitBuffer is how many page visits are kept in memory between two
	// writes to the store, default DefaultVisitBuffer (visits.go).
	VisitBuffer int
}

// Service holds the use cases. It is safe for concurrent use.
type Service struct {
	store  Store
	render Renderer
	differ Differ
	cfg    Config

	nsMu  sync.RWMutex
	ns    map[string]Namespace // namespace cache; namespaces change rarely
	names namespaceList        // follows the change log into ns (namespaces.go)
	rules map[string]Rules     // the namespaces' rules, under nsMu, loaded with ns

	budget *lru.Budget // shared by the render cache and the web's caches
	// cache holds renderings under the store's LogState.Links: links to
	// missing pages look different once the set of pages changes, and
	// the store, not this process, says when it did.
	cache    *renderCache
	boot     string // in ETags, see etag
	renders  *renderGate
	diffs    *renderGate
	previews *renderGate
	search   SearchIndex // set by SetSearch (wiki/search.go); nil: no search
	visits   *visitBuffer
	saves    pageLocks     // saves of one page take turns (savelock.go)
	presence presenceBoard // who has which page open in an editor (presence.go)
	mailOn   atomic.Bool   // a Notifier was made (notifier.go)
	// viewCache holds views' results and pages' front matter (views.go).
	viewCache *viewCaches
	// authored is each member's latest page change (views.go).
	authored authorSeqs
	tickets  ticketMail // how invitations and resets are mailed (invite.go)
	types    typeCache  // the page types of TypesPage (typedefs.go)
	metas    metaCache  // front matters by revision, for lists (pagemeta.go)
}

// NewService returns a Service over the given store, renderer and differ.
func NewService(st Store, r Renderer, d Differ, cfg Config) *Service {
	if cfg.MaxFileBytes <= 0 {
		cfg.MaxFileBytes = DefaultMaxFileBytes
	}
	if cfg.MaxPageBytes <= 0 {
		cfg.MaxPageBytes = DefaultMaxPageBytes
	}
	if cfg.Namespaces == nil {
		cfg.Namespaces = DefaultNamespaces()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Groups == nil {
		cfg.Groups = DefaultGroups()
	}
	if cfg.LinkPrefix == "" {
		cfg.LinkPrefix = "/wiki/"
	}
	if cfg.CacheBytes <= 0 {
		cfg.CacheBytes = DefaultCacheBytes
	}
	budget := lru.NewBudget(cfg.CacheBytes)
	s := &Service{store: st, render: r, differ: d, cfg: cfg, budget: budget, cache: newRenderCache(budget),
		renders:  newRenderGate(cfg.RenderSlots, cfg.RenderTimeout),
		diffs:    newRenderGate(halfProcs(cfg.DiffSlots), 0).withRoom(cfg.RoomWait),
		previews: newRenderGate(halfProcs(cfg.PreviewSlots), 0).withRoom(cfg.RoomWait)}
	s.names.s = s
	s.viewCache = newViewCaches(budget)
	s.visits = newVisitBuffer(st, cfg.VisitBuffer)
	// ETags outlive the process in clients' caches, and a new version of
	// clubwiki may render the same revision differently: a random part
	// drawn at start keeps a restarted wiki from reusing a tag.
	s.boot = strconv.FormatUint(rand.Uint64()>>1, 36)
	return s
}

// CacheBudget returns the budget the render cache draws on, for the other
// caches of pages (the web layer's) to share it: one bound on them all.
func (s *Service) CacheBudget() *lru.Budget { return s.budget }

// MaxFileBytes returns the configured limit of one attachment.
func (s *Service) MaxFileBytes() int64 { return s.cfg.MaxFileBytes }

// MaxPageBytes returns the configured page size limit.
func (s *Service) MaxPageBytes() int { return s.cfg.MaxPageBytes }

// DefaultNamespaces returns the club's seven work axes plus the club itself.
func DefaultNamespaces() []Namespace {
	return []Namespace{
		{"usages", "Usages et pratiques pédagogiques", "Retours d'usage et bonnes pratiques pédagogiques de l'ENT."},
		{"accompagnement", "Accompagnement des personnels et des familles", "Formation, documentation et accompagnement des personnels, des élèves et des familles."},
		{"assistance", "Problématiques et dispositifs d'assistance", "Difficultés rencontrées, leurs résolutions et l'organisation de l'assistance."},
		{"portails", "Articulation des portails de l'Éducation nationale et des collectivités", "Authentification, fédération d'identités et articulation des portails."},
		{"connecteurs", "Intégration des services externes et développement de connecteurs", "Ressources, services externes et connecteurs."},
		{"marches", "Marchés et relations avec les prestataires (éditeur, intégrateur, hébergeur)", "Marchés publics, cahiers des charges et relations avec les prestataires."},
		{"services", "Services offerts par les projets et attentes vis-à-vis de k-d'école", "Services proposés par chaque projet et demandes d'évolution communes."},
		{"club", "Le club : accueil, membres, projets, réunions", "La vie du club : membres, projets ENT, réunions et comptes rendus."},
	}
}

// Init creates what is missing: the namespaces and the seed pages. It is
// idempotent and never overwrites a page that exists or existed.
func (s *Service) Init(ctx context.Context) error {
	have, err := s.store.Namespaces(ctx)
	if err != nil {
		return err
	}
	known := make(map[string]bool, len(have))
	for _, ns := range have {
		known[ns.Key] = true
	}
	if err := s.initGroups(ctx); err != nil {
		return err
	}
	for _, ns := range s.cfg.Namespaces {
		if known[ns.Key] {
			continue
		}
		if Canonical(ns.Key) != ns.Key || strings.Contains(ns.Key, "/") || ns.Key == "" {
			return Errorf(EInvalid, "namespace key %q is not canonical", ns.Key)
		}
		if err := s.store.PutNamespace(ctx, ns); err != nil {
			return err
		}
		if r, ok := s.cfg.Rules[ns.Key]; ok {
			if err := s.store.PutRules(ctx, ns.Key, r, SystemAuthor); err != nil {
				return err
			}
		}
	}
	if err := s.loadNamespacesAt(ctx); err != nil {
		return err
	}
	return s.seed(ctx, len(have) == 0)
}

// ResolvePath canonicalises raw and checks that its namespace exists.
func (s *Service) ResolvePath(ctx context.Context, raw string) (Path, error) {
	p, err := ParsePath(raw)
	if err != nil {
		return Path{}, err
	}
	if ok, err := s.knowsNamespace(ctx, p.Namespace()); err != nil {
		return Path{}, err
	} else if !ok {
		return Path{}, Errorf(EInvalid, "unknown namespace %q", p.Namespace()).Because(ReasonNamespaceUnknown)
	}
	return p, nil
}

// NamespaceInfo is a namespace with its number of live pages.
type NamespaceInfo struct {
	Namespace
	Pages int
}

// Namespaces lists the namespaces actor may read with their page counts.
func (s *Service) Namespaces(ctx context.Context, actor *User) ([]NamespaceInfo, error) {
	readable, err := s.readable(ctx, actor)
	if err != nil {
		return nil, err
	}
	list, err := s.store.Namespaces(ctx)
	if err != nil {
		return nil, err
	}
	counts, err := s.store.PageCounts(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]NamespaceInfo, 0, len(list))
	for _, ns := range list {
		if readable.Has(ns.Key) {
			out = append(out, NamespaceInfo{Namespace: ns, Pages: counts[ns.Key]})
		}
	}
	return out, nil
}

// clampLimit applies the API's list limits: default 50, at most 500.
func clampLimit(n int) int {
	switch {
	case n <= 0:
		return 50
	case n > 500:
		return 500
	}
	return n
}

// commit writes c; the store tells the followers of the change log.
func (s *Service) commit(ctx context.Context, c Commit) (Change, error) {
	chs, err := s.store.Commit(ctx, c)
	if err != nil {
		return Change{}, err
	}
	s.authored.note(chs)
	return chs[0], nil
}
