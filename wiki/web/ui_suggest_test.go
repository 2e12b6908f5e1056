package web

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// TestServer_SuggestThenEnter types into the header's box as a member
// does: whatever page the box suggests for what is typed, pressing Enter
// (the search page for the same text) lists it among what it found.
func TestServer_SuggestThenEnter(t *testing.T) {
	t.Parallel()
	e, sync := searchUIEnv(t)
	e.save("accompagnement/notifications-familles", "# Notifications aux familles\n\nLes parents reçoivent un message quand une absence est saisie.\n", 0, http.StatusCreated)
	e.save("usages/notation", "# Notation des élèves\n\nLes compétences remplacent les notes chiffrées.\n", 0, http.StatusCreated)
	e.save("assistance/connexion", "# Connexion impossible\n\nLes notifications n'arrivent plus après la mise à jour.\n", 0, http.StatusCreated)
	sync()
	b := e.signIn("edith")
	for _, typed := range []string{"notif", "Notif", "no", "nota", "notifications aux fam", "connex", "l'ENT notif"} {
		t.Run(typed, func(t *testing.T) {
			sugg := decode[struct {
				Pages []struct{ Path, Title string }
			}](t, b.get("/api/suggest?limit=8&q="+url.QueryEscape(typed)))
			doc := page(t, b.get("/search?q="+url.QueryEscape(typed)), http.StatusOK)
			found := map[string]bool{}
			doc.Find(".hits h3 a, .title-hits a").Each(func(_ int, a *goquery.Selection) {
				found[a.AttrOr("href", "")] = true
			})
			for _, sg := range sugg.Pages {
				if !found["/wiki/"+sg.Path] {
					t.Errorf("the box suggests %s (%q); Enter does not find it (found %v)", sg.Path, sg.Title, found)
				}
			}
			if len(sugg.Pages) > 0 && doc.Find("#none-title").Length() != 0 {
				t.Errorf("the box suggests %d pages; Enter says nothing matches", len(sugg.Pages))
			}
		})
	}
}
