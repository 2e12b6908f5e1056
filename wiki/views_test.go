package wiki_test

import (
	"context"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"time"

	"github.com/kdecole-club/clubwiki/search"
	"github.com/kdecole-club/clubwiki/wiki"
)

// withIndex gives f's service a real search index, kept in step by a
// running follower, as serve does. The function it returns waits until
// the index has applied every change: views wait for it only a moment.
func withIndex(t testing.TB, f *fixture) (synced func()) {
	t.Helper()
	idx, _, err := search.Open(filepath.Join(t.TempDir(), "index"))
	if err != nil {
		t.Fatal(err)
	}
	fol := &search.Follower{Index: idx, Source: f.db, Renderer: fixtureRenderer(), Watch: f.db.Watch}
	f.svc.SetSearch(idx)
	ctx, cancel := context.WithCancel(f.ctx)
	done := make(chan struct{})
	go func() { defer close(done); _ = fol.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done; _ = idx.Close() })
	return func() {
		t.Helper()
		want, err := f.db.LastSeq(f.ctx)
		if err != nil {
			t.Fatal(err)
		}
		for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(5 * time.Millisecond) {
			if n, _ := idx.LastSeq(); n >= want && !idx.Partial() {
				return
			}
			if time.Now().After(deadline) {
				t.Fatal("the index never caught up")
			}
		}
	}
}

// clockPast waits until the system's clock reads a later time than when
// it was called: what is saved next is dated after what was saved before,
// also where the clock moves by steps (the store dates in nanoseconds of
// that clock).
func clockPast() {
	for at := time.Now().UnixNano(); time.Now().UnixNano() <= at; {
		time.Sleep(50 * time.Microsecond)
	}
}

var viewLinks = regexp.MustCompile(`<a class="wikilink" href="/wiki/([^"]+)">`)

// viewPaths returns the pages view i of html lists, in order.
func viewPaths(t testing.TB, html string, i int) []string {
	t.Helper()
	start := strings.Index(html, `<div class="wiki-view" id="vue-`+itoa(i)+`">`)
	if start < 0 {
		t.Fatalf("no view %d in %s", i, html)
	}
	end := strings.Index(html[start:], "</div>")
	var out []string
	for _, m := range viewLinks.FindAllStringSubmatch(html[start:start+end], -1) {
		out = append(out, m[1])
	}
	return out
}

func itoa(n int) string { return strconv.Itoa(n) }

func resolution(title, statut string, projets ...string) string {
	return "---\ntype: resolution\nstatut: " + statut + "\nprojets: [" + strings.Join(projets, ", ") + "]\nversion: \"4.2\"\n---\n# " + title + "\n\nTexte.\n"
}

func TestService_PageViews(t *testing.T) {
	f := newFixture(t, wiki.Config{ReadRule: hideMarches})
	synced := withIndex(t, f)
	f.save(t, "assistance/cas-a", resolution("Cas A", "ouvert", "e-lyco"), 0)
	f.save(t, "assistance/cas-b", resolution("Cas B", "résolu", "ent-mip"), 0)
	f.save(t, "marches/cas-secret", resolution("Cas secret", "ouvert", "e-lyco"), 0)
	axis := "# Axe\n\n## Ouvertes\n\n```vue\ntype:resolution -statut:resolu\n```\n\n## Résolues\n\n```vue\ntype:resolution statut:resolu\n```\n"
	f.save(t, "assistance/tableau", axis, 0)
	synced()
	read := func(t *testing.T, u *wiki.User, o wiki.PageOptions) *wiki.PageView {
		t.Helper()
		v, err := f.svc.PageWith(f.ctx, u, wiki.MustPath("assistance/tableau"), 0, o)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	t.Run("lists what the query finds, with its fields", func(t *testing.T) {
		v := read(t, f.editor, wiki.PageOptions{})
		if got := viewPaths(t, v.HTML, 0); !slices.Equal(got, []string{"marches/cas-secret", "assistance/cas-a"}) {
			t.Errorf("open: %v", got)
		}
		if got := viewPaths(t, v.HTML, 1); !slices.Equal(got, []string{"assistance/cas-b"}) {
			t.Errorf("solved: %v", got)
		}
		for _, want := range []string{">Cas A</a>", "<td>ouvert</td>", "<td>e-lyco</td>", "<td>4.2</td>", "<time datetime="} {
			if !strings.Contains(v.HTML, want) {
				t.Errorf("no %q in %s", want, v.HTML)
			}
		}
	})
	t.Run("never lists a page the reader may not read", func(t *testing.T) {
		v := read(t, f.user(t, "ext", wiki.RoleReader), wiki.PageOptions{})
		if got := viewPaths(t, v.HTML, 0); !slices.Equal(got, []string{"assistance/cas-a"}) {
			t.Errorf("open, for a reader kept out of marches: %v", got)
		}
		if strings.Contains(v.HTML, "secret") {
			t.Errorf("the hidden page shows: %s", v.HTML)
		}
	})
	t.Run("current after a save", func(t *testing.T) {
		before := read(t, f.editor, wiki.PageOptions{})
		f.save(t, "assistance/cas-a", resolution("Cas A", "résolu", "e-lyco"), 1)
		synced()
		v := read(t, f.editor, wiki.PageOptions{})
		if got := viewPaths(t, v.HTML, 0); !slices.Equal(got, []string{"marches/cas-secret"}) {
			t.Errorf("open after the save: %v", got)
		}
		if got := viewPaths(t, v.HTML, 1); !slices.Equal(got, []string{"assistance/cas-a", "assistance/cas-b"}) {
			t.Errorf("solved after the save: %v", got)
		}
		if v.ETag == before.ETag {
			t.Errorf("the ETag %s did not change with the views", v.ETag)
		}
	})
	t.Run("the API's page has its views too", func(t *testing.T) {
		v, err := f.svc.Page(f.ctx, f.reader, wiki.MustPath("assistance/tableau"), 0)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(v.HTML, wiki.ViewPlaceholder(0)) || !strings.Contains(v.HTML, "Cas B") {
			t.Errorf("views not filled: %s", v.HTML)
		}
	})
}

func TestService_PageViewsSortAndBounds(t *testing.T) {
	f := newFixture(t, wiki.Config{})
	synced := withIndex(t, f)
	for i, st := range []string{"ouvert", "contourné", "ouvert", "résolu", "ouvert"} {
		f.save(t, "assistance/p"+itoa(i), resolution("Page "+string(rune('E'-i)), st, "e-lyco"), 0)
		clockPast() // distinct update times
	}
	f.save(t, "assistance/vues", "```vue max=3\ntype:resolution\n```\n\n```vue colonnes=statut tri=statut\ntype:resolution\n```\n", 0)
	synced()
	read := func(t *testing.T, sort string) string {
		t.Helper()
		v, err := f.svc.PageWith(f.ctx, f.editor, wiki.MustPath("assistance/vues"), 0, wiki.PageOptions{Sort: sort})
		if err != nil {
			t.Fatal(err)
		}
		return v.HTML
	}
	t.Run("bounded, newest first, with a link to all", func(t *testing.T) {
		html := read(t, "")
		if got := viewPaths(t, html, 0); !slices.Equal(got, []string{"assistance/p4", "assistance/p3", "assistance/p2"}) {
			t.Errorf("rows %v", got)
		}
		if !strings.Contains(html, "3 sur 5") || !strings.Contains(html, `href="/search?q=type%3Aresolution"`) {
			t.Errorf("no « voir tout »: %s", html)
		}
	})
	t.Run("the block's sort", func(t *testing.T) {
		got := viewPaths(t, read(t, ""), 1)
		want := []string{"assistance/p1", "assistance/p4", "assistance/p2", "assistance/p0", "assistance/p3"}
		if !slices.Equal(got, want) {
			t.Errorf("by statut: %v, want %v", got, want)
		}
	})
	t.Run("the reader's sort", func(t *testing.T) {
		html := read(t, "0.titre")
		if got := viewPaths(t, html, 0); !slices.Equal(got, []string{"assistance/p4", "assistance/p3", "assistance/p2"}) {
			t.Errorf("by title: %v", got)
		}
		if !strings.Contains(html, `href="?tri=0.-titre#vue-0"`) {
			t.Errorf("no link reversing the sort: %s", html)
		}
		if got := viewPaths(t, read(t, "1.-statut"), 1); got[0] != "assistance/p3" {
			t.Errorf("by statut reversed: %v", got)
		}
	})
}

func TestService_ComparisonAndRequests(t *testing.T) {
	f := newFixture(t, wiki.Config{Seed: fstest.MapFS{}}) // no seeded sheets
	synced := withIndex(t, f)
	f.save(t, "club/projets/e-lyco", "---\ntype: fiche-projet\nversion: \"4.3\"\netablissements: 685\nediteur: Kosmos\n---\n# e-lyco\n", 0)
	f.save(t, "club/projets/ent-mip", "---\ntype: fiche-projet\nversion: \"4.1\"\netablissements: 300\n---\n# ENT-MIP\n", 0)
	f.save(t, "services/export", "---\ntype: attente\nsoutiens:\n  e-lyco: basse\n  ent-mip: basse\n---\n# Export\n", 0)
	f.save(t, "services/agenda", "---\ntype: attente\nsoutiens:\n  e-lyco: haute\n  ent-mip: moyenne\n---\n# Agenda\n", 0)
	f.save(t, "services/sms", "---\ntype: attente\nsoutiens: [e-lyco, ecollege-31, ent-mip]\n---\n# SMS\n", 0)
	f.save(t, "services/seul", "---\ntype: attente\nsoutiens:\n  e-lyco: 1\n---\n# Seul\n", 0)
	f.save(t, "club/tableaux", "```vue table colonnes=version,etablissements,editeur\ntype:fiche-projet\n```\n\n```vue colonnes=soutien,soutiens tri=soutien\ntype:attente\n```\n", 0)
	synced()
	v, err := f.svc.Page(f.ctx, f.reader, wiki.MustPath("club/tableaux"), 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("comparison table", func(t *testing.T) {
		if got := viewPaths(t, v.HTML, 0); !slices.Equal(got, []string{"club/projets/e-lyco", "club/projets/ent-mip"}) {
			t.Errorf("rows %v", got)
		}
		for _, want := range []string{">Version</a></th>", ">Etablissements</a></th>", "<td>4.3</td><td>685</td><td>Kosmos</td>", "<td>4.1</td><td>300</td><td></td>"} {
			if !strings.Contains(v.HTML, want) {
				t.Errorf("no %q in %s", want, v.HTML)
			}
		}
	})
	t.Run("requests ranked by support then priority", func(t *testing.T) {
		want := []string{"services/sms", "services/agenda", "services/export", "services/seul"}
		if got := viewPaths(t, v.HTML, 1); !slices.Equal(got, want) {
			t.Errorf("ranking %v, want %v", got, want)
		}
		if !strings.Contains(v.HTML, "e-lyco (haute), ent-mip (moyenne)") {
			t.Errorf("no priorities per project: %s", v.HTML)
		}
	})
}

func TestSupportOf(t *testing.T) {
	for _, tc := range []struct {
		name string
		meta map[string]any
		n    int
		prio float64
	}{
		{"mapping", map[string]any{"soutiens": map[string]any{"e-lyco": "haute", "ent-mip": 3}}, 2, 2},
		{"list", map[string]any{"soutiens": []any{"e-lyco"}}, 1, 2},
		{"list of mappings", map[string]any{"soutiens": []any{map[string]any{"projet": "e-lyco", "priorite": "haute"}}}, 1, 1},
		{"projets and priorites", map[string]any{"projets": []any{"e-lyco", "ent-mip"}, "priorites": map[string]any{"e-lyco": "basse"}}, 2, 2.5},
		{"none", map[string]any{}, 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := wiki.SupportOf(tc.meta)
			if len(s.Projects) != tc.n || s.Priority != tc.prio {
				t.Errorf("%+v, want %d projects of priority %v", s, tc.n, tc.prio)
			}
		})
	}
}

func TestParseView(t *testing.T) {
	v := wiki.ParseView(wiki.ViewBlock{Info: "table colonnes=version,Editeur tri=-version max=500 bizarre", Query: "type:fiche-projet"})
	if !v.Table || !slices.Equal(v.Columns, []string{"version", "editeur"}) || v.Sort != "version" || !v.Desc || v.Max != wiki.MaxViewRows {
		t.Errorf("%+v", v)
	}
	d := wiki.ParseView(wiki.ViewBlock{Query: "x"})
	if d.Table || len(d.Columns) != 4 || d.Sort != wiki.ColUpdated || d.Max != wiki.DefaultViewRows {
		t.Errorf("defaults %+v", d)
	}
}

func TestService_PreviewViews(t *testing.T) {
	f := newFixture(t, wiki.Config{})
	synced := withIndex(t, f)
	f.save(t, "assistance/cas", resolution("Cas ouvert", "ouvert", "e-lyco"), 0)
	synced()
	out, err := f.svc.Preview(f.ctx, f.editor, wiki.MustPath("assistance/brouillon"), "# Brouillon\n\n```vue\ntype:resolution\n```\n")
	if err != nil {
		t.Fatal(err)
	}
	if got := viewPaths(t, out.HTML, 0); !slices.Equal(got, []string{"assistance/cas"}) {
		t.Errorf("preview lists %v", got)
	}
}

func FuzzParseView(f *testing.F) {
	f.Add("table colonnes=version,editeur tri=-version max=5", "type:fiche-projet")
	f.Add("tri= max=-1 colonnes=,,,", "")
	f.Fuzz(func(t *testing.T, info, query string) {
		v := wiki.ParseView(wiki.ViewBlock{Info: info, Query: query})
		if v.Max < 1 || v.Max > wiki.MaxViewRows || len(v.Columns) > 12 || v.Sort == "" || v.Query != query {
			t.Errorf("%q: %+v", info, v)
		}
		for _, c := range v.Columns {
			if c == "" || c == wiki.ColTitle {
				t.Errorf("%q: column %q", info, c)
			}
		}
	})
}

// seqCounter is the search index counting how often a view asks how far
// it has gone.
type seqCounter struct {
	*search.Index
	calls atomic.Int64
}

func (c *seqCounter) LastSeq() (uint64, error) {
	c.calls.Add(1)
	return c.Index.LastSeq()
}

// TestService_ViewsWaitForTheirReader checks that a view waits for the
// search index to apply its reader's own latest change, so that the page
// they just saved is listed, and that nobody waits for the changes of
// others: the index, settling saves as serve does, applies them a moment
// later.
func TestService_ViewsWaitForTheirReader(t *testing.T) {
	f := newFixture(t, wiki.Config{})
	idx, _, err := search.Open(filepath.Join(t.TempDir(), "index"))
	if err != nil {
		t.Fatal(err)
	}
	fol := &search.Follower{Index: idx, Source: f.db, Renderer: fixtureRenderer(), Watch: f.db.Watch, Settle: 150 * time.Millisecond}
	counted := &seqCounter{Index: idx}
	f.svc.SetSearch(counted)
	ctx, cancel := context.WithCancel(f.ctx)
	done := make(chan struct{})
	go func() { defer close(done); _ = fol.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done; _ = idx.Close() })
	other := f.user(t, "dominique", wiki.RoleReader)
	f.save(t, "assistance/tableau", "# Axe\n\n```vue\ntype:resolution\n```\n", 0)
	want, err := f.db.LastSeq(f.ctx)
	if err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		if n, _ := idx.LastSeq(); n >= want && !idx.Partial() {
			break // built and caught up, as a server is after its start
		}
		if time.Now().After(deadline) {
			t.Fatal("the index never caught up")
		}
	}

	f.save(t, "assistance/cas-neuf", resolution("Cas neuf", "ouvert", "e-lyco"), 0)
	v, err := f.svc.Page(f.ctx, f.editor, wiki.MustPath("assistance/tableau"), 0)
	if err != nil {
		t.Fatal(err)
	}
	if got := viewPaths(t, v.HTML, 0); !slices.Contains(got, "assistance/cas-neuf") {
		t.Errorf("the page its reader just saved is not listed: %v", got)
	}

	f.save(t, "assistance/cas-autre", resolution("Cas autre", "ouvert", "e-lyco"), 0)
	counted.calls.Store(0)
	if _, err := f.svc.Page(f.ctx, other, wiki.MustPath("assistance/tableau"), 0); err != nil {
		t.Fatal(err)
	}
	if n := counted.calls.Load(); n != 1 {
		t.Errorf("another member's view asked the index %d times how far it is: it waited for a change not theirs", n)
	}
}

// A table view (sorted by title) lists the first titles of every page
// found, not of the newest ones only; a sort by a column of the front
// matter says when it ordered only the newest pages found.
func TestService_PageViewsSortOverAll(t *testing.T) {
	f := newFixture(t, wiki.Config{})
	synced := withIndex(t, f)
	commit := func(prefix, slug string, n int) {
		t.Helper()
		var batch []wiki.Commit
		for i := range n {
			title := prefix + " " + strconv.Itoa(1000 + i)[1:]
			batch = append(batch, wiki.Commit{Path: wiki.MustPath("assistance/" + slug + "-" + itoa(i)),
				Kind: wiki.KindCreate, Author: "camille", Title: title, Markdown: resolution(title, "ouvert", "e-lyco")})
		}
		if _, err := f.db.Commit(f.ctx, batch...); err != nil {
			t.Fatal(err)
		}
	}
	// The pages first in the alphabet are the oldest, behind 2 × 120
	// newer ones: more than the 200 newest a view reads to sort.
	commit("Accès", "acces", 5)
	clockPast()
	commit("Messagerie", "messagerie", 120)
	clockPast()
	commit("Zone", "zone", 120)
	f.save(t, "club/vues", "```vue table max=3\ntype:resolution\n```\n\n```vue colonnes=statut tri=statut max=3\ntype:resolution\n```\n", 0)
	synced()
	read := func(t *testing.T, sort string) string {
		t.Helper()
		v, err := f.svc.PageWith(f.ctx, f.editor, wiki.MustPath("club/vues"), 0, wiki.PageOptions{Sort: sort})
		if err != nil {
			t.Fatal(err)
		}
		return v.HTML
	}
	html := read(t, "")
	if got, want := viewPaths(t, html, 0), []string{"assistance/acces-0", "assistance/acces-1", "assistance/acces-2"}; !slices.Equal(got, want) {
		t.Errorf("by title: %v, want %v", got, want)
	}
	if got, want := viewPaths(t, read(t, "0.-titre"), 0), []string{"assistance/zone-119", "assistance/zone-118", "assistance/zone-117"}; !slices.Equal(got, want) {
		t.Errorf("by title reversed: %v, want %v", got, want)
	}
	// The oldest first: the first pages saved, of every page found.
	if got, want := viewPaths(t, read(t, "0.-maj"), 0), []string{"assistance/acces-0", "assistance/acces-1", "assistance/acces-2"}; !slices.Equal(got, want) {
		t.Errorf("the oldest first: %v, want %v", got, want)
	}
	first := html[:strings.Index(html, `id="vue-1"`)]
	if !strings.Contains(first, "3 sur 245") || strings.Contains(first, "ordre établi") {
		t.Errorf("the table by title: %s", first)
	}
	second := html[strings.Index(html, `id="vue-1"`):]
	if !strings.Contains(second, "3 sur 245 · ordre établi parmi les 200 plus récentes") {
		t.Errorf("the view by statut does not say it sorted the newest pages only: %s", second)
	}
}
