package wiki

import (
	"context"
	"hash/fnv"
	"strconv"
	"time"
)

// Feed sizes: how many entries a feed has by default and at most.
const (
	DefaultFeedLimit = 50
	MaxFeedLimit     = 200
)

// FeedQuery selects a feed: the changes to what the reader watches when
// Watchlist is set, one page's history when Page is set, else the recent
// changes of the wiki, or of one namespace when Namespace is set.
type FeedQuery struct {
	Namespace string
	Page      Path
	Watchlist bool
	Limit     int // 0: DefaultFeedLimit; at most MaxFeedLimit
}

// Feed is a feed for one reader as of one state of the change log: its
// entries without their diffs, which Entries computes.
type Feed struct {
	// Tag is the same for two reads of the feed only when they show the
	// same: it changes with the change log, with the namespaces the
	// reader may read and with the query, so that a conditional request
	// never keeps what a permission change took away.
	Tag string
	// Modified is the time of the newest entry of the change log, of any
	// kind (a permission change too), or for a watchlist's feed of the
	// reader's last change of what they watch when that is newer; zero
	// when the log is empty.
	Modified  time.Time
	Namespace string // the namespace of a recent-changes feed, canonical; "" for all
	Page      Path   // the page of a history feed
	Watchlist bool   // a feed of the reader's watchlist
	Changes   []Change
	// Names maps the authors' logins to their display names.
	Names map[string]string
	// Words are the few words the entries' diffs use, in the feed's
	// language; zero: French.
	Words FeedWords

	s              *Service
	watchesChanged time.Time // a watchlist feed's: see Modified
}

// FeedEntry is one change of a feed with what it did, as HTML.
type FeedEntry struct {
	Change
	// DiffHTML is the change as escaped HTML, "" when Omitted.
	DiffHTML string
	// Truncated says DiffHTML stops before the end of the diff, which is
	// longer than an entry may hold.
	Truncated bool
	Omitted   Omission
}

// Omission says why an entry has no diff.
type Omission int

// Why an entry has no diff.
const (
	NotOmitted  Omission = iota
	OmittedSize          // the texts are larger than a feed diffs: always so
	OmittedBusy          // the feed's time ran out or the wiki was busy: this time only
)

// Feed returns actor's feed q: only what actor may read. A hidden or
// unknown namespace, and a hidden or missing page, are ENotFound.
func (s *Service) Feed(ctx context.Context, actor *User, q FeedQuery) (*Feed, error) {
	readable, err := s.readable(ctx, actor)
	if err != nil {
		return nil, err
	}
	if q.Limit < 0 || q.Limit > MaxFeedLimit {
		return nil, Errorf(EInvalid, "limit must be between 1 and %d", MaxFeedLimit)
	}
	if q.Limit == 0 {
		q.Limit = DefaultFeedLimit
	}
	st, err := s.store.State(ctx)
	if err != nil {
		return nil, err
	}
	f := &Feed{s: s, Page: q.Page, Watchlist: q.Watchlist}
	var watched string // what the reader watches, in the tag
	switch {
	case q.Watchlist:
		watched, err = f.readWatched(ctx, actor, q, readable, st)
	case q.Page.IsZero():
		err = f.readChanges(ctx, q, readable, st)
	default:
		err = f.readHistory(ctx, actor, q)
	}
	if err != nil {
		return nil, err
	}
	if err := f.readNames(ctx); err != nil {
		return nil, err
	}
	if f.Modified, err = s.logTime(ctx, st); err != nil {
		return nil, err
	}
	if f.watchesChanged.After(f.Modified) {
		f.Modified = f.watchesChanged
	}
	f.Tag = s.feedTag(st, s.hiddenFrom(actor), f.Namespace, watched, q)
	return f, nil
}

// readChanges reads the recent changes of a feed, up to the log's state st.
func (f *Feed) readChanges(ctx context.Context, q FeedQuery, readable NamespaceSet, st LogState) error {
	ns, err := f.s.namespaceFilter(q.Namespace, readable)
	if err != nil {
		// A feed URL naming no namespace the reader knows names no feed.
		return Errorf(ENotFound, "unknown namespace %q", truncate(q.Namespace, 80)).Because(ReasonNamespaceUnknown)
	}
	f.Namespace = ns
	f.Changes, err = f.s.store.Changes(ctx, ChangeQuery{Namespaces: readable.narrow(ns), Before: st.Seq + 1, Limit: q.Limit})
	return err
}

// readHistory reads the revisions of a history feed as changes.
func (f *Feed) readHistory(ctx context.Context, actor *User, q FeedQuery) error {
	if err := f.s.authorize(ctx, actor, ActRead, q.Page.Namespace()); err != nil {
		return err
	}
	if _, err := f.s.store.Head(ctx, q.Page); err != nil {
		return err
	}
	revs, err := f.s.store.History(ctx, q.Page, q.Limit, 0)
	if err != nil {
		return err
	}
	for _, r := range revs {
		f.Changes = append(f.Changes, Change{Path: q.Page, Rev: r.Rev, Kind: r.Kind, Author: r.Author,
			Time: r.Time, Summary: r.Summary, Title: r.Title, Minor: r.Minor})
	}
	return nil
}

// readNames finds the display names of the authors; a login that is no
// member (any more) stands for itself.
func (f *Feed) readNames(ctx context.Context) error {
	f.Names = map[string]string{}
	for _, c := range f.Changes {
		if _, ok := f.Names[c.Author]; ok {
			continue
		}
		f.Names[c.Author] = c.Author
		u, err := f.s.store.User(ctx, c.Author)
		if ErrorCode(err) == ENotFound {
			continue
		}
		if err != nil {
			return err
		}
		if u.Name != "" {
			f.Names[c.Author] = u.Name
		}
	}
	return nil
}

// logTime returns the time of the newest entry of the log at st.
func (s *Service) logTime(ctx context.Context, st LogState) (time.Time, error) {
	if st.Seq == 0 {
		return time.Time{}, nil
	}
	chs, err := s.store.ChangesAfter(ctx, st.Seq-1, 1)
	if err != nil || len(chs) == 0 {
		return time.Time{}, err
	}
	return chs[0].Time, nil
}

// feedTag names what a feed shows: the log's state, the namespaces hidden
// from its reader, the query, what a watchlist feed's reader watches, and
// this process (a new version may write entries otherwise).
func (s *Service) feedTag(st LogState, hidden, ns, watched string, q FeedQuery) string {
	h := fnv.New64a()
	for _, part := range []string{s.boot, st.Store, strconv.FormatUint(st.Seq, 10), hidden, ns, q.Page.String(),
		strconv.Itoa(q.Limit), strconv.FormatBool(q.Watchlist), watched} {
		h.Write([]byte(part))
		h.Write([]byte{0})
	}
	return strconv.FormatUint(h.Sum64(), 36)
}
