package wiki_test

import (
	"strings"
	"sync"
	"testing"

	"github.com/kdecole-club/clubwiki/wiki"
)

func TestService_DeleteRevertHistory(t *testing.T) {
	f := newFixture(t, wiki.Config{})
	const p = "services/messagerie"
	texts := []string{"# Messagerie\n\nVersion un.\n", "# Messagerie\n\nVersion deux.\n", "# Messagerie\n\nVersion trois.\n"}
	for i, md := range texts {
		f.save(t, p, md, i)
	}
	path := wiki.MustPath(p)
	d, err := f.svc.Diff(f.ctx, f.reader, path, 1, 3, true)
	if err != nil || d.Added != 1 || d.Removed != 1 || !strings.Contains(d.Unified(), "-Version un.\n+Version trois.\n") {
		t.Fatalf("Diff(1,3) = %+v, %v", d, err)
	}
	if d, _ := f.svc.Diff(f.ctx, f.reader, path, 0, 0, false); d.From != 2 || d.To != 3 {
		t.Errorf("default diff = %d..%d, want 2..3", d.From, d.To)
	}
	if d, err := f.svc.Diff(f.ctx, f.reader, path, 0, 2, true); err != nil || d.From != 0 || d.Added != 3 || d.Removed != 0 ||
		!strings.Contains(d.Unified(), "+Version deux.\n") {
		t.Errorf("Diff(0,2) = %+v, %v; want the whole of revision 2 added", d, err)
	}
	if d, err := f.svc.Diff(f.ctx, f.reader, path, 0, 1, false); err != nil || d.From != 0 || d.To != 1 || d.Added != 3 {
		t.Errorf("default diff to 1 = %+v, %v; want from the empty text", d, err)
	}
	if _, err := f.svc.Diff(f.ctx, f.reader, path, 1, 9, true); wiki.ErrorCode(err) != wiki.EInvalid {
		t.Errorf("diff to a missing revision: %v", err)
	}
	rev, changed, err := f.svc.Revert(f.ctx, f.editor, path, 1, "retour")
	if err != nil || !changed || rev != 4 || f.text(t, p, 0) != texts[0] {
		t.Fatalf("Revert = %d %v %v", rev, changed, err)
	}
	if rev, changed, _ := f.svc.Revert(f.ctx, f.editor, path, 1, ""); changed || rev != 4 {
		t.Errorf("revert to the same text = %d %v, want no new revision", rev, changed)
	}
	if rev, err := f.svc.Delete(f.ctx, f.editor, path, "obsolète"); err != nil || rev != 5 {
		t.Fatalf("Delete = %d %v", rev, err)
	}
	if _, err := f.svc.Page(f.ctx, f.reader, path, 0); wiki.ErrorCode(err) != wiki.ENotFound {
		t.Errorf("deleted page: %v", err)
	}
	if _, err := f.svc.Delete(f.ctx, f.editor, path, ""); wiki.ErrorCode(err) != wiki.ENotFound {
		t.Errorf("second delete: %v", err)
	}
	if got := f.text(t, p, 2); got != texts[1] {
		t.Errorf("old revision after delete = %q", got)
	}
	if _, _, err := f.svc.Revert(f.ctx, f.editor, path, 5, ""); wiki.ErrorCode(err) != wiki.EInvalid {
		t.Errorf("revert to a deletion: %v", err)
	}
	h, err := f.svc.History(f.ctx, f.reader, path, 2, 0)
	if err != nil || len(h) != 2 || h[0].Rev != 5 || !h[0].Deleted || h[1].Kind != wiki.KindRevert {
		t.Fatalf("history = %+v, %v", h, err)
	}
	if r := f.save(t, p, "# Messagerie\n\nRecréée.\n", 5); !r.Created || r.Rev != 6 {
		t.Errorf("recreate = %+v", r)
	}
	ch, _ := f.svc.RecentChanges(f.ctx, f.reader, wiki.ChangeQuery{Namespace: "services"})
	var kinds []string
	for _, c := range ch {
		kinds = append(kinds, string(c.Kind))
	}
	if got := strings.Join(kinds, ","); got != "create,delete,revert,edit,edit,create,create,create" {
		t.Errorf("change kinds = %s", got)
	}
}

// Reverts that race each other retry against the winner's head: one makes
// the revision, the others find the text already there; none fails.
func TestService_RevertConcurrent(t *testing.T) {
	f := newFixture(t, wiki.Config{})
	const p = "services/agenda"
	f.save(t, p, "Version un.\n", 0)
	f.save(t, p, "Version deux.\n", 1)
	type result struct {
		rev     int
		changed bool
		err     error
	}
	results := make(chan result, 8)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			rev, changed, err := f.svc.Revert(f.ctx, f.editor, wiki.MustPath(p), 1, "")
			results <- result{rev, changed, err}
		})
	}
	wg.Wait()
	close(results)
	changed := 0
	for r := range results {
		if r.err != nil || r.rev != 3 {
			t.Errorf("Revert = %d %v %v, want revision 3", r.rev, r.changed, r.err)
		}
		if r.changed {
			changed++
		}
	}
	if changed != 1 {
		t.Errorf("%d reverts made a revision, want 1", changed)
	}
}

func TestService_NamespaceFilter(t *testing.T) {
	f := newFixture(t, wiki.Config{})
	f.save(t, "usages/cahier", "texte", 0)
	for _, ns := range []string{"usages", "Usages", " USAGES "} {
		t.Run(ns, func(t *testing.T) {
			pages, _, err := f.svc.Pages(f.ctx, f.reader, ns, 0, 0)
			if err != nil || len(pages) != 2 { // accueil and cahier
				t.Errorf("Pages(%q) = %d pages, %v", ns, len(pages), err)
			}
			changes, err := f.svc.RecentChanges(f.ctx, f.reader, wiki.ChangeQuery{Namespace: ns})
			if err != nil || len(changes) != 2 {
				t.Errorf("RecentChanges(%q) = %d changes, %v", ns, len(changes), err)
			}
		})
	}
	for _, ns := range []string{" ", "-", "usages/x", "cuisine"} {
		t.Run("invalid "+ns, func(t *testing.T) {
			if _, _, err := f.svc.Pages(f.ctx, f.reader, ns, 0, 0); wiki.ErrorCode(err) != wiki.EInvalid {
				t.Errorf("Pages(%q): %v, want EInvalid", ns, err)
			}
			if _, err := f.svc.RecentChanges(f.ctx, f.reader, wiki.ChangeQuery{Namespace: ns}); wiki.ErrorCode(err) != wiki.EInvalid {
				t.Errorf("RecentChanges(%q): %v, want EInvalid", ns, err)
			}
		})
	}
}
