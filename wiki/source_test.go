package wiki_test

import (
	"testing"

	"github.com/kdecole-club/clubwiki/wiki"
)

func TestService_Source(t *testing.T) {
	f := newFixture(t, wiki.Config{ReadRule: hideMarches})
	ext := f.user(t, "ext", wiki.RoleEditor)
	const md = "---\ntitle: Cahier\n---\nVoir [[usages/ailleurs|Ailleurs]].\n"
	f.save(t, "usages/cahier", md, 0)
	f.save(t, "marches/appel", md, 0)
	f.save(t, "usages/supprimee", md, 0)
	if _, err := f.svc.Delete(f.ctx, f.editor, wiki.MustPath("usages/supprimee"), ""); err != nil {
		t.Fatal(err)
	}
	t.Run("the head's text", func(t *testing.T) {
		f.save(t, "usages/cahier", md+"Suite.\n", 1)
		got, err := f.svc.Source(f.ctx, f.reader, wiki.MustPath("usages/cahier"))
		if err != nil || got != md+"Suite.\n" {
			t.Errorf("Source = %q, %v", got, err)
		}
	})
	for _, c := range []struct {
		name string
		who  *wiki.User
		path string
		want wiki.Code
	}{
		{"missing", f.reader, "usages/absente", wiki.ENotFound},
		{"deleted", f.reader, "usages/supprimee", wiki.ENotFound},
		{"a namespace the reader may not read", ext, "marches/appel", wiki.ENotFound},
		{"anonymous", nil, "usages/cahier", wiki.EUnauthenticated},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := f.svc.Source(f.ctx, c.who, wiki.MustPath(c.path))
			if wiki.ErrorCode(err) != c.want || got != "" {
				t.Errorf("Source = %q, %v; want %s", got, err, c.want)
			}
		})
	}
}
