package storetest

import (
	"context"
	"slices"
	"testing"

	"github.com/kdecole-club/clubwiki/wiki"
)

// testProfiles covers what profiles need of a store: a member's project
// and presentation kept, their change in the log, and the changes of one
// author.
func testProfiles(t *testing.T, open func(t *testing.T) wiki.Store) {
	ctx := context.Background()
	s := open(t)
	addUsers(t, s, "alice", "bob")
	t.Run("project and presentation are kept", func(t *testing.T) {
		u, err := s.User(ctx, "alice")
		if err != nil {
			t.Fatal(err)
		}
		u.Project, u.Bio = "e-lyco", "Chargée de mission.\nNantes."
		if err := s.UpdateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		got, err := s.User(ctx, "alice")
		if err != nil || got.Project != u.Project || got.Bio != u.Bio {
			t.Fatalf("User = %+v, %v", got, err)
		}
		all, err := s.Users(ctx)
		if err != nil || !slices.ContainsFunc(all, func(x wiki.User) bool { return x.Login == "alice" && x.Bio == u.Bio }) {
			t.Fatalf("Users = %+v, %v", all, err)
		}
		last, err := s.LastSeq(ctx)
		if err != nil {
			t.Fatal(err)
		}
		chs, err := s.ChangesAfter(ctx, last-1, 1)
		if err != nil || len(chs) != 1 || chs[0].Kind != wiki.KindUserUpdate || chs[0].Subject != "alice" || chs[0].Summary != "profile" {
			t.Fatalf("log: %+v, %v", chs, err)
		}
	})
	t.Run("changes of one author", func(t *testing.T) {
		mustCommit(t, s, editAs("usages/a", 0, "un", "alice"))
		mustCommit(t, s, editAs("usages/a", 1, "deux", "bob"))
		mustCommit(t, s, editAs("marches/m", 0, "trois", "alice"))
		mustCommit(t, s, editAs("usages/b", 0, "quatre", "alice"))
		paths := func(q wiki.ChangeQuery) []string {
			t.Helper()
			chs, err := s.Changes(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, c := range chs {
				out = append(out, c.Path.String())
			}
			return out
		}
		if got := paths(wiki.ChangeQuery{Author: "alice"}); !slices.Equal(got, []string{"usages/b", "marches/m", "usages/a"}) {
			t.Errorf("alice's changes: %v", got)
		}
		if got := paths(wiki.ChangeQuery{Author: "alice", Namespaces: wiki.NamespaceSet{"usages": true}}); !slices.Equal(got, []string{"usages/b", "usages/a"}) {
			t.Errorf("alice's changes in usages: %v", got)
		}
		if got := paths(wiki.ChangeQuery{Author: "alice", Limit: 1}); !slices.Equal(got, []string{"usages/b"}) {
			t.Errorf("limit: %v", got)
		}
		if got := paths(wiki.ChangeQuery{Author: "personne"}); len(got) != 0 {
			t.Errorf("nobody's changes: %v", got)
		}
	})
}
