package search

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/kdecole-club/clubwiki/wiki"
)

// TestIndex_SortByTitle: a view sorted by title gets every match in the
// order of wiki.TitleSortKey (and one sorted the oldest first, by date) (accents and case aside, then by path),
// either way, from the index, whatever the pages' dates, across segments
// and after a page is retitled or deleted.
func TestIndex_SortByTitle(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	// Titles saved in an order unlike their alphabetical one, over
	// several batches (segments), with ties apart from accents and case.
	titles := []string{"Zèbre du réseau", "Accès à l'ENT", "école numérique", "Ecole numérique", "Étude des usages",
		"agenda partagé", "Messagerie", "Zone de dépôt", "Cahier de textes", "Émargement"}
	for i, title := range titles {
		e.save(fmt.Sprintf("assistance/p%02d", i), "---\ntype: resolution\n---\n# "+title+"\n\nTexte de la fiche.\n")
		if i%3 == 2 {
			e.sync()
		}
	}
	long := strings.Repeat("é", 150)
	e.save("assistance/longue-b", "---\ntype: resolution\n---\n# "+long+"b\n\nTexte.\n")
	e.save("assistance/longue-a", "---\ntype: resolution\n---\n# "+long+"a\n\nTexte.\n")
	e.save("assistance/autre", "# Autre chose\n\nSans type.\n") // not matched
	e.sync()

	type row struct{ key, path string }
	want := func() []string {
		var rows []row
		for i, title := range titles {
			if title != "" {
				rows = append(rows, row{wiki.TitleSortKey(title), fmt.Sprintf("assistance/p%02d", i)})
			}
		}
		rows = append(rows, row{wiki.TitleSortKey(long + "b"), "assistance/longue-b"}, row{wiki.TitleSortKey(long + "a"), "assistance/longue-a"})
		sort.Slice(rows, func(i, j int) bool {
			if rows[i].key != rows[j].key {
				return rows[i].key < rows[j].key
			}
			return rows[i].path < rows[j].path
		})
		out := make([]string, len(rows))
		for i, r := range rows {
			out[i] = r.path
		}
		return out
	}
	run := func(order string, limit, offset int) wiki.SearchResult {
		t.Helper()
		res, err := e.idx.Search(e.ctx, wiki.SearchQuery{Query: wiki.ParseQuery("type:resolution"),
			Namespaces: []string{"assistance"}, Limit: limit, Offset: offset, Sort: order, Bare: true})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	check := func(t *testing.T) {
		t.Helper()
		all := want()
		res := run(wiki.SortTitle, 50, 0)
		if got := paths(res); !slices.Equal(got, all) || res.Total != len(all) {
			t.Fatalf("by title: %v (%d), want %v", got, res.Total, all)
		}
		if got := paths(run(wiki.SortTitle, 3, 0)); !slices.Equal(got, all[:3]) {
			t.Errorf("the first three by title: %v, want %v", got, all[:3])
		}
		if got := paths(run(wiki.SortTitle, 3, 3)); !slices.Equal(got, all[3:6]) {
			t.Errorf("the next three: %v, want %v", got, all[3:6])
		}
		// Reversed: the titles the other way, ties still by path.
		rev := run(wiki.SortTitleDesc, 50, 0)
		byKey := map[string]string{}
		for _, h := range rev.Hits {
			byKey[h.Path.String()] = wiki.TitleSortKey(h.Title)
		}
		for i := 1; i < len(rev.Hits); i++ {
			a, b := rev.Hits[i-1], rev.Hits[i]
			ka, kb := byKey[a.Path.String()], byKey[b.Path.String()]
			if ka < kb || ka == kb && a.Path.String() > b.Path.String() {
				t.Errorf("reversed: %s (%q) before %s (%q)", a.Path, ka, b.Path, kb)
			}
		}
		if len(rev.Hits) != len(all) {
			t.Errorf("reversed: %d hits, want %d", len(rev.Hits), len(all))
		}
		// The oldest first: every match, dates never going back.
		old := run(wiki.SortOldest, 50, 0)
		for i := 1; i < len(old.Hits); i++ {
			if old.Hits[i].Updated.Before(old.Hits[i-1].Updated) {
				t.Errorf("oldest first: %s (%s) after %s (%s)", old.Hits[i].Path, old.Hits[i].Updated, old.Hits[i-1].Path, old.Hits[i-1].Updated)
			}
		}
		if newest := run(wiki.SortDate, 1, 0); len(old.Hits) != len(all) || len(newest.Hits) != 1 || old.Hits[len(old.Hits)-1].Path != newest.Hits[0].Path {
			t.Errorf("oldest first: %v, its last is not the newest %v", paths(old), paths(newest))
		}
	}
	t.Run("saved", check)

	// « Ecole » and « école » tie: the path decides, p02 before p03.
	if got := paths(run(wiki.SortTitle, 50, 0)); slices.Index(got, "assistance/p02") > slices.Index(got, "assistance/p03") {
		t.Errorf("a tie is not ordered by path: %v", got)
	}
	// The two long titles differ past the key's 100 letters: a tie too.
	if got := paths(run(wiki.SortTitle, 50, 0)); slices.Index(got, "assistance/longue-a") > slices.Index(got, "assistance/longue-b") {
		t.Errorf("long titles alike over 100 letters are not ordered by path: %v", got)
	}

	// Retitled and deleted, the order follows.
	titles[0] = "Aaa, la première"
	e.save("assistance/p00", "---\ntype: resolution\n---\n# "+titles[0]+"\n\nTexte.\n")
	if _, err := e.svc.Delete(e.ctx, e.user, wiki.MustPath("assistance/p06"), "plus utile"); err != nil {
		t.Fatal(err)
	}
	titles[6] = ""
	e.sync()
	t.Run("retitled and deleted", check)
	if got := paths(run(wiki.SortTitle, 1, 0)); !slices.Equal(got, []string{"assistance/p00"}) {
		t.Errorf("the retitled page is not first: %v", got)
	}
}
