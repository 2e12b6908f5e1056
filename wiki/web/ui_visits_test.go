package web

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/kdecole-club/clubwiki/assets"
	"github.com/kdecole-club/clubwiki/wiki"
)

// saveAs saves path as login through the service, on top of base.
func (e *testEnv) saveAs(login, path, md string, base int) {
	e.t.Helper()
	u, err := e.store.User(context.Background(), login)
	if err != nil {
		e.t.Fatal(err)
	}
	if _, err := e.svc.Save(context.Background(), &u, wiki.SaveRequest{Path: wiki.MustPath(path), Markdown: md, BaseRev: base}); err != nil {
		e.t.Fatalf("Save %s as %s: %v", path, login, err)
	}
}

func TestUI_SinceLastVisit(t *testing.T) {
	t.Parallel()
	e, _ := newUIEnv(t)
	ctx := context.Background()
	for _, n := range []string{"Anne Martin", "Bruno Petit"} {
		login := strings.ToLower(strings.Fields(n)[0])
		if _, err := e.svc.CreateUser(ctx, wiki.NewUser{Login: login, Name: n, Role: wiki.RoleEditor, Password: "mot-de-passe-solide"}); err != nil {
			t.Fatal(err)
		}
	}
	e.saveAs("anne", "usages/cahier", "# Cahier\n\nUn.", 0)
	remi := e.signIn("remi")
	banner := func(t *testing.T) *strings.Builder {
		t.Helper()
		doc := page(t, remi.get("/wiki/usages/cahier"), http.StatusOK)
		var b strings.Builder
		if doc.Find(".banner.since").Length() > 0 {
			b.WriteString(text(doc, ".banner.since"))
			href, _ := doc.Find(".banner.since a").Attr("href")
			b.WriteString(" → " + href)
		}
		return &b
	}
	t.Run("no banner on a first visit", func(t *testing.T) {
		if b := banner(t); b.Len() != 0 {
			t.Fatalf("banner on a first visit: %s", b)
		}
	})
	t.Run("no banner when nothing changed", func(t *testing.T) {
		if b := banner(t); b.Len() != 0 {
			t.Fatalf("banner with nothing new: %s", b)
		}
	})
	t.Run("authors since, display names, one link to the diff", func(t *testing.T) {
		e.saveAs("bruno", "usages/cahier", "# Cahier\n\nDeux.", 1)
		e.saveAs("anne", "usages/cahier", "# Cahier\n\nTrois.", 2)
		e.saveAs("bruno", "usages/cahier", "# Cahier\n\nQuatre.", 3)
		b := banner(t).String()
		want := "Modifiée depuis votre dernière visite par Bruno Petit et Anne Martin."
		if !strings.Contains(b, want) || !strings.HasSuffix(b, "→ /diff/usages/cahier?from=1&to=4") {
			t.Fatalf("banner = %q, want %q and the diff 1→4", b, want)
		}
	})
	t.Run("gone once seen", func(t *testing.T) {
		if b := banner(t); b.Len() != 0 {
			t.Fatalf("banner after seeing the head: %s", b)
		}
	})
	t.Run("the diff link works", func(t *testing.T) {
		page(t, remi.get("/diff/usages/cahier?from=1&to=4"), http.StatusOK)
	})
	t.Run("the article cache does not carry one member's banner", func(t *testing.T) {
		e.saveAs("anne", "usages/cahier", "# Cahier\n\nCinq.", 4)
		edith := e.signIn("edith")
		if doc := page(t, edith.get("/wiki/usages/cahier"), http.StatusOK); doc.Find(".banner.since").Length() != 0 {
			t.Fatal("a member who never came sees a banner")
		}
		if b := banner(t).String(); !strings.Contains(b, "Anne Martin.") {
			t.Fatalf("banner = %q", b)
		}
	})
}

func TestJoinNames(t *testing.T) {
	t.Parallel()
	cats, err := loadCatalogs(assets.I18n(), time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	fr := cats["fr"]
	cases := []struct {
		names []string
		more  int
		want  string
	}{
		{[]string{"A"}, 0, "A"},
		{[]string{"A", "B"}, 0, "A et B"},
		{[]string{"A", "B", "C"}, 0, "A, B et C"},
		{[]string{"A", "B"}, 3, "A, B et 3 autres"},
	}
	for _, c := range cases {
		if got := joinNames(fr, c.names, c.more); got != c.want {
			t.Errorf("joinNames(%v, %d) = %q, want %q", c.names, c.more, got, c.want)
		}
	}
}

func TestUI_ChangesUnseen(t *testing.T) {
	t.Parallel()
	e, _ := newUIEnv(t)
	e.saveAs("edith", "usages/vu", "# Vu\n\nUn.", 0)
	e.saveAs("edith", "usages/pas-vu", "# Pas vu\n\nUn.", 0)
	remi := e.signIn("remi")
	page(t, remi.get("/wiki/usages/vu"), http.StatusOK)
	page(t, remi.get("/wiki/usages/pas-vu"), http.StatusOK)
	e.saveAs("edith", "usages/pas-vu", "# Pas vu\n\nDeux.", 1)
	doc := page(t, remi.get("/changes"), http.StatusOK)
	var unseen, seen []string
	doc.Find("ol.changes li").Each(func(_ int, li *goquery.Selection) {
		diff, _ := li.Find(`a[href^="/diff/"]`).Attr("href")
		href, _ := li.Find(`a[href^="/wiki/"]`).Attr("href")
		if li.HasClass("unseen") {
			unseen = append(unseen, href+" "+diff)
		} else {
			seen = append(seen, href+" "+diff)
		}
	})
	if len(unseen) != 1 || !strings.Contains(unseen[0], "/wiki/usages/pas-vu /diff/usages/pas-vu?from=1&to=2") {
		t.Fatalf("unseen = %q, seen = %q; want only pas-vu's second revision", unseen, seen)
	}
	if doc.Find("li.unseen .unseen-mark").Length() != 1 {
		t.Fatal("the unseen change has no visible mark")
	}
}

func TestServer_VisitsPolicy(t *testing.T) {
	t.Parallel()
	e := newTestEnvWith(t, envOptions{readRule: hideMarchesFrom("remi"), server: Options{LoginDelay: -1}})
	e.saveAs("edith", "marches/appel", "# Appel secret\n\nUn.", 0)
	remi := e.signIn("remi")
	wantStatusCode(t, remi.get("/wiki/marches/appel"), http.StatusNotFound)
	wantError(t, e.do("GET", "/api/pages/marches/appel?seen=1", e.reader, nil), http.StatusNotFound, "not_found")
	e.svc.FlushVisits(context.Background())
	got, err := e.store.Visits(context.Background(), "remi", []wiki.Path{wiki.MustPath("marches/appel")})
	if err != nil || len(got) != 0 {
		t.Fatalf("a visit of a page remi may not read was recorded: %v, %v", got, err)
	}
	rec := remi.get("/changes")
	wantStatusCode(t, rec, http.StatusOK)
	if strings.Contains(rec.Body.String(), "marches") || strings.Contains(rec.Body.String(), "Appel secret") {
		t.Fatal("the changes page shows the hidden namespace")
	}
}
