package wiki

import (
	"context"
	"log/slog"
	"time"
)

// MaxDrafts bounds the drafts one member keeps: a draft is small next to
// the page it edits, but nothing a member sends may grow the store without
// bound.
const MaxDrafts = 200

// Draft is what a member typed in the editor of a page and has not saved
// yet, kept on the server so that a closed tab, a crashed browser or a
// restarted server loses at most the last few seconds. A draft is its
// member's alone.
type Draft struct {
	Login    string
	Path     Path
	Markdown string
	BaseRev  int // the revision the edit started from
	Saved    time.Time
}

// DraftStore keeps the members' drafts, one per member and page.
type DraftStore interface {
	// PutDraft stores d, replacing the member's draft of that page. A new
	// draft when the member already has max is ETooLarge, and nothing is
	// written.
	PutDraft(ctx context.Context, d Draft, max int) error
	// Draft returns login's draft of p; ENotFound when there is none.
	Draft(ctx context.Context, login string, p Path) (Draft, error)
	// DeleteDraft removes login's draft of p; no error when there is none.
	DeleteDraft(ctx context.Context, login string, p Path) error
	// Drafts lists login's drafts by path, at most limit, without their
	// text (Markdown is "").
	Drafts(ctx context.Context, login string, limit int) ([]Draft, error)
}

// SaveDraft keeps actor's draft of p: only a member who may edit p has
// one, and it is bounded like the page it would become.
func (s *Service) SaveDraft(ctx context.Context, actor *User, p Path, md string, baseRev int) (Draft, error) {
	if err := s.authorize(ctx, actor, ActEdit, p.nsOrEmpty()); err != nil {
		return Draft{}, err
	}
	if p.IsZero() {
		return Draft{}, Errorf(EInvalid, "missing page path")
	}
	if baseRev < 0 {
		return Draft{}, Errorf(EInvalid, "base_rev must be 0 or more")
	}
	md, err := s.checkText(md)
	if err != nil {
		return Draft{}, err
	}
	d := Draft{Login: actor.Login, Path: p, Markdown: md, BaseRev: baseRev, Saved: s.cfg.Now().UTC()}
	if err := s.store.PutDraft(ctx, d, MaxDrafts); err != nil {
		return Draft{}, err
	}
	return d, nil
}

// DraftOf returns actor's own draft of p. Another member's draft does not
// exist for them, nor a draft of a page they may no longer read.
func (s *Service) DraftOf(ctx context.Context, actor *User, p Path) (Draft, error) {
	if err := s.authorize(ctx, actor, ActRead, p.nsOrEmpty()); err != nil {
		return Draft{}, err
	}
	return s.store.Draft(ctx, actor.Login, p)
}

// DropDraft removes actor's draft of p.
func (s *Service) DropDraft(ctx context.Context, actor *User, p Path) error {
	if err := s.authorize(ctx, actor, ActRead, p.nsOrEmpty()); err != nil {
		return err
	}
	return s.store.DeleteDraft(ctx, actor.Login, p)
}

// MyDrafts lists actor's drafts of the pages they may still read, by path.
func (s *Service) MyDrafts(ctx context.Context, actor *User) ([]Draft, error) {
	readable, err := s.readable(ctx, actor)
	if err != nil {
		return nil, err
	}
	ds, err := s.store.Drafts(ctx, actor.Login, MaxDrafts)
	if err != nil {
		return nil, err
	}
	out := ds[:0]
	for _, d := range ds {
		if readable.Has(d.Path.Namespace()) {
			out = append(out, d)
		}
	}
	return out, nil
}

// dropDraftAfterSave forgets the saver's draft of a page they just saved:
// what it held is in the page now. A failure costs a stale draft, which
// the editor offers again, never the save.
func (s *Service) dropDraftAfterSave(ctx context.Context, actor *User, p Path) {
	if err := s.store.DeleteDraft(ctx, actor.Login, p); err != nil {
		slog.Default().Warn("dropping a saved draft", "login", actor.Login, "path", p.String(), "err", err)
	}
}
