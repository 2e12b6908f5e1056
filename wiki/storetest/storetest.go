// Package storetest is the behaviour every wiki.Store must show, as one
// suite that any implementation runs from its own tests:
//
//	func TestDB_StoreSuite(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) wiki.Store { return openEmpty(t) })
//	}
//
// It speaks only the interfaces of package wiki, so the bbolt store and a
// store on another engine are held to the same contract. What is specific to
// one engine (file format, durability across a reopen, damaged files) stays
// in that engine's own tests.
//
// The tests are grouped by noun as wiki.Store is cut (PageStore,
// ChangeLog, NamespaceStore, UserStore, SessionStore, VisitStore, FeedKeyStore, GroupStore), one function per
// group, and a helper takes the small interface it speaks where one is
// enough, so a store on another engine can be brought up one noun at a
// time. A group still opens a whole Store: its fixtures cross nouns (a
// session needs its user, a change needs its page).
package storetest

import (
	"context"
	"crypto/sha256"
	"testing"

	"github.com/kdecole-club/clubwiki/wiki"
)

// Run runs the whole suite against stores made by open. open returns a new,
// empty store (no page, no change, no namespace, no user) that lives until
// the end of t; the suite calls it once per group of tests and never closes
// the store itself.
func Run(t *testing.T, open func(t *testing.T) wiki.Store) {
	t.Run("pages", func(t *testing.T) { testPages(t, open) })
	t.Run("revisions", func(t *testing.T) { testRevisions(t, open) })
	t.Run("failed commits", func(t *testing.T) { testFailedCommits(t, open) })
	t.Run("listing", func(t *testing.T) { testListing(t, open) })
	t.Run("backlinks", func(t *testing.T) { testBacklinks(t, open) })
	t.Run("change log", func(t *testing.T) { testChangeLog(t, open) })
	t.Run("events", func(t *testing.T) { testEvents(t, open) })
	t.Run("log state", func(t *testing.T) { testState(t, open) })
	t.Run("watch", func(t *testing.T) { testWatch(t, open) })
	t.Run("namespaces", func(t *testing.T) { testNamespaces(t, open) })
	t.Run("users", func(t *testing.T) { testUsers(t, open) })
	t.Run("tokens", func(t *testing.T) { testTokens(t, open) })
	t.Run("sessions", func(t *testing.T) { testSessions(t, open) })
	t.Run("feed keys", func(t *testing.T) { testFeedKeys(t, open) })
	t.Run("batch commit", func(t *testing.T) { testBatch(t, open) })
	t.Run("reviews", func(t *testing.T) { testReviews(t, open) })
	t.Run("change filters", func(t *testing.T) { testChangeFilters(t, open) })
	t.Run("prefs", func(t *testing.T) { testPrefs(t, open) })
	t.Run("visits", func(t *testing.T) { testVisits(t, open) })
	t.Run("watches", func(t *testing.T) { testWatches(t, open) })
	t.Run("drafts", func(t *testing.T) { testDrafts(t, open) })
	t.Run("groups and rules", func(t *testing.T) { testGroups(t, open) })
	t.Run("notify", func(t *testing.T) { testNotify(t, open) })
	t.Run("moves", func(t *testing.T) { testMoves(t, open) })
	t.Run("titles", func(t *testing.T) { testTitles(t, open) })
	t.Run("sso links", func(t *testing.T) { testSSOLinks(t, open) })
	t.Run("profiles", func(t *testing.T) { testProfiles(t, open) })
	t.Run("files", func(t *testing.T) { testFiles(t, open) })
	t.Run("files and moves", func(t *testing.T) { testFilesOrphans(t, open) })
	t.Run("tickets and audit", func(t *testing.T) { testTickets(t, open) })
}

// commit saves text at p on top of expectRev as "alice" and fails the test
// on error.
func commit(t *testing.T, s wiki.PageStore, p string, expectRev int, text string, links ...string) wiki.Change {
	t.Helper()
	c := edit(p, expectRev, text, links...)
	chs, err := s.Commit(context.Background(), c)
	if err != nil {
		t.Fatalf("Commit(%s, %d): %v", p, expectRev, err)
	}
	return chs[0]
}

// edit is the commit that commit writes: a creation when expectRev is 0.
func edit(p string, expectRev int, text string, links ...string) wiki.Commit {
	kind := wiki.KindEdit
	if expectRev == 0 {
		kind = wiki.KindCreate
	}
	c := wiki.Commit{
		Path: wiki.MustPath(p), ExpectRev: expectRev, Kind: kind, Author: "alice",
		Summary: "résumé " + p, Markdown: text, Title: "Titre " + p,
	}
	for _, l := range links {
		c.Links = append(c.Links, wiki.MustPath(l))
	}
	return c
}

// deletePage deletes p on top of expectRev as "bob".
func deletePage(t *testing.T, s wiki.PageStore, p string, expectRev int) wiki.Change {
	t.Helper()
	chs, err := s.Commit(context.Background(), wiki.Commit{
		Path: wiki.MustPath(p), ExpectRev: expectRev, Kind: wiki.KindDelete, Author: "bob", Deleted: true,
	})
	if err != nil {
		t.Fatalf("delete %s: %v", p, err)
	}
	return chs[0]
}

// wantCode fails unless err carries code; with ENotFound it is also what
// catches a store answering "not found" with a zero value and a nil error.
func wantCode(t *testing.T, err error, code wiki.Code) {
	t.Helper()
	if got := wiki.ErrorCode(err); got != code {
		t.Fatalf("error %v: code %q, want %q", err, got, code)
	}
}

// lastSeq reads the newest sequence number and fails the test on error.
func lastSeq(t *testing.T, s wiki.ChangeLog) uint64 {
	t.Helper()
	n, err := s.LastSeq(context.Background())
	if err != nil {
		t.Fatalf("LastSeq: %v", err)
	}
	return n
}

func hash(secret string) []byte {
	h := sha256.Sum256([]byte(secret))
	return h[:]
}

func paths(hs []wiki.Head) []string {
	out := []string{}
	for _, h := range hs {
		out = append(out, h.Path.String())
	}
	return out
}

func revs(rs []wiki.Revision) []int {
	out := []int{}
	for _, r := range rs {
		out = append(out, r.Rev)
	}
	return out
}

func seqs(cs []wiki.Change) []uint64 {
	out := []uint64{}
	for _, c := range cs {
		out = append(out, c.Seq)
	}
	return out
}
