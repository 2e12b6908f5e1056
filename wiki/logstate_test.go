package wiki_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kdecole-club/clubwiki/wiki"
)

// A second writer of the store (the CLI, another process, another machine
// on a distributed engine) changes the log without this Service knowing:
// what the Service caches must follow the store, not its own commits.
func TestService_PageFollowsStore(t *testing.T) {
	f := newFixture(t, wiki.Config{})
	a, b := wiki.MustPath("usages/a"), wiki.MustPath("usages/b")
	f.save(t, a.String(), "Voir [[usages/b]].\n", 0)
	read := func() *wiki.PageView {
		t.Helper()
		pv, err := f.svc.Page(f.ctx, f.reader, a, 0)
		if err != nil {
			t.Fatal(err)
		}
		return pv
	}
	before := read()
	if !strings.Contains(before.HTML, "missing") {
		t.Fatalf("the link to b should be missing: %s", before.HTML)
	}
	if again := read(); again.ETag != before.ETag {
		t.Fatalf("ETag changed with nothing written: %s then %s", before.ETag, again.ETag)
	}
	t.Run("a page created by another writer", func(t *testing.T) {
		commitDirect(t, f, wiki.Commit{Path: b, Kind: wiki.KindCreate, Author: "cli", Markdown: "B", Title: "B"})
		after := read()
		if strings.Contains(after.HTML, "missing") {
			t.Errorf("the link to b is still marked missing (stale cache): %s", after.HTML)
		}
		if after.ETag == before.ETag {
			t.Errorf("same ETag %s for different HTML", after.ETag)
		}
	})
	t.Run("a page deleted by another writer", func(t *testing.T) {
		commitDirect(t, f, wiki.Commit{Path: b, ExpectRev: 1, Kind: wiki.KindDelete, Author: "cli", Deleted: true, Title: "B"})
		if h := read().HTML; !strings.Contains(h, "missing") {
			t.Errorf("the link to the deleted b is not marked missing: %s", h)
		}
	})
	t.Run("an edit by another writer keeps the cache", func(t *testing.T) {
		c := wiki.MustPath("usages/c")
		commitDirect(t, f, wiki.Commit{Path: c, Kind: wiki.KindCreate, Author: "cli", Markdown: "C", Title: "C"})
		tag := read().ETag
		commitDirect(t, f, wiki.Commit{Path: c, ExpectRev: 1, Kind: wiki.KindEdit, Author: "cli", Markdown: "C2", Title: "C"})
		if got := read().ETag; got != tag {
			t.Errorf("an edit that changes no link changed the ETag: %s then %s", tag, got)
		}
	})
}

func commitDirect(t *testing.T, f *fixture, c wiki.Commit) {
	t.Helper()
	if _, err := f.db.Commit(f.ctx, c); err != nil {
		t.Fatalf("Commit(%s) through the store: %v", c.Path, err)
	}
}

// Namespaces come and go through the store too: the Service's list follows
// the change log, so a namespace created by another writer is known without
// a restart.
func TestService_NamespacesFollowLog(t *testing.T) {
	f := newFixture(t, wiki.Config{})
	put := func(key string) {
		t.Helper()
		if err := f.db.PutNamespace(f.ctx, wiki.Namespace{Key: key, Title: "Titre " + key}); err != nil {
			t.Fatal(err)
		}
	}
	t.Run("a path in it resolves at once", func(t *testing.T) {
		if _, err := f.svc.ResolvePath(f.ctx, "neuf/page"); wiki.ErrorCode(err) != wiki.EInvalid {
			t.Fatalf("ResolvePath before = %v, want EInvalid", err)
		}
		put("neuf")
		if p, err := f.svc.ResolvePath(f.ctx, "neuf/page"); err != nil || p.Namespace() != "neuf" {
			t.Fatalf("ResolvePath after = %v, %v", p, err)
		}
	})
	t.Run("links rendered before resolve into it after", func(t *testing.T) {
		f.save(t, "usages/liens", "Voir [[autre/page]].\n", 0)
		html := func() string {
			pv, err := f.svc.Page(f.ctx, f.reader, wiki.MustPath("usages/liens"), 0)
			if err != nil {
				t.Fatal(err)
			}
			return pv.HTML
		}
		if h := html(); !strings.Contains(h, `href="/wiki/usages/autre/page"`) {
			t.Fatalf("before: a link into an unknown namespace is relative: %s", h)
		}
		put("autre")
		if h := html(); !strings.Contains(h, `href="/wiki/autre/page"`) {
			t.Errorf("after: the link still reads autre as a page of usages (stale cache): %s", h)
		}
	})
	t.Run("lists show it while the service follows", func(t *testing.T) {
		ctx, cancel := context.WithCancel(f.ctx)
		done := make(chan error, 1)
		go func() { done <- f.svc.Follow(ctx, nil) }()
		defer func() {
			cancel()
			<-done
		}()
		put("suivi")
		listed := func() bool {
			list, err := f.svc.Namespaces(f.ctx, f.reader)
			return err == nil && slices.ContainsFunc(list, func(n wiki.NamespaceInfo) bool { return n.Key == "suivi" })
		}
		deadline := time.Now().Add(5 * time.Second)
		for !listed() && time.Now().Before(deadline) {
			time.Sleep(5 * time.Millisecond)
		}
		if !listed() {
			t.Fatal("the namespace created through the store is not listed")
		}
	})
}

// The log records namespace and member events too; recent changes stay a
// list of page changes, and a cursor between two of them loses none.
func TestService_RecentChangesPagesOnly(t *testing.T) {
	f := newFixture(t, wiki.Config{})
	f.save(t, "club/a", "A", 0)
	f.user(t, "nouvelle", wiki.RoleEditor)
	if err := f.db.PutNamespace(f.ctx, wiki.Namespace{Key: "entre-deux"}); err != nil {
		t.Fatal(err)
	}
	f.save(t, "club/b", "B", 0)
	all, err := f.svc.RecentChanges(f.ctx, f.reader, wiki.ChangeQuery{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range all {
		if !c.Kind.IsPage() || c.Path.IsZero() {
			t.Fatalf("recent changes show a %q event: %+v", c.Kind, c)
		}
	}
	if len(all) < 2 || all[0].Path.String() != "club/b" || all[1].Path.String() != "club/a" {
		t.Fatalf("recent changes = %+v, want club/b then club/a first", all)
	}
	events, err := f.db.ChangesAfter(f.ctx, all[1].Seq, 10)
	if err != nil || len(events) != 3 || events[0].Kind != wiki.KindUserCreate || events[1].Kind != wiki.KindNamespaceCreate {
		t.Fatalf("the log between a and b = %+v, %v; want the user and namespace events", events, err)
	}
	since, err := f.svc.RecentChanges(f.ctx, f.reader, wiki.ChangeQuery{Since: all[1].Seq})
	if err != nil || len(since) != 1 || since[0].Path.String() != "club/b" {
		t.Fatalf("changes since a = %+v, %v; want b only", since, err)
	}
}
