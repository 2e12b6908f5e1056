package wiki_test

import (
	"strings"
	"testing"

	"github.com/kdecole-club/clubwiki/wiki"
)

func importFiles() []wiki.ImportFile {
	return []wiki.ImportFile{
		{Name: "a.md", Path: "assistance/Problème de connexion", Markdown: []byte("# Connexion\n\nVoir [[assistance/messagerie]].\n")},
		{Name: "b.md", Path: "usages/Cahier de textes", Markdown: []byte("---\ntags: [cdt]\n---\nTexte\n")},
		{Name: "bad-utf8.md", Path: "usages/bad", Markdown: []byte{0xff, 0xfe}},
		{Name: "bad-fm.md", Path: "usages/fm", Markdown: []byte("---\n: [\n---\nx\n")},
		{Name: "nons.md", Path: "inconnu/page", Markdown: []byte("x")},
		{Name: "short.md", Path: "seul", Markdown: []byte("x")},
		{Name: "dup.md", Path: "assistance/probleme-de-connexion", Markdown: []byte("autre")},
	}
}

func TestService_Import(t *testing.T) {
	f := newFixture(t, wiki.Config{})
	before, _ := f.db.LastSeq(f.ctx)
	res, err := f.svc.Import(f.ctx, f.editor, importFiles())
	if err != nil {
		t.Fatalf("Import: %v", err)
	}
	want := []wiki.ImportStatus{wiki.ImportCreated, wiki.ImportCreated, wiki.ImportSkipped, wiki.ImportSkipped, wiki.ImportSkipped, wiki.ImportSkipped, wiki.ImportSkipped}
	for i, r := range res {
		if r.Status != want[i] {
			t.Errorf("%s: %s (%s), want %s", r.File.Name, r.Status, r.Reason, want[i])
		}
		if r.Status == wiki.ImportSkipped && r.Reason == "" {
			t.Errorf("%s skipped without a reason", r.File.Name)
		}
	}
	if r := res[len(res)-1]; !strings.Contains(r.Reason, "a.md") {
		t.Errorf("%s: reason %q does not name the file with the same path", r.File.Name, r.Reason)
	}
	t.Run("pages as a save writes them", func(t *testing.T) {
		pv, err := f.svc.Page(f.ctx, f.reader, wiki.MustPath("assistance/probleme-de-connexion"), 0)
		if err != nil || pv.Rev != 1 || pv.Title != "Connexion" || pv.Author != "camille" || pv.Summary != wiki.ImportSummary {
			t.Fatalf("page = %+v, %v", pv, err)
		}
		bl, _ := f.svc.Backlinks(f.ctx, f.reader, wiki.MustPath("assistance/messagerie"))
		if len(bl) != 1 {
			t.Errorf("backlinks = %v", bl)
		}
		after, _ := f.db.LastSeq(f.ctx)
		if after-before != 2 {
			t.Errorf("%d change-log entries, want 2", after-before)
		}
	})
	t.Run("idempotent", func(t *testing.T) {
		seq, _ := f.db.LastSeq(f.ctx)
		res, err := f.svc.Import(f.ctx, f.editor, importFiles()[:2])
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range res {
			if r.Status != wiki.ImportUnchanged {
				t.Errorf("%s: %s, want unchanged", r.File.Name, r.Status)
			}
		}
		if after, _ := f.db.LastSeq(f.ctx); after != seq {
			t.Errorf("a second import wrote %d changes", after-seq)
		}
	})
	t.Run("changed file is a new revision", func(t *testing.T) {
		files := importFiles()[:1]
		files[0].Markdown = []byte("# Connexion\n\nModifié.\n")
		res, _ := f.svc.Import(f.ctx, f.editor, files)
		if res[0].Status != wiki.ImportUpdated || res[0].Rev != 2 {
			t.Errorf("result = %+v", res[0])
		}
	})
	t.Run("too large", func(t *testing.T) {
		big := []wiki.ImportFile{{Name: "big.md", Path: "usages/big", Markdown: []byte(strings.Repeat("x", wiki.DefaultMaxPageBytes+1))}}
		res, _ := f.svc.Import(f.ctx, f.editor, big)
		if res[0].Status != wiki.ImportSkipped {
			t.Errorf("result = %+v", res[0])
		}
	})
	t.Run("readers may not import", func(t *testing.T) {
		if _, err := f.svc.Import(f.ctx, f.reader, importFiles()); wiki.ErrorCode(err) != wiki.EForbidden {
			t.Errorf("err = %v", err)
		}
	})
}

// TestService_ImportBatchIsACommit checks that the batch path does what a
// commit does besides writing: wake the followers of the change log and
// refresh the pages whose links the import brought to life.
func TestService_ImportBatchIsACommit(t *testing.T) {
	f := newFixture(t, wiki.Config{})
	linking := wiki.MustPath("usages/lien")
	if _, err := f.svc.Save(f.ctx, f.editor, wiki.SaveRequest{Path: linking, Markdown: "Voir [[usages/cible]]."}); err != nil {
		t.Fatalf("Save: %v", err)
	}
	before, err := f.svc.Page(f.ctx, f.reader, linking, 0)
	if err != nil {
		t.Fatal(err)
	}
	changed := f.db.Watch(f.ctx)
	files := []wiki.ImportFile{{Name: "cible.md", Path: "usages/cible", Markdown: []byte("# Cible\n")}}
	if res, err := f.svc.Import(f.ctx, f.editor, files); err != nil || res[0].Status != wiki.ImportCreated {
		t.Fatalf("Import: %+v, %v", res, err)
	}
	t.Run("followers woken", func(t *testing.T) {
		select {
		case <-changed:
		default:
			t.Error("the import did not signal a change")
		}
	})
	t.Run("links to imported pages refreshed", func(t *testing.T) {
		after, err := f.svc.Page(f.ctx, f.reader, linking, 0)
		if err != nil {
			t.Fatal(err)
		}
		if after.ETag == before.ETag || after.HTML == before.HTML {
			t.Errorf("the linking page still shows its link as missing: %s", after.HTML)
		}
	})
}
