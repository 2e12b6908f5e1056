package wiki_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/kdecole-club/clubwiki/wiki"
)

func (f *fixture) move(t testing.TB, who *wiki.User, from, to string, subs bool) wiki.MoveResult {
	t.Helper()
	res, err := f.svc.Move(f.ctx, who, wiki.MoveRequest{From: wiki.MustPath(from), To: wiki.MustPath(to), Summary: "renommage", SubPages: subs})
	if err != nil {
		t.Fatalf("Move(%s, %s): %v", from, to, err)
	}
	return res
}

func TestService_Move(t *testing.T) {
	f := newFixture(t, wiki.Config{ReadRule: hideMarches})
	f.save(t, "usages/ancien", "# Ancien\n\nPremière version.", 0)
	f.save(t, "usages/ancien", "# Ancien\n\nDeuxième version, voir [[voisin]] et [[usages/ancien#haut]].", 1)
	const linking = "Voir [[usages/ancien|l’ancien nom, gardé]] et [[ Usages/Ancien # détails | ici ]],\n" +
		"puis [[ancien]] et [[usages/autre]].\n"
	f.save(t, "usages/lecteur", linking, 0)
	f.save(t, "marches/cache", "[[usages/ancien]]", 0)

	res := f.move(t, f.editor, "usages/ancien", "portails/nouveau", false)
	t.Run("the history follows under the new path", func(t *testing.T) {
		revs, err := f.svc.History(f.ctx, f.editor, wiki.MustPath("portails/nouveau"), 10, 0)
		if err != nil || len(revs) != 3 || revs[0].Kind != wiki.KindMove || revs[0].Summary != "renommage" || revs[2].Rev != 1 {
			t.Fatalf("History = %+v, %v", revs, err)
		}
		if got := f.text(t, "portails/nouveau", 1); got != "# Ancien\n\nPremière version." {
			t.Fatalf("revision 1 = %q", got)
		}
	})
	t.Run("the old path answers where the page went", func(t *testing.T) {
		_, err := f.svc.Page(f.ctx, f.reader, wiki.MustPath("usages/ancien"), 0)
		var moved *wiki.MovedError
		if !errors.As(err, &moved) || moved.To.String() != "portails/nouveau" || wiki.ErrorCode(err) != wiki.ENotFound {
			t.Fatalf("Page(old) = %v", err)
		}
		if _, err := f.svc.History(f.ctx, f.reader, wiki.MustPath("usages/ancien"), 10, 0); !errors.As(err, &moved) {
			t.Fatalf("History(old) = %v", err)
		}
	})
	t.Run("links are rewritten in place, labels kept byte for byte", func(t *testing.T) {
		want := "Voir [[portails/nouveau|l’ancien nom, gardé]] et [[ portails/nouveau # détails | ici ]],\n" +
			"puis [[portails/nouveau]] et [[usages/autre]].\n"
		if got := f.text(t, "usages/lecteur", 0); got != want {
			t.Fatalf("rewritten:\n%q\nwant\n%q", got, want)
		}
		revs, _ := f.svc.History(f.ctx, f.editor, wiki.MustPath("usages/lecteur"), 1, 0)
		if revs[0].Author != f.editor.Login || !revs[0].Minor || !strings.Contains(revs[0].Summary, "portails/nouveau") {
			t.Fatalf("rewrite revision = %+v", revs[0])
		}
		if len(res.Rewritten) != 2 { // usages/lecteur and marches/cache: camille edits both
			t.Fatalf("Rewritten = %v", res.Rewritten)
		}
	})
	t.Run("its own links keep their targets across namespaces", func(t *testing.T) {
		want := "# Ancien\n\nDeuxième version, voir [[usages/voisin]] et [[portails/nouveau#haut]]."
		if got := f.text(t, "portails/nouveau", 0); got != want {
			t.Fatalf("moved text = %q", got)
		}
	})
	t.Run("onto a live page, or a deleted one", func(t *testing.T) {
		f.save(t, "usages/occupe", "x", 0)
		f.save(t, "usages/supprime", "x", 0)
		if _, err := f.svc.Delete(f.ctx, f.editor, wiki.MustPath("usages/supprime"), ""); err != nil {
			t.Fatal(err)
		}
		for to, reason := range map[string]wiki.Reason{"usages/occupe": wiki.ReasonPageExists, "usages/supprime": wiki.ReasonPageDeletedThere} {
			_, err := f.svc.Move(f.ctx, f.editor, wiki.MoveRequest{From: wiki.MustPath("portails/nouveau"), To: wiki.MustPath(to)})
			if r, _ := wiki.ErrorReason(err); wiki.ErrorCode(err) != wiki.EExists || r != reason {
				t.Fatalf("onto %s: %v", to, err)
			}
		}
	})
	t.Run("a move back and a chain", func(t *testing.T) {
		f.move(t, f.editor, "portails/nouveau", "club/troisieme", false)
		f.move(t, f.editor, "club/troisieme", "usages/ancien", false)
		if got := f.text(t, "usages/lecteur", 0); strings.Count(got, "[[usages/ancien") != 2 {
			t.Fatalf("links after the move back: %q", got)
		}
		for _, old := range []string{"portails/nouveau", "club/troisieme"} {
			var moved *wiki.MovedError
			if _, err := f.svc.Page(f.ctx, f.reader, wiki.MustPath(old), 0); !errors.As(err, &moved) || moved.To.String() != "usages/ancien" {
				t.Fatalf("Page(%s) = %v", old, err)
			}
		}
		if revs, _ := f.svc.History(f.ctx, f.reader, wiki.MustPath("usages/ancien"), 50, 0); len(revs) != 5 {
			t.Fatalf("history has %d revisions", len(revs))
		}
	})
}

func TestService_MovePermission(t *testing.T) {
	f := newFixture(t, wiki.Config{ReadRule: hideMarches})
	ext := f.user(t, "ext", wiki.RoleEditor)
	f.save(t, "usages/page", "x", 0)
	f.save(t, "marches/secret", "[[usages/page]]", 0)
	cases := []struct {
		name     string
		who      *wiki.User
		from, to string
		code     wiki.Code
	}{
		{"a reader", f.reader, "usages/page", "club/page", wiki.EForbidden},
		{"into a namespace they cannot read", ext, "usages/page", "marches/page", wiki.ENotFound},
		{"out of a namespace they cannot read", ext, "marches/secret", "usages/secret", wiki.ENotFound},
		{"onto a hidden page that exists", ext, "usages/page", "marches/secret", wiki.ENotFound},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.svc.Move(f.ctx, tc.who, wiki.MoveRequest{From: wiki.MustPath(tc.from), To: wiki.MustPath(tc.to)})
			if wiki.ErrorCode(err) != tc.code {
				t.Fatalf("Move = %v, want %s", err, tc.code)
			}
		})
	}
	t.Run("links in pages the mover cannot edit stay, and redirect", func(t *testing.T) {
		res := f.move(t, ext, "usages/page", "club/page", false)
		if len(res.Rewritten) != 0 {
			t.Fatalf("Rewritten = %v", res.Rewritten)
		}
		if got := f.text(t, "marches/secret", 0); got != "[[usages/page]]" {
			t.Fatalf("hidden page rewritten: %q", got)
		}
		var moved *wiki.MovedError
		if _, err := f.svc.Page(f.ctx, ext, wiki.MustPath("marches/secret"), 0); errors.As(err, &moved) || wiki.ErrorCode(err) != wiki.ENotFound {
			t.Fatalf("hidden page: %v", err)
		}
	})
	t.Run("a redirect into a hidden namespace is a missing page", func(t *testing.T) {
		f.save(t, "usages/vers-le-cache", "x", 0)
		f.move(t, f.editor, "usages/vers-le-cache", "marches/arrivee", false)
		_, err := f.svc.Page(f.ctx, ext, wiki.MustPath("usages/vers-le-cache"), 0)
		var moved *wiki.MovedError
		if errors.As(err, &moved) || wiki.ErrorCode(err) != wiki.ENotFound || strings.Contains(wiki.ErrorMessage(err), "marches") {
			t.Fatalf("Page = %v", err)
		}
	})
}

func TestService_MoveSubPages(t *testing.T) {
	f := newFixture(t, wiki.Config{})
	f.save(t, "usages/guide", "[[usages/guide/etape-1]] [[guide/etape-2]]", 0)
	f.save(t, "usages/guide/etape-1", "un [[usages/guide]]", 0)
	f.save(t, "usages/guide/etape-2", "deux", 0)
	f.save(t, "usages/guide-bis", "pas une sous-page", 0)
	t.Run("without the flag only the page moves", func(t *testing.T) {
		f.move(t, f.editor, "usages/guide", "usages/manuel", false)
		if got := f.text(t, "usages/guide/etape-1", 0); got != "un [[usages/manuel]]" {
			t.Fatalf("sub-page text = %q", got)
		}
		f.move(t, f.editor, "usages/manuel", "usages/guide", false)
	})
	t.Run("under itself is refused", func(t *testing.T) {
		_, err := f.svc.Move(f.ctx, f.editor, wiki.MoveRequest{From: wiki.MustPath("usages/guide"), To: wiki.MustPath("usages/guide/x"), SubPages: true})
		if r, _ := wiki.ErrorReason(err); r != wiki.ReasonMoveIntoItself {
			t.Fatalf("Move = %v", err)
		}
	})
	t.Run("with the flag the sub-pages move along", func(t *testing.T) {
		res := f.move(t, f.editor, "usages/guide", "club/manuel", true)
		if len(res.Moved) != 3 || res.Moved[1].To.String() != "club/manuel/etape-1" {
			t.Fatalf("Moved = %+v", res.Moved)
		}
		if got := f.text(t, "club/manuel", 0); got != "[[club/manuel/etape-1]] [[club/manuel/etape-2]]" {
			t.Fatalf("page text = %q", got)
		}
		if got := f.text(t, "club/manuel/etape-1", 0); got != "un [[club/manuel]]" {
			t.Fatalf("sub-page text = %q", got)
		}
		if got := f.text(t, "usages/guide-bis", 0); got != "pas une sous-page" {
			t.Fatalf("a sibling moved: %q", got)
		}
	})
}

// A save that started before a move rewrote the page's link to the moved
// page merges onto the rewrite: nothing is lost and the link names the new
// path, even when the member changed the same line.
func TestService_MoveRacingSave(t *testing.T) {
	f := newFixture(t, wiki.Config{})
	f.save(t, "usages/cible", "cible", 0)
	base := f.save(t, "usages/source", "Avant [[usages/cible|la cible]] après.\n\nAutre paragraphe.\n", 0)
	f.move(t, f.editor, "usages/cible", "usages/nouvelle-cible", false)
	res := f.save(t, "usages/source", "Avant [[usages/cible|la cible]] après, et une phrase de plus.\n\nAutre paragraphe modifié.\n", base.Rev)
	want := "Avant [[usages/nouvelle-cible|la cible]] après, et une phrase de plus.\n\nAutre paragraphe modifié.\n"
	if got := f.text(t, "usages/source", 0); got != want || !res.Merged {
		t.Fatalf("after the racing save (merged %v):\n%q", res.Merged, got)
	}
	t.Run("a new link to the old path names the new one", func(t *testing.T) {
		f.save(t, "usages/autre", "[[usages/cible]]", 0)
		if got := f.text(t, "usages/autre", 0); got != "[[usages/nouvelle-cible]]" {
			t.Fatalf("text = %q", got)
		}
	})
	t.Run("an edit sent to the old path is sent where the page went", func(t *testing.T) {
		_, err := f.svc.Save(f.ctx, f.editor, wiki.SaveRequest{Path: wiki.MustPath("usages/cible"), Markdown: "y", BaseRev: 1})
		var moved *wiki.MovedError
		if !errors.As(err, &moved) {
			t.Fatalf("Save(old, base 1) = %v", err)
		}
	})
	t.Run("a new page at the old path replaces the redirect", func(t *testing.T) {
		f.save(t, "usages/cible", "une autre cible", 0)
		if got := f.text(t, "usages/cible", 0); got != "une autre cible" {
			t.Fatalf("text = %q", got)
		}
	})
}

// A move and saves of a page that links to the moved one, at the same
// time: every save is acknowledged or refused as a conflict with nothing
// written, no acknowledged line is lost, and the link ends up naming the
// new path.
func TestService_MoveConcurrentSaves(t *testing.T) {
	f := newFixture(t, wiki.Config{})
	f.save(t, "usages/cible", "cible", 0)
	f.save(t, "usages/source", "Lien : [[usages/cible|la cible]].\n", 0)
	const writers = 4
	acked := make(chan string, writers*10)
	done := make(chan error, writers+1)
	for w := range writers {
		go func() {
			for i := range 10 {
				pv, err := f.svc.Page(f.ctx, f.editor, wiki.MustPath("usages/source"), 0)
				if err != nil {
					done <- err
					return
				}
				line := fmt.Sprintf("Ligne %d-%d.", w, i)
				_, err = f.svc.Save(f.ctx, f.editor, wiki.SaveRequest{Path: wiki.MustPath("usages/source"), Markdown: pv.Markdown + "\n" + line + "\n", BaseRev: pv.Rev})
				var conflict *wiki.ConflictError
				switch {
				case err == nil:
					acked <- line
				case !errors.As(err, &conflict):
					done <- err
					return
				}
			}
			done <- nil
		}()
	}
	go func() {
		_, err := f.svc.Move(f.ctx, f.editor, wiki.MoveRequest{From: wiki.MustPath("usages/cible"), To: wiki.MustPath("club/cible")})
		done <- err
	}()
	for range writers + 1 {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	close(acked)
	final := f.text(t, "usages/source", 0)
	if !strings.HasPrefix(final, "Lien : [[club/cible|la cible]].\n") {
		t.Fatalf("the link does not name the new path:\n%s", final)
	}
	n := 0
	for line := range acked {
		n++
		if !strings.Contains(final, line) {
			t.Errorf("acknowledged %q is missing", line)
		}
	}
	if n == 0 {
		t.Fatal("no save was acknowledged")
	}
}
