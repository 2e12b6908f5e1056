package wiki

import (
	"context"
	"fmt"
)

// MovedError says that a page asked for was moved and lives at To now. Its
// code is ENotFound, so that a caller that does not follow moves answers as
// for a missing page; the interfaces redirect.
type MovedError struct {
	From, To Path
}

func (e *MovedError) Error() string {
	return fmt.Sprintf("the page %s was moved to %s", e.From, e.To)
}

// As lets errors.As see a move as an *Error with the code ENotFound.
func (e *MovedError) As(target any) bool {
	t, ok := target.(**Error)
	if ok {
		*t = &Error{Code: ENotFound, Message: e.Error()}
	}
	return ok
}

// followMove turns err, a page p not found, into a *MovedError when a move
// left p behind and actor may read where it went; any other error, or a
// page moved where actor may not read, stays as it is (no leak: the reader
// sees a missing page).
func (s *Service) followMove(ctx context.Context, actor *User, p Path, err error) error {
	if ErrorCode(err) != ENotFound || p.IsZero() {
		return err
	}
	r, rerr := s.store.Redirects(ctx, []Path{p})
	if rerr != nil {
		return rerr
	}
	to, ok := r[p]
	if !ok || s.authorize(ctx, actor, ActRead, to.Namespace()) != nil {
		return err
	}
	return &MovedError{From: p, To: to}
}

// followLinks rewrites the links of text (rendered as out at p) whose
// target a move left behind to where the page went, as a move rewrote the
// pages that existed then: a save that started before the move, or that
// names the old path, ends up linking to the new one. It returns text
// unchanged when no link names a redirected path.
func (s *Service) followLinks(ctx context.Context, p Path, text string, out *Rendered) (string, error) {
	if len(out.Links) == 0 {
		return text, nil
	}
	r, err := s.store.Redirects(ctx, out.Links)
	if err != nil || len(r) == 0 {
		return text, err
	}
	md, _, err := s.relink(ctx, text, p, p, r)
	return md, err
}

// followLinksRendered is followLinks that also gives the rendering of
// what it returns (out itself when nothing changed).
func (s *Service) followLinksRendered(ctx context.Context, p Path, text string, out *Rendered) (string, *Rendered, error) {
	md, err := s.followLinks(ctx, p, text, out)
	if err != nil || md == text {
		return text, out, err
	}
	r, err := s.renderPage(ctx, p, md)
	return md, r, err
}

// followLinksOf is followLinks of a text not rendered yet.
func (s *Service) followLinksOf(ctx context.Context, p Path, text string) (string, error) {
	out, err := s.renderPage(ctx, p, text)
	if err != nil {
		return text, nil // an old text the renderer refuses: merged as it is
	}
	return s.followLinks(ctx, p, text, out)
}
