package search

import (
	"slices"
	"testing"

	"github.com/kdecole-club/clubwiki/wiki"
)

// TestFollower_Move checks that a move takes the page out of the index
// under its old path and into it under the new one.
func TestFollower_Move(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.save("assistance/ancien-nom", "# Panne\n\nLe mot hurluberlu est rare.\n")
	e.sync()
	if _, err := e.svc.Move(e.ctx, e.user, wiki.MoveRequest{From: wiki.MustPath("assistance/ancien-nom"), To: wiki.MustPath("portails/nouveau-nom")}); err != nil {
		t.Fatal(err)
	}
	e.sync()
	if got := paths(e.search("hurluberlu")); !slices.Equal(got, []string{"portails/nouveau-nom"}) {
		t.Fatalf("hits = %v", got)
	}
}
