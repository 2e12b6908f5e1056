package search

import (
	"slices"
	"testing"

	"github.com/kdecole-club/clubwiki/wiki"
)

// member creates a member and saves a page as them.
func (e *env) member(login, name, path string) {
	e.t.Helper()
	u, err := e.svc.CreateUser(e.ctx, wiki.NewUser{Login: login, Name: name, Role: wiki.RoleEditor, Password: "un mot de passe long"})
	if err != nil {
		e.t.Fatal(err)
	}
	if _, err := e.svc.Save(e.ctx, &u, wiki.SaveRequest{Path: wiki.MustPath(path), Markdown: "# Page de " + name + "\n\nUn compte rendu.\n"}); err != nil {
		e.t.Fatal(err)
	}
}

func TestService_SearchByAuthor(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.member("mblanchard", "Marie Blanchard", "usages/marie")
	e.member("hlefevre", "Hélène Lefèvre-Martin", "usages/helene")
	e.member("mdurand", "Marie Durand", "usages/durand")
	e.member("jdupont", "", "usages/jean")
	e.sync()
	tests := []struct{ q, want string }{
		{`auteur:"Marie Blanchard"`, "usages/marie"},
		{`auteur:"marie blanchard"`, "usages/marie"},
		{`auteur:mblanchard`, "usages/marie"},
		{`auteur:MBlanchard`, "usages/marie"},
		{`auteur:blanchard`, "usages/marie"},
		{`auteur:BLANCHÂRD`, "usages/marie"},
		{`auteur:marie`, "usages/durand usages/marie"},
		{`auteur:"Helene Lefevre-Martin"`, "usages/helene"},
		{`auteur:"hélène lefèvre martin"`, "usages/helene"},
		{`auteur:lefevre`, "usages/helene"},
		{`auteur:jdupont`, "usages/jean"},
		{`auteur:blanchard compte`, "usages/marie"},
		{`auteur:marie -auteur:durand`, "usages/marie"},
		{`auteur:"Marie Dupont"`, ""},
		{`auteur:blanch`, ""},
		{`auteur:"Marie Blanchard" auteur:durand`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.q, func(t *testing.T) {
			got := paths(e.search(tt.q))
			slices.Sort(got)
			if s := joinPaths(got); s != tt.want {
				t.Errorf("%s → %q, want %q", tt.q, s, tt.want)
			}
		})
	}
	t.Run("hits show display names", func(t *testing.T) {
		res := e.search("auteur:marie")
		for _, h := range res.Hits {
			want := map[string]string{"usages/marie": "Marie Blanchard", "usages/durand": "Marie Durand"}[h.Path.String()]
			if h.AuthorName != want || h.Author == "" {
				t.Errorf("%s: author %q (%q), want %q", h.Path, h.AuthorName, h.Author, want)
			}
		}
		if res := e.search("auteur:jdupont"); len(res.Hits) != 1 || res.Hits[0].AuthorName != "jdupont" {
			t.Errorf("a member without a display name: %+v", res.Hits)
		}
	})
}

func joinPaths(ps []string) string {
	out := ""
	for i, p := range ps {
		if i > 0 {
			out += " "
		}
		out += p
	}
	return out
}
