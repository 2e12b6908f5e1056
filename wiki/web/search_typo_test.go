package web

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
)

// typoSearchT is the additions of a search answer for typed words.
type typoSearchT struct {
	Total       int `json:"total"`
	Corrections []struct {
		Word string `json:"word"`
		To   string `json:"to"`
	} `json:"corrections"`
	DidYouMean string `json:"did_you_mean"`
	Hits       []struct {
		Path    string `json:"path"`
		Matches []struct {
			Word   string   `json:"word"`
			Found  string   `json:"found"`
			How    string   `json:"how"`
			Fields []string `json:"fields"`
		} `json:"matches"`
		Scores map[string]float64 `json:"scores"`
	} `json:"hits"`
}

// TestServer_SearchTypo checks the API's corrections, explanations and
// scores per field (?debug=1).
func TestServer_SearchTypo(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	sync := withSearch(t, e)
	e.save("assistance/notifications", "# Notifications aux parents\n\nLes parents reçoivent une notification à chaque absence.\n", 0, http.StatusCreated)
	sync()
	get := func(t *testing.T, query string) typoSearchT {
		rec := e.do("GET", "/api/search?"+query, e.reader, nil)
		wantStatusCode(t, rec, http.StatusOK)
		return decode[typoSearchT](t, rec)
	}
	t.Run("correction", func(t *testing.T) {
		res := get(t, "q=notfication")
		if res.Total != 1 || len(res.Corrections) != 1 || res.Corrections[0].To != "notification" {
			t.Fatalf("answer %+v, want one hit and notfication corrected", res)
		}
		if m := res.Hits[0].Matches; len(m) != 1 || m[0].How != "corrected" || m[0].Found != "notification" || m[0].Word != "notfication" {
			t.Errorf("matches %+v", m)
		}
		if res.Hits[0].Scores != nil {
			t.Errorf("scores without debug: %v", res.Hits[0].Scores)
		}
	})
	t.Run("quoted word not corrected", func(t *testing.T) {
		if res := get(t, "q="+url.QueryEscape(`"notfication"`)); res.Total != 0 || len(res.Corrections) != 0 {
			t.Errorf("answer %+v, want nothing", res)
		}
	})
	t.Run("debug scores", func(t *testing.T) {
		res := get(t, "q=parents&debug=1")
		if len(res.Hits) == 0 || res.Hits[0].Scores["title"] <= 0 || res.Hits[0].Scores["text"] <= 0 {
			t.Fatalf("answer %+v, want scores of title and text", res)
		}
		if m := res.Hits[0].Matches; len(m) != 1 || !slices.Contains(m[0].Fields, "title") {
			t.Errorf("matches %+v", m)
		}
	})
}

// TestServer_SearchPageCorrection checks the correction line and the
// « pourquoi ce résultat ? » of each hit.
func TestServer_SearchPageCorrection(t *testing.T) {
	t.Parallel()
	e, sync := searchUIEnv(t)
	e.save("assistance/notifications", "# Notifications aux parents\n\nLes parents reçoivent une notification à chaque absence.\n", 0, http.StatusCreated)
	sync()
	b := e.signIn("remi")
	doc := page(t, b.get("/search?q=notfication"), http.StatusOK)
	line := strings.Join(strings.Fields(doc.Find("p.correction").Text()), " ")
	if line != "Résultats pour notification — rechercher plutôt notfication" {
		t.Errorf("correction line %q", line)
	}
	href, _ := doc.Find("p.correction a").Attr("href")
	if u, err := url.Parse(href); err != nil || u.Query().Get("q") != `"notfication"` {
		t.Errorf("search instead links to %q", href)
	}
	why := doc.Find("li.hit details.why")
	if why.Find("summary").Text() != "pourquoi ce résultat ?" || !strings.Contains(why.Find("li").Text(), "« notfication » corrigé en « notification », dans le titre") {
		t.Errorf("why: %q", why.Text())
	}
	instead := page(t, b.get(href), http.StatusOK)
	if instead.Find("p.correction").Length() != 0 || instead.Find("li.hit").Length() != 0 {
		t.Errorf("the search of the word as typed corrects or finds it")
	}
}

// TestServer_SearchPageDidYouMean checks « Vouliez-vous dire … ? » when a
// word found in one page is near a word of many.
func TestServer_SearchPageDidYouMean(t *testing.T) {
	t.Parallel()
	e, sync := searchUIEnv(t)
	for i, p := range []string{"a", "b", "c", "d"} {
		e.save("assistance/reunion-"+p, "# Réunion "+p+"\n\nLa réunion numéro "+string(rune('1'+i))+".\n", 0, http.StatusCreated)
	}
	e.save("assistance/note", "# Note\n\nUne réunon mal écrite.\n", 0, http.StatusCreated)
	sync()
	doc := page(t, e.signIn("remi").get("/search?q=r%C3%A9unon"), http.StatusOK)
	line := strings.Join(strings.Fields(doc.Find("p.did-you-mean").Text()), " ")
	href, _ := doc.Find("p.did-you-mean a").Attr("href")
	if line != "Vouliez-vous dire reunion ?" || href != "/search?q=reunion" {
		t.Errorf("did you mean %q → %q", line, href)
	}
}
