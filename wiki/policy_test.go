package wiki_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/kdecole-club/clubwiki/wiki"
)

// hideMarches is a read rule that hides the namespace "marches" from the
// member "ext": what the permissions issue will configure, written by hand.
func hideMarches(actor *wiki.User, ns string) bool {
	return !(actor.Login == "ext" && ns == "marches")
}

func TestService_Authorize(t *testing.T) {
	f := newFixture(t, wiki.Config{ReadRule: hideMarches})
	ext := f.user(t, "ext", wiki.RoleEditor)
	admin := f.user(t, "chef", wiki.RoleAdmin)
	secret := wiki.MustPath("marches/appel-offres")
	open := wiki.MustPath("usages/cahier")
	f.save(t, secret.String(), "# Appel\n\nLien vers [[usages/cahier]].", 0)
	f.save(t, open.String(), "# Cahier\n\nLien vers [[usages/cahier]].", 0)

	t.Run("default rules", func(t *testing.T) {
		cases := []struct {
			who  *wiki.User
			act  wiki.Action
			want bool
		}{
			{nil, wiki.ActRead, false},
			{f.reader, wiki.ActRead, true},
			{f.reader, wiki.ActEdit, false},
			{f.reader, wiki.ActRevert, false},
			{f.editor, wiki.ActDelete, true},
			{f.editor, wiki.ActBackup, false},
			{admin, wiki.ActBackup, true},
			{f.reader, wiki.ActReview, false},
			{f.editor, wiki.ActReview, true},
			{admin, wiki.ActReview, true},
		}
		for _, c := range cases {
			if got := f.svc.Can(c.who, c.act, open); got != c.want {
				t.Errorf("Can(%v, %d, %s) = %v, want %v", c.who, c.act, open, got, c.want)
			}
		}
	})
	t.Run("denied namespace is not found", func(t *testing.T) {
		if f.svc.Can(ext, wiki.ActRead, secret) || !f.svc.Can(ext, wiki.ActRead, open) {
			t.Fatal("Can does not follow the read rule")
		}
		_, err := f.svc.Page(f.ctx, ext, secret, 0)
		if wiki.ErrorCode(err) != wiki.ENotFound {
			t.Errorf("Page: %v, want not found", err)
		}
		_, err = f.svc.History(f.ctx, ext, secret, 0, 0)
		if wiki.ErrorCode(err) != wiki.ENotFound {
			t.Errorf("History: %v, want not found", err)
		}
		_, err = f.svc.Review(f.ctx, ext, secret, 1)
		if wiki.ErrorCode(err) != wiki.ENotFound {
			t.Errorf("Review: %v, want not found", err)
		}
		_, err = f.svc.Reviewed(f.ctx, ext, secret, 1)
		if wiki.ErrorCode(err) != wiki.ENotFound {
			t.Errorf("Reviewed: %v, want not found", err)
		}
		_, _, err = f.svc.Revert(f.ctx, ext, secret, 1, "")
		if wiki.ErrorCode(err) != wiki.ENotFound {
			t.Errorf("Revert: %v, want not found", err)
		}
	})
	t.Run("lists are filtered", func(t *testing.T) {
		ch, err := f.svc.RecentChanges(f.ctx, ext, wiki.ChangeQuery{})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range ch {
			if c.Path.Namespace() == "marches" {
				t.Errorf("recent changes show %s", c.Path)
			}
		}
		bl, err := f.svc.Backlinks(f.ctx, ext, open)
		if err != nil || len(bl) != 1 || bl[0].Path != open {
			t.Errorf("Backlinks = %v, %v; want only %s", bl, err, open)
		}
		heads, total, err := f.svc.Pages(f.ctx, ext, "", 0, 0)
		if err != nil || total != len(heads) {
			t.Fatalf("Pages: %d heads, total %d, %v", len(heads), total, err)
		}
		for _, h := range heads {
			if h.Path.Namespace() == "marches" {
				t.Errorf("pages list %s", h.Path)
			}
		}
		_, _, err = f.svc.Pages(f.ctx, ext, "marches", 0, 0)
		_, _, unknown := f.svc.Pages(f.ctx, ext, "nulle-part", 0, 0)
		if wiki.ErrorCode(err) != wiki.EInvalid || wiki.ErrorMessage(err) != strings.ReplaceAll(wiki.ErrorMessage(unknown), "nulle-part", "marches") {
			t.Errorf("Pages(marches): %v; an unknown namespace: %v", err, unknown)
		}
		nss, _ := f.svc.Namespaces(f.ctx, ext)
		for _, ns := range nss {
			if ns.Key == "marches" {
				t.Errorf("namespaces list marches")
			}
		}
		if all, _ := f.svc.Namespaces(f.ctx, f.reader); len(all) != len(nss)+1 {
			t.Errorf("a reader sees %d namespaces, ext %d", len(all), len(nss))
		}
	})
	t.Run("import skips what is hidden", func(t *testing.T) {
		res, err := f.svc.Import(f.ctx, ext, []wiki.ImportFile{
			{Name: "a.md", Path: "marches/importee", Markdown: []byte("# A\n")},
			{Name: "b.md", Path: "usages/importee", Markdown: []byte("# B\n")},
		})
		if err != nil || res[0].Status != wiki.ImportSkipped || res[1].Status != wiki.ImportCreated {
			t.Fatalf("Import = %+v, %v", res, err)
		}
		if _, err := f.svc.Page(f.ctx, f.editor, wiki.MustPath("marches/importee"), 0); wiki.ErrorCode(err) != wiki.ENotFound {
			t.Errorf("the hidden import was written: %v", err)
		}
	})
	t.Run("backup needs every namespace", func(t *testing.T) {
		extAdmin := &wiki.User{Login: "ext", Role: wiki.RoleAdmin}
		if f.svc.Can(extAdmin, wiki.ActBackup, wiki.Path{}) || !f.svc.Can(admin, wiki.ActBackup, wiki.Path{}) {
			t.Error("an admin kept out of a namespace may take a backup, or a full admin may not")
		}
	})
	t.Run("links into a hidden namespace look missing", func(t *testing.T) {
		f.save(t, "usages/liens", "# Liens\n\n[[marches/appel-offres]] [[marches/nulle]]\n", 0)
		marks := func(who *wiki.User) []string {
			t.Helper()
			pv, err := f.svc.Page(f.ctx, who, wiki.MustPath("usages/liens"), 0)
			if err != nil {
				t.Fatal(err)
			}
			return []string{pv.ETag, strconv.Itoa(strings.Count(pv.HTML, "wikilink missing"))}
		}
		for range 2 { // the second read comes from the render cache
			reader, hidden := marks(f.reader), marks(ext)
			if reader[1] != "1" || hidden[1] != "2" || reader[0] == hidden[0] {
				t.Fatalf("missing marks (etag, count): a reader %v, ext %v", reader, hidden)
			}
		}
	})
	t.Run("only your own tokens", func(t *testing.T) {
		if _, _, err := f.svc.CreateToken(f.ctx, ext, f.editor.Login, "x"); wiki.ErrorCode(err) != wiki.EForbidden {
			t.Errorf("CreateToken for another: %v, want forbidden", err)
		}
		if _, err := f.svc.Tokens(f.ctx, ext, f.editor.Login); wiki.ErrorCode(err) != wiki.EForbidden {
			t.Errorf("Tokens of another: %v, want forbidden", err)
		}
		if _, err := f.svc.Tokens(f.ctx, admin, f.editor.Login); err != nil {
			t.Errorf("Tokens by an admin: %v", err)
		}
	})
}
