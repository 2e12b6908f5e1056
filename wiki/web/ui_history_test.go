package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestServer_HistoryAndDiff(t *testing.T) {
	t.Parallel()
	e, _ := newUIEnv(t)
	e.save("club/reunion", "# Réunion\n\nordre du jour\n", 0, http.StatusCreated)
	e.save("club/reunion", "# Réunion\n\nordre du jour\n\ncompte rendu\n", 1, http.StatusOK)
	b := e.signIn("edith")
	t.Run("history", func(t *testing.T) {
		doc := page(t, b.get("/history/club/reunion"), http.StatusOK)
		if n := doc.Find("table.history tbody tr").Length(); n != 2 {
			t.Fatalf("%d rows, want 2", n)
		}
		if doc.Find("form[action='/diff/club/reunion'][method=get] input[name=from][value='1'][checked]").Length() != 1 {
			t.Error("from radio not preselected")
		}
		if got := text(doc, "table.history tbody tr td.delta"); got != "+14" {
			t.Errorf("size change = %q", got)
		}
		if doc.Find("a[href='/wiki/club/reunion?rev=1']").Length() != 1 || doc.Find("a[href='/revert/club/reunion?rev=1']").Length() != 1 {
			t.Error("no view or revert link for revision 1")
		}
		if got := text(doc, "main h1"); got != "Historique de « Réunion »" {
			t.Errorf("heading = %q, want the page's title", got)
		}
		if doc.Find("a[href='/revert/club/reunion?rev=2']").Length() != 0 || text(doc, "table.history tbody tr:first-child .current") == "" {
			t.Error("the current revision offers a revert to itself instead of saying it is current")
		}
		doc = page(t, e.signIn("remi").get("/history/club/reunion"), http.StatusOK)
		if doc.Find("a[href^='/revert/']").Length() != 0 {
			t.Error("a reader sees revert links")
		}
	})
	t.Run("diff", func(t *testing.T) {
		doc := page(t, b.get("/diff/club/reunion?from=1&to=2&view=unifiee"), http.StatusOK)
		add := doc.Find("table.diff tr.add")
		if add.Length() != 2 || !strings.Contains(add.Text(), "compte rendu") {
			t.Errorf("added lines: %q", add.Text())
		}
		if got := text(doc, "table.diff tr.add td.num:nth-child(2)"); got != "4" {
			t.Errorf("new line number = %q, want 4", got)
		}
		if !strings.Contains(text(doc, ".stats .added"), "2") {
			t.Errorf("stats = %q", text(doc, ".stats"))
		}
		if got := text(doc, "main h1"); got != "« Réunion » : révisions 1 → 2" {
			t.Errorf("heading = %q, want the page's title", got)
		}
		page(t, b.get("/diff/club/reunion?from=1&to=9"), http.StatusBadRequest)
		page(t, b.get("/diff/club/reunion?from=x"), http.StatusBadRequest)
		page(t, b.get("/diff/club/reunion?to=x"), http.StatusBadRequest)
		// Radio buttons picked the other way round still read old → new.
		doc = page(t, b.get("/diff/club/reunion?from=2&to=1"), http.StatusOK)
		if got := text(doc, "main h1"); got != "« Réunion » : révisions 1 → 2" {
			t.Errorf("reversed from/to: heading = %q", got)
		}
	})
	t.Run("revert", func(t *testing.T) {
		doc := page(t, b.get("/revert/club/reunion?rev=1"), http.StatusOK)
		if got := text(doc, "main h1"); got != "Rétablir « Réunion » à la révision 1" {
			t.Errorf("heading = %q", got)
		}
		if doc.Find("form[method=post][action='/revert/club/reunion'] input[name=rev][value='1']").Length() != 1 {
			t.Error("no confirmation form")
		}
		wantRedirect(t, b.post("/revert/club/reunion", url.Values{"rev": {"1"}}), http.StatusSeeOther, "/wiki/club/reunion")
		if h := e.history("club/reunion"); h.Revisions[0].Rev != 3 || h.Revisions[0].Summary == "" {
			t.Errorf("history after revert: %+v", h.Revisions[0])
		}
		page(t, e.signIn("remi").post("/revert/club/reunion", url.Values{"rev": {"1"}}), http.StatusForbidden)
		for _, bad := range []string{"", "0", "-1", "un"} {
			page(t, b.get("/revert/club/reunion?rev="+bad), http.StatusBadRequest)
			page(t, b.post("/revert/club/reunion", url.Values{"rev": {bad}}), http.StatusBadRequest)
		}
		if got := len(e.history("club/reunion").Revisions); got != 3 {
			t.Errorf("a bad rev made a revision: %d", got)
		}
		// Refused by the service (a summary over 1000 bytes): the form
		// comes back with why and the typed summary.
		long := strings.Repeat("résumé ", 200)
		doc = page(t, b.post("/revert/club/reunion", url.Values{"rev": {"2"}, "summary": {long}}), http.StatusBadRequest)
		if doc.Find(".error[role=alert]").Length() != 1 || doc.Find("input#summary").AttrOr("value", "") != long {
			t.Errorf("refused revert: no message or summary lost")
		}
	})
	t.Run("delete", func(t *testing.T) {
		if got := text(page(t, b.get("/delete/club/reunion"), http.StatusOK), "main h1"); got != "Supprimer « Réunion »" {
			t.Errorf("heading = %q", got)
		}
		wantRedirect(t, b.post("/delete/club/reunion", url.Values{"summary": {"doublon"}}), http.StatusSeeOther, "/history/club/reunion")
		doc := page(t, b.get("/wiki/club/reunion"), http.StatusNotFound)
		if doc.Find("a[href='/history/club/reunion']").Length() != 1 {
			t.Error("deleted page without a history link")
		}
		doc = page(t, b.post("/delete/club/reunion", url.Values{"summary": {"encore"}}), http.StatusNotFound)
		if got := doc.Find("input#summary").AttrOr("value", ""); got != "encore" || doc.Find(".error[role=alert]").Length() != 1 {
			t.Errorf("refused delete: summary %q, message shown %v", got, doc.Find(".error").Length() == 1)
		}
	})
}

func TestServer_BacklinksAndChanges(t *testing.T) {
	t.Parallel()
	e, _ := newUIEnv(t)
	e.save("usages/cible", "# Cible\n", 0, http.StatusCreated)
	e.save("assistance/source", "# Source\n\n[[usages/cible]]\n", 0, http.StatusCreated)
	b := e.signIn("remi")
	doc := page(t, b.get("/backlinks/usages/cible"), http.StatusOK)
	if doc.Find(".index a[href='/wiki/assistance/source']").Length() != 1 {
		t.Error("backlink missing")
	}
	if got := text(doc, "main h1"); got != "Pages qui pointent vers « Cible »" {
		t.Errorf("heading = %q, want the page's title", got)
	}
	doc = page(t, b.get("/changes"), http.StatusOK)
	if n := doc.Find("ol.changes li").Length(); n != 2 {
		t.Errorf("%d changes, want 2", n)
	}
	if got := text(doc, "ol.changes li a[href='/wiki/assistance/source']"); got != "Source" {
		t.Errorf("recent changes name the page %q, want its title", got)
	}
	doc = page(t, b.get("/changes?ns=usages"), http.StatusOK)
	if n := doc.Find("ol.changes li").Length(); n != 1 || doc.Find("select#ns option[selected][value=usages]").Length() != 1 {
		t.Errorf("filtered: %d changes", n)
	}
	page(t, b.get("/changes?ns=inconnu"), http.StatusBadRequest)
	doc = page(t, b.get("/changes?limit=1"), http.StatusOK)
	if doc.Find("a[href='/changes?ns=&limit=51']").Length() != 1 {
		t.Error("no 'more' link")
	}
}

func TestServer_Settings(t *testing.T) {
	t.Parallel()
	e, _ := newUIEnv(t)
	b := e.signIn("remi")
	if got := text(page(t, b.get("/settings"), http.StatusOK), "#signed-in"); !strings.Contains(got, "(rôle : lecteur)") {
		t.Errorf("role not in the reader's language: %q", got)
	}
	t.Run("tokens", func(t *testing.T) {
		doc := page(t, b.post("/settings/tokens", url.Values{"label": {"mon script"}}), http.StatusOK)
		tok := text(doc, "#new-token")
		if !strings.HasPrefix(tok, "cw_") {
			t.Fatalf("new token not shown: %q", tok)
		}
		wantStatusCode(t, e.do("GET", "/api/namespaces", tok, nil), http.StatusOK)
		doc = page(t, b.get("/settings"), http.StatusOK)
		if doc.Find("#new-token").Length() != 0 {
			t.Error("token shown twice")
		}
		var action string
		for _, f := range doc.Find("form[action$='/revoke']").EachIter() {
			if strings.Contains(f.Closest("tr").Text(), "mon script") {
				action = f.AttrOr("action", "")
			}
		}
		wantRedirect(t, b.post(action, nil), http.StatusSeeOther, "/settings")
		wantStatusCode(t, e.do("GET", "/api/namespaces", tok, nil), http.StatusUnauthorized)
	})
	t.Run("password", func(t *testing.T) {
		other := e.signIn("remi")
		for _, f := range []url.Values{
			{"current": {"mot-de-passe-solide"}, "password": {"nouveau-secret-1"}, "confirm": {"autre-chose-1"}},
			{"current": {"mot-de-passe-solide"}, "password": {"court"}, "confirm": {"court"}},
			{"current": {"faux-mot-de-passe"}, "password": {"nouveau-secret-1"}, "confirm": {"nouveau-secret-1"}},
		} {
			doc := page(t, b.post("/settings/password", f), http.StatusBadRequest)
			if text(doc, ".error") == "" {
				t.Error("no message")
			}
		}
		ok := url.Values{"current": {"mot-de-passe-solide"}, "password": {"nouveau-secret-1"}, "confirm": {"nouveau-secret-1"}}
		wantRedirect(t, b.post("/settings/password", ok), http.StatusSeeOther, "/settings")
		page(t, b.get("/settings"), http.StatusOK)
		wantStatusCode(t, other.get("/settings"), http.StatusSeeOther) // other sessions ended
	})
}

// TestServer_HistoryPaging checks that the "older" link of a long history
// continues exactly where the first part stops.
func TestServer_HistoryPaging(t *testing.T) {
	t.Parallel()
	e, _ := newUIEnv(t)
	const revs = historyPerPage + 5
	for i := range revs {
		e.save("club/long", fmt.Sprintf("# Long\n\nversion %d\n", i+1), i, map[bool]int{true: http.StatusCreated, false: http.StatusOK}[i == 0])
	}
	b := e.signIn("edith")
	doc := page(t, b.get("/history/club/long"), http.StatusOK)
	if n := doc.Find("table.history tbody tr").Length(); n != historyPerPage {
		t.Fatalf("%d rows, want %d", n, historyPerPage)
	}
	older, ok := doc.Find("a[href^='/history/club/long?before=']").Attr("href")
	if !ok {
		t.Fatal("no link to older revisions")
	}
	doc = page(t, b.get(older), http.StatusOK)
	rows := doc.Find("table.history tbody tr")
	if first := strings.TrimSpace(rows.First().Find("td").Eq(2).Text()); rows.Length() != 5 || first != "5" {
		t.Errorf("older part: %d rows starting at revision %q, want 5 from 5", rows.Length(), first)
	}
}
