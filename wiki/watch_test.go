package wiki_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/kdecole-club/clubwiki/wiki"
)

func watch(t *testing.T, f *fixture, who *wiki.User, raw string, on bool) {
	t.Helper()
	w, err := f.svc.WatchTarget(f.ctx, raw)
	if err != nil {
		t.Fatalf("WatchTarget(%s): %v", raw, err)
	}
	if err := f.svc.Watch(f.ctx, who, w, on); err != nil {
		t.Fatalf("Watch(%s, %v): %v", raw, on, err)
	}
}

func changePaths(wl wiki.Watchlist) []string {
	out := []string{}
	for _, c := range wl.Changes {
		out = append(out, fmt.Sprintf("%s@%d", c.Path, c.Rev))
		if c.Unseen {
			out[len(out)-1] += "*"
		}
	}
	return out
}

func TestService_Watchlist(t *testing.T) {
	f := newFixture(t, wiki.Config{ReadRule: hideMarches})
	ext := f.user(t, "ext", wiki.RoleEditor)
	f.save(t, "usages/a", "# A\n\nun", 0)
	f.save(t, "usages/b", "# B\n\nun", 0)
	f.save(t, "club/c", "# C\n\nun", 0)
	f.save(t, "marches/m", "# M\n\nun", 0)
	t.Run("targets", func(t *testing.T) {
		for raw, want := range map[string]wiki.Watched{
			"Usages":   {Namespace: "usages"},
			"usages/a": {Path: wiki.MustPath("usages/a")},
		} {
			got, err := f.svc.WatchTarget(f.ctx, raw)
			if err != nil || got != want {
				t.Errorf("WatchTarget(%s) = %+v, %v", raw, got, err)
			}
		}
		if _, err := f.svc.WatchTarget(f.ctx, "inconnu"); wiki.ErrorCode(err) != wiki.ENotFound {
			t.Errorf("unknown namespace: %v", err)
		}
	})
	watch(t, f, f.reader, "usages/a", true)
	watch(t, f, f.reader, "club", true)
	f.save(t, "usages/a", "# A\n\ndeux", 1)
	f.save(t, "usages/b", "# B\n\ndeux", 1)
	f.save(t, "club/c", "# C\n\ndeux", 1)
	t.Run("changes to what is watched, newest first, unseen marked", func(t *testing.T) {
		view(t, f, f.reader, "club/c")
		wl, err := f.svc.Watchlist(f.ctx, f.reader, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		got := fmt.Sprint(changePaths(wl))
		if want := "[club/c@2 usages/a@2* club/c@1 usages/a@1* club/synonymes@1* club/projets/ent-mip@1* club/projets/ecollege-31@1* club/projets/e-lyco@1* club/projets/cyber-colleges-42@1* club/projets@1* club/accueil@1*]"; got != want {
			t.Fatalf("changes = %s, want %s", got, want)
		}
		if len(wl.Items) != 2 || wl.Items[0].Title != "Le club : accueil, membres, projets, réunions" || wl.Items[1].Title != "A" {
			t.Fatalf("items = %+v", wl.Items)
		}
	})
	t.Run("paging", func(t *testing.T) {
		wl, err := f.svc.Watchlist(f.ctx, f.reader, 4, 0)
		if err != nil || len(wl.Changes) != 4 || wl.Next == 0 {
			t.Fatalf("first part: %v, next %d, %v", changePaths(wl), wl.Next, err)
		}
		rest, err := f.svc.Watchlist(f.ctx, f.reader, 8, wl.Next)
		if err != nil || fmt.Sprint(changePaths(rest)) != "[club/synonymes@1* club/projets/ent-mip@1* club/projets/ecollege-31@1* club/projets/e-lyco@1* club/projets/cyber-colleges-42@1* club/projets@1* club/accueil@1*]" || rest.Next != 0 {
			t.Fatalf("second part: %v, next %d, %v", changePaths(rest), rest.Next, err)
		}
	})
	t.Run("mark as seen", func(t *testing.T) {
		if err := f.svc.MarkSeen(f.ctx, f.reader, []wiki.Path{wiki.MustPath("usages/a"), wiki.MustPath("marches/m")}); err != nil {
			t.Fatal(err)
		}
		wl, _ := f.svc.Watchlist(f.ctx, f.reader, 0, 0)
		if got := fmt.Sprint(changePaths(wl)); got != "[club/c@2 usages/a@2 club/c@1 usages/a@1 club/synonymes@1* club/projets/ent-mip@1* club/projets/ecollege-31@1* club/projets/e-lyco@1* club/projets/cyber-colleges-42@1* club/projets@1* club/accueil@1*]" {
			t.Fatalf("after MarkSeen: %s", got)
		}
	})
	t.Run("unwatch", func(t *testing.T) {
		watch(t, f, f.reader, "club", false)
		wl, _ := f.svc.Watchlist(f.ctx, f.reader, 0, 0)
		if got := fmt.Sprint(changePaths(wl)); got != "[usages/a@2 usages/a@1]" {
			t.Fatalf("after unwatching club: %s", got)
		}
	})
	t.Run("nothing the member may not read", func(t *testing.T) {
		w := wiki.Watched{Path: wiki.MustPath("marches/m")}
		if err := f.svc.Watch(f.ctx, ext, w, true); wiki.ErrorCode(err) != wiki.ENotFound {
			t.Fatalf("Watch of a hidden page: %v", err)
		}
		if err := f.svc.Watch(f.ctx, ext, wiki.Watched{Namespace: "marches"}, true); wiki.ErrorCode(err) != wiki.ENotFound {
			t.Fatalf("Watch of a hidden namespace: %v", err)
		}
		// Watched before the rule hid it: still nothing shows.
		if err := f.db.PutWatch(f.ctx, "ext", w, true); err != nil {
			t.Fatal(err)
		}
		wl, err := f.svc.Watchlist(f.ctx, ext, 0, 0)
		if err != nil || len(wl.Items) != 0 || len(wl.Changes) != 0 {
			t.Fatalf("ext's watchlist = %+v, %v", wl, err)
		}
		if err := f.svc.MarkSeen(f.ctx, ext, []wiki.Path{w.Path}); err != nil {
			t.Fatal(err)
		}
		f.svc.FlushVisits(f.ctx)
		if n := stored(t, f, "ext", "marches/m"); n != 0 {
			t.Fatal("MarkSeen recorded a hidden page")
		}
	})
}

func TestService_WatchOwnEdits(t *testing.T) {
	f := newFixture(t, wiki.Config{})
	watched := func(p string) bool {
		on, err := f.svc.Watching(f.ctx, f.editor, wiki.Watched{Path: wiki.MustPath(p)})
		if err != nil {
			t.Fatal(err)
		}
		return on
	}
	f.save(t, "usages/mienne", "un", 0)
	if !watched("usages/mienne") {
		t.Fatal("a page one created is not watched")
	}
	if err := f.svc.SetAutoWatch(f.ctx, f.editor, false); err != nil {
		t.Fatal(err)
	}
	f.save(t, "usages/autre", "un", 0)
	if watched("usages/autre") {
		t.Fatal("watched with the setting off")
	}
	if on, _ := f.svc.AutoWatch(f.ctx, f.editor); on {
		t.Fatal("AutoWatch stays on")
	}
}

// countingLog counts the change-log entries a Watchlist reads.
type countingLog struct {
	wiki.Store
	read int
}

func (c *countingLog) Changes(ctx context.Context, q wiki.ChangeQuery) ([]wiki.Change, error) {
	chs, err := c.Store.Changes(ctx, q)
	c.read += len(chs)
	return chs, err
}

// TestService_WatchlistBounded: a long log with nothing watched in it is
// read in bounded parts, not whole, and the answer says where to go on.
func TestService_WatchlistBounded(t *testing.T) {
	f := newFixture(t, wiki.Config{})
	var cs []wiki.Commit
	for i := range 6000 {
		cs = append(cs, wiki.Commit{Path: wiki.MustPath(fmt.Sprintf("usages/p%d", i)), Kind: wiki.KindCreate, Author: "camille", Markdown: "x", Title: "x"})
	}
	for i := 0; i < len(cs); i += 1000 {
		if _, err := f.db.Commit(f.ctx, cs[i:i+1000]...); err != nil {
			t.Fatal(err)
		}
	}
	f.save(t, "club/vieux", "x", 0) // older than nothing: the newest
	watch(t, f, f.reader, "usages/p0", true)
	cl := &countingLog{Store: f.db}
	svc := wiki.NewService(cl, nil, nil, wiki.Config{})
	if err := svc.Init(context.Background()); err != nil {
		t.Fatal(err)
	}
	wl, err := svc.Watchlist(f.ctx, f.reader, 50, 0)
	if err != nil {
		t.Fatal(err)
	}
	if cl.read > 5000 || len(wl.Changes) != 0 || wl.Next == 0 {
		t.Fatalf("read %d entries, %d changes, next %d; want at most 5000, none, a next", cl.read, len(wl.Changes), wl.Next)
	}
	cl.read = 0
	wl, err = svc.Watchlist(f.ctx, f.reader, 50, wl.Next)
	if err != nil || fmt.Sprint(changePaths(wl)) != "[usages/p0@1*]" || wl.Next != 0 || cl.read > 5000 {
		t.Fatalf("second part: %v next %d read %d, %v", changePaths(wl), wl.Next, cl.read, err)
	}
}
