package web

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/kdecole-club/clubwiki/wiki"
)

// The paragraphs of the diff page's test page.
var diffParas = []string{
	"# Connexion à l'ENT",
	"Le premier paragraphe ne change jamais, il reste plié dans la vue des mots.",
	"L'élève se connecte à l'ENT le matin avec son identifiant ÉduConnect.",
	"Les familles reçoivent leurs codes en début d'année par courrier, puis les activent en ligne.",
	"| Projet | État |\n|:--|--:|\n| e-lyco | résolu |",
	"Le dernier paragraphe ferme la page sans changer non plus.",
}

func diffPage(ps ...string) string { return strings.Join(ps, "\n\n") + "\n" }

// diffPageEnv saves four revisions: one word changed (2), a paragraph
// moved (3), a link and a list added (4).
func diffPageEnv(t *testing.T) (*testEnv, *browser) {
	e, _ := newUIEnv(t)
	p := diffParas
	e.save("usages/connexion", diffPage(p...), 0, http.StatusCreated)
	changed := strings.Replace(p[2], "matin", "soir", 1)
	ctx := context.Background()
	if _, err := e.svc.CreateUser(ctx, wiki.NewUser{Login: "ines", Name: "Inès Duval", Role: wiki.RoleEditor, Password: "mot-de-passe-solide"}); err != nil {
		t.Fatal(err)
	}
	tok, _, err := e.svc.CreateToken(ctx, wiki.System(), "ines", "tests")
	if err != nil {
		t.Fatal(err)
	}
	rec := e.do("PUT", "/api/pages/usages/connexion", tok, map[string]any{"markdown": diffPage(p[0], p[1], changed, p[3], p[4], p[5]), "base_rev": 1, "summary": "le soir"})
	wantStatusCode(t, rec, http.StatusOK)
	e.save("usages/connexion", diffPage(p[0], p[1], changed, p[4], p[5], p[3]), 2, http.StatusOK)
	e.save("usages/connexion", diffPage(p[0], p[1], changed, p[4], p[5], p[3], "- voir [[club/accueil]]\n- puis [le site](https://example.org/a?b=1)"), 3, http.StatusOK)
	return e, e.signIn("remi")
}

func TestUI_DiffWords(t *testing.T) {
	t.Parallel()
	e, b := diffPageEnv(t)
	t.Run("blank lines between two changes are not folded", func(t *testing.T) {
		e.save("usages/deux", "Premier paragraphe du matin.\n\nSecond paragraphe du matin.\n", 0, http.StatusCreated)
		e.save("usages/deux", "Premier paragraphe du soir.\n\nSecond paragraphe du soir.\n", 1, http.StatusOK)
		doc := page(t, b.get("/diff/usages/deux?from=1&to=2&view=mots"), http.StatusOK)
		if n := doc.Find("details.wd-same").Length(); n != 0 {
			t.Errorf("%d folded blocks: %q", n, texts2(doc, "details.wd-same summary"))
		}
		if got := texts(doc, ".wdiff ins"); got != "soir|soir" {
			t.Errorf("inserted %q", got)
		}
	})
	t.Run("word view by default: one word marked", func(t *testing.T) {
		doc := page(t, b.get("/diff/usages/connexion?from=1&to=2"), http.StatusOK)
		if got := texts(doc, ".wdiff del.diff-del"); got != "matin" {
			t.Errorf("deleted %q, want matin", got)
		}
		if got := texts(doc, ".wdiff ins.diff-ins"); got != "soir" {
			t.Errorf("inserted %q, want soir", got)
		}
		changed := doc.Find(".wd-changed .wd-text")
		if !strings.Contains(changed.Text(), "L'élève se connecte à l'ENT le") {
			t.Errorf("the changed paragraph is not shown whole: %q", changed.Text())
		}
		same := doc.Find("details.wd-same")
		if same.Length() < 2 || !strings.Contains(same.Text(), "ne change jamais") || doc.Find("details.wd-same[open]").Length() != 0 {
			t.Errorf("unchanged paragraphs not folded: %d details", same.Length())
		}
		if doc.Find(".diff-views a[aria-current=page][href$='view=mots']").Length() != 1 {
			t.Error("the word view is not the current one")
		}
	})
	t.Run("side by side", func(t *testing.T) {
		doc := page(t, b.get("/diff/usages/connexion?from=1&to=2&view=cote"), http.StatusOK)
		if got := texts(doc, ".wd-old del.diff-del"); got != "matin" {
			t.Errorf("old side deleted %q", got)
		}
		if got := texts(doc, ".wd-new ins.diff-ins"); got != "soir" {
			t.Errorf("new side inserted %q", got)
		}
		if doc.Find(".wd-old ins, .wd-new del").Length() != 0 {
			t.Error("a side shows the other side's changes")
		}
	})
	t.Run("a moved paragraph reads as moved", func(t *testing.T) {
		doc := page(t, b.get("/diff/usages/connexion?from=2&to=3&view=mots"), http.StatusOK)
		from, to := doc.Find(".wd-moved-from"), doc.Find(".wd-moved-to")
		if from.Length() != 1 || to.Length() != 1 {
			t.Fatalf("moved blocks: %d from, %d to", from.Length(), to.Length())
		}
		fromID, _ := from.Attr("id")
		toID, _ := to.Attr("id")
		if href, _ := from.Find(".moved-note a").Attr("href"); href != "#"+toID {
			t.Errorf("old place links to %q, want #%s", href, toID)
		}
		if href, _ := to.Find(".moved-note a").Attr("href"); href != "#"+fromID {
			t.Errorf("new place links to %q, want #%s", href, fromID)
		}
		if !strings.Contains(to.Text(), "déplacé") || !strings.Contains(to.Text(), "Les familles") {
			t.Errorf("moved block: %q", to.Text())
		}
		if doc.Find(".wd-moved-to del, .wd-moved-to ins").Length() != 0 {
			t.Error("a paragraph moved unchanged is marked as written anew")
		}
	})
	t.Run("both revisions named", func(t *testing.T) {
		doc := page(t, b.get("/diff/usages/connexion?from=1&to=2"), http.StatusOK)
		if got := text(doc, ".diff-rev-to .author"); got != "Inès Duval" {
			t.Errorf("author = %q", got)
		}
		if got, _ := doc.Find(".diff-rev-to .author").Attr("title"); got != "ines" {
			t.Errorf("login = %q", got)
		}
		if text(doc, ".diff-rev-from time") == "" || text(doc, ".diff-rev-to .summary") != "le soir" {
			t.Errorf("revisions: %q", text(doc, ".diff-revs"))
		}
		doc = page(t, b.get("/diff/usages/connexion?from=0&to=1"), http.StatusOK)
		if !strings.Contains(text(doc, ".diff-rev-from"), "Page vide") {
			t.Errorf("from 0: %q", text(doc, ".diff-rev-from"))
		}
	})
	t.Run("previous and next walk one change at a time", func(t *testing.T) {
		for _, c := range []struct{ target, prev, next string }{
			{"/diff/usages/connexion?from=1&to=2", "/diff/usages/connexion?from=0&to=1", "/diff/usages/connexion?from=2&to=3"},
			{"/diff/usages/connexion?to=1", "", "/diff/usages/connexion?from=1&to=2"},
			{"/diff/usages/connexion", "/diff/usages/connexion?from=2&to=3", ""},
			{"/diff/usages/connexion?from=1&to=4", "/diff/usages/connexion?from=2&to=3", ""},
		} {
			doc := page(t, b.get(c.target), http.StatusOK)
			prev, _ := doc.Find("a[rel=prev]").Attr("href")
			next, _ := doc.Find("a[rel=next]").Attr("href")
			if prev != c.prev || next != c.next {
				t.Errorf("%s: prev %q next %q, want %q %q", c.target, prev, next, c.prev, c.next)
			}
		}
	})
	t.Run("unified view still there", func(t *testing.T) {
		doc := page(t, b.get("/diff/usages/connexion?from=1&to=2&view=unifiee"), http.StatusOK)
		if doc.Find("table.diff tr.add").Length() != 1 || doc.Find(".wdiff").Length() != 0 {
			t.Error("no unified table")
		}
	})
	t.Run("a bad view is a 400", func(t *testing.T) {
		page(t, b.get("/diff/usages/connexion?view=<script>"), http.StatusBadRequest)
	})
}

func TestUI_DiffViewRemembered(t *testing.T) {
	t.Parallel()
	_, b := diffPageEnv(t)
	page(t, b.get("/diff/usages/connexion?from=1&to=2&view=cote"), http.StatusOK)
	if b.cookies[diffViewCookie] != viewSide {
		t.Fatalf("cookie = %q", b.cookies[diffViewCookie])
	}
	doc := page(t, b.get("/diff/usages/connexion?from=2&to=3"), http.StatusOK)
	if doc.Find(".wdiff-side").Length() != 1 {
		t.Error("the side by side view was not remembered")
	}
	// The walk links carry no view: they keep the one chosen.
	if href, _ := doc.Find("a[rel=prev]").Attr("href"); strings.Contains(href, "view=") {
		t.Errorf("prev link %q", href)
	}
	page(t, b.get("/diff/usages/connexion?view=unifiee"), http.StatusOK)
	if doc := page(t, b.get("/diff/usages/connexion"), http.StatusOK); doc.Find("table.diff").Length() != 1 {
		t.Error("the unified view was not remembered")
	}
	b.cookies[diffViewCookie] = "n'importe quoi"
	if doc := page(t, b.get("/diff/usages/connexion?from=1&to=2"), http.StatusOK); doc.Find(".wdiff").Length() != 1 {
		t.Error("a bad cookie does not fall back to the word view")
	}
}

func TestUI_DiffRendered(t *testing.T) {
	t.Parallel()
	_, b := diffPageEnv(t)
	t.Run("one word marked in the formatted page", func(t *testing.T) {
		doc := page(t, b.get("/diff/usages/connexion?from=1&to=2&view=rendu"), http.StatusOK)
		if got := texts(doc, ".rdiff p del.diff-del"); got != "matin" {
			t.Errorf("deleted %q", got)
		}
		if got := texts(doc, ".rdiff p ins.diff-ins"); got != "soir" {
			t.Errorf("inserted %q", got)
		}
		if doc.Find(".rdiff .rd-marked p").Length() != 1 {
			t.Error("the changed paragraph is not one marked block")
		}
		if doc.Find(".rdiff details.rd-fold table").Length()+doc.Find(".rdiff .rd-same table").Length() == 0 {
			t.Error("the table is not rendered")
		}
		if doc.Find(".rdiff h1").Length() != 1 {
			t.Error("the heading is not rendered")
		}
	})
	t.Run("links and lists added", func(t *testing.T) {
		doc := page(t, b.get("/diff/usages/connexion?from=3&to=4&view=rendu"), http.StatusOK)
		added := doc.Find(".rd-ins ul li")
		if added.Length() != 2 {
			t.Fatalf("added list items: %d; page %s", added.Length(), doc.Find(".rdiff").Text())
		}
		if doc.Find(".rd-ins a.wikilink[href='/wiki/club/accueil']").Length() != 1 || doc.Find(".rd-ins a[href='https://example.org/a?b=1']").Length() != 1 {
			t.Error("links not rendered")
		}
	})
	t.Run("front matter shown as source", func(t *testing.T) {
		e, b := diffPageEnv(t)
		e.save("usages/typee", "---\ntype: resolution\nstatut: ouvert\n---\n# Typée\n\nTexte.\n", 0, http.StatusCreated)
		e.save("usages/typee", "---\ntype: resolution\nstatut: resolu\n---\n# Typée\n\nTexte.\n", 1, http.StatusOK)
		doc := page(t, b.get("/diff/usages/typee?from=1&to=2&view=rendu"), http.StatusOK)
		if got := texts(doc, ".rd-del pre.source"); !strings.Contains(got, "statut: ouvert") {
			t.Errorf("old front matter %q", got)
		}
		if got := texts(doc, ".rd-ins pre.source"); !strings.Contains(got, "statut: resolu") {
			t.Errorf("new front matter %q", got)
		}
	})
	t.Run("no closing line: no front matter", func(t *testing.T) {
		e, b := diffPageEnv(t)
		e.save("usages/regle", "---\n\nTexte sous une règle.\n", 0, http.StatusCreated)
		e.save("usages/regle", "---\n\nTexte sous une règle, revu.\n", 1, http.StatusOK)
		doc := page(t, b.get("/diff/usages/regle?from=1&to=2&view=rendu"), http.StatusOK)
		if doc.Find(".rdiff hr").Length() != 1 || !strings.Contains(doc.Find(".rdiff").Text(), "Texte sous une règle") {
			t.Errorf("page %q", doc.Find(".rdiff").Text())
		}
	})
	t.Run("front matter of the old text only", func(t *testing.T) {
		e, b := diffPageEnv(t)
		e.save("usages/sans", "---\ntitle: Avant\n---\n# Sans\n\nTexte.\n", 0, http.StatusCreated)
		e.save("usages/sans", "# Sans\n\nTexte.\n", 1, http.StatusOK)
		doc := page(t, b.get("/diff/usages/sans?from=1&to=2&view=rendu"), http.StatusOK)
		if !strings.Contains(texts(doc, ".rd-del"), "title: Avant") || doc.Find(".rdiff h1").Length() != 1 {
			t.Errorf("page %q", doc.Find(".rdiff").Text())
		}
	})
	t.Run("a deletion", func(t *testing.T) {
		e, b := diffPageEnv(t)
		if rec := e.do("DELETE", "/api/pages/usages/connexion", e.editor, nil); rec.Code != http.StatusOK {
			t.Fatal(rec.Code)
		}
		for _, view := range diffViews {
			doc := page(t, b.get("/diff/usages/connexion?from=4&to=5&view="+view), http.StatusOK)
			if doc.Find("main del, .rd-del, table.diff tr.del").Length() == 0 {
				t.Errorf("%s: nothing removed", view)
			}
		}
	})
	t.Run("moved paragraph", func(t *testing.T) {
		doc := page(t, b.get("/diff/usages/connexion?from=2&to=3&view=rendu"), http.StatusOK)
		from, to := doc.Find(".rd-moved-from"), doc.Find(".rd-moved-to")
		if from.Length() != 1 || to.Length() != 1 {
			t.Fatalf("moved: %d %d", from.Length(), to.Length())
		}
		toID, _ := to.Attr("id")
		if href, _ := from.Find(".moved-note a").Attr("href"); toID == "" || href != "#"+toID {
			t.Errorf("old place links to %q, new place is %q", href, toID)
		}
	})
}

// texts2 returns the texts of every match of sel.
func texts2(doc *goquery.Document, sel string) []string {
	return doc.Find(sel).Map(func(_ int, s *goquery.Selection) string { return s.Text() })
}

// texts joins the texts of every match of sel with "|".
func texts(doc *goquery.Document, sel string) string {
	var out []string
	doc.Find(sel).Each(func(_ int, s *goquery.Selection) { out = append(out, s.Text()) })
	return strings.Join(out, "|")
}
