package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/kdecole-club/clubwiki/wiki"
)

// rivalStore lets another editor win every race to commit while racing is
// on: before each commit of the test's users, the rival commits a line of
// their own at the end of the page, so that the head has always moved and
// the edits still merge.
type rivalStore struct {
	wiki.Store
	racing atomic.Bool
	n      atomic.Int64
}

func (s *rivalStore) Commit(ctx context.Context, cs ...wiki.Commit) ([]wiki.Change, error) {
	for _, c := range cs {
		if err := s.race(ctx, c); err != nil {
			return nil, err
		}
	}
	return s.Store.Commit(ctx, cs...)
}

// race has the rival commit on c's page first, when racing.
func (s *rivalStore) race(ctx context.Context, c wiki.Commit) error {
	if !s.racing.Load() || c.Author == "rivale" {
		return nil
	}
	h, err := s.Store.Head(ctx, c.Path)
	if err != nil {
		return err
	}
	_, text, err := s.Store.Revision(ctx, c.Path, h.Rev)
	if err != nil {
		return err
	}
	n := s.n.Add(1)
	rival := wiki.Commit{Path: c.Path, ExpectRev: h.Rev, Kind: wiki.KindEdit, Author: "rivale",
		Summary: "course", Markdown: text + "Ajout " + strconv.FormatInt(n, 10) + ".\n", Title: h.Title}
	_, err = s.Store.Commit(ctx, rival)
	return err
}

func TestServer_SaveLosingEveryRace(t *testing.T) {
	t.Parallel()
	var rs *rivalStore
	e := newTestEnvWith(t, envOptions{wrapStore: func(st wiki.Store) wiki.Store {
		rs = &rivalStore{Store: st}
		return rs
	}})
	e.save("club/course", "# Course\n\nPremière ligne.\n\nMilieu.\n\nFin.\n", 0, http.StatusCreated)
	rs.racing.Store(true)
	t.Run("edit", func(t *testing.T) {
		body := map[string]any{"markdown": "# Course\n\nPremière ligne, revue.\n\nMilieu.\n\nFin.\n", "base_rev": 1}
		c := wantError(t, e.do("PUT", "/api/pages/club/course", e.editor, body), http.StatusConflict, "edit_conflict")
		h, err := e.store.Head(context.Background(), wiki.MustPath("club/course"))
		if err != nil {
			t.Fatal(err)
		}
		if c.HeadRev == nil || *c.HeadRev != h.Rev {
			t.Fatalf("head_rev = %v, want the head %d", c.HeadRev, h.Rev)
		}
		if c.ConflictMarkdown == nil || !strings.Contains(*c.ConflictMarkdown, "Première ligne, revue.") ||
			!strings.Contains(*c.ConflictMarkdown, "Ajout "+strconv.Itoa(h.Rev-1)+".") {
			t.Errorf("conflict_markdown = %v, want both the edit and the head's lines", c.ConflictMarkdown)
		}
	})
	t.Run("delete", func(t *testing.T) {
		c := wantError(t, e.do("DELETE", "/api/pages/club/course", e.editor, nil), http.StatusConflict, "edit_conflict")
		if c.HeadRev == nil || c.ConflictMarkdown == nil {
			t.Errorf("answer without head_rev or conflict_markdown: %+v", c)
		}
	})
	t.Run("revert", func(t *testing.T) {
		c := wantError(t, e.do("POST", "/api/revert/club/course", e.editor, map[string]any{"rev": 1}), http.StatusConflict, "edit_conflict")
		if c.HeadRev == nil || c.ConflictMarkdown == nil || !strings.Contains(*c.ConflictMarkdown, "Première ligne.") {
			t.Errorf("answer = %+v", c)
		}
	})
	rs.racing.Store(false)
	t.Run("saving the conflict text at head_rev goes through", func(t *testing.T) {
		body := map[string]any{"markdown": "# Course\n\nPremière ligne, revue.\n\nMilieu.\n\nFin.\n", "base_rev": 1}
		rs.racing.Store(true)
		c := wantError(t, e.do("PUT", "/api/pages/club/course", e.editor, body), http.StatusConflict, "edit_conflict")
		rs.racing.Store(false)
		e.save("club/course", *c.ConflictMarkdown, *c.HeadRev, http.StatusOK)
	})
}
