package wiki_test

import (
	"testing"

	"github.com/kdecole-club/clubwiki/wiki"
)

func TestService_Review(t *testing.T) {
	f := newFixture(t, wiki.Config{})
	admin := f.user(t, "chef", wiki.RoleAdmin)
	p := wiki.MustPath("usages/relue")
	f.save(t, p.String(), "un", 0)
	f.save(t, p.String(), "deux", 1)
	t.Run("reader refused", func(t *testing.T) {
		if _, err := f.svc.Review(f.ctx, f.reader, p, 1); wiki.ErrorCode(err) != wiki.EForbidden {
			t.Fatalf("Review by a reader: %v", err)
		}
	})
	t.Run("first reviewer stays", func(t *testing.T) {
		m, err := f.svc.Review(f.ctx, f.editor, p, 1)
		if err != nil || m.By != "camille" {
			t.Fatalf("Review = %+v, %v", m, err)
		}
		if m, err = f.svc.Review(f.ctx, admin, p, 1); err != nil || m.By != "camille" {
			t.Fatalf("second Review = %+v, %v", m, err)
		}
	})
	t.Run("history carries it", func(t *testing.T) {
		revs, err := f.svc.History(f.ctx, f.reader, p, 0, 0)
		if err != nil || len(revs) != 2 || revs[0].ReviewedBy != "" || revs[1].ReviewedBy != "camille" {
			t.Fatalf("History = %+v, %v", revs, err)
		}
	})
	t.Run("no such revision", func(t *testing.T) {
		for _, rev := range []int{0, -1, 3} {
			if _, err := f.svc.Review(f.ctx, f.editor, p, rev); wiki.ErrorCode(err) != wiki.ENotFound {
				t.Errorf("Review(rev %d): %v", rev, err)
			}
		}
	})
	t.Run("unreviewed changes", func(t *testing.T) { // the seed's usages/accueil too
		chs, err := f.svc.RecentChanges(f.ctx, f.reader, wiki.ChangeQuery{Unreviewed: true, Namespace: "usages"})
		if err != nil || len(chs) == 0 || chs[0].Path != p || chs[0].Rev != 2 || (len(chs) > 1 && chs[1].Path == p) {
			t.Fatalf("RecentChanges = %+v, %v", chs, err)
		}
	})
}

func TestService_DisplayNames(t *testing.T) {
	f := newFixture(t, wiki.Config{})
	if _, err := f.svc.CreateUser(f.ctx, wiki.NewUser{Login: "bea", Name: "Béatrice", Role: wiki.RoleEditor, Password: "un mot de passe long"}); err != nil {
		t.Fatal(err)
	}
	got, err := f.svc.DisplayNames(f.ctx, f.reader, []string{"bea", "parti", "bea"})
	if err != nil || got["bea"] != "Béatrice" || got["parti"] != "parti" {
		t.Fatalf("DisplayNames = %v, %v", got, err)
	}
	if _, err := f.svc.DisplayNames(f.ctx, nil, []string{"bea"}); wiki.ErrorCode(err) != wiki.EUnauthenticated {
		t.Fatalf("anonymous: %v", err)
	}
}

func TestService_Prefs(t *testing.T) {
	f := newFixture(t, wiki.Config{})
	want := wiki.Prefs{Changes: wiki.ChangeFilters{HideMine: true}}
	if err := f.svc.SetPrefs(f.ctx, f.reader, want); err != nil {
		t.Fatal(err)
	}
	if got, err := f.svc.Prefs(f.ctx, f.reader); err != nil || got != want {
		t.Fatalf("Prefs = %+v, %v", got, err)
	}
	if got, _ := f.svc.Prefs(f.ctx, f.editor); got != (wiki.Prefs{}) {
		t.Fatalf("another member's = %+v", got)
	}
	q := want.Changes.Query(wiki.ChangeQuery{Limit: 5}, f.reader)
	if q.NotAuthor != "lecteur" || q.Limit != 5 {
		t.Fatalf("Query = %+v", q)
	}
}
