package wiki

import "context"

// Source returns the Markdown of the page's head, without rendering it: for
// callers that read the text, not the page (the words of a link to a
// missing page), so that they neither take a render slot nor, for a reader
// whose renderings are not cached (see Page), render every time. A missing
// or deleted page is ENotFound.
func (s *Service) Source(ctx context.Context, actor *User, p Path) (string, error) {
	if err := s.authorize(ctx, actor, ActRead, p.nsOrEmpty()); err != nil {
		return "", err
	}
	head, err := s.store.Head(ctx, p)
	if err != nil {
		return "", err
	}
	if head.Deleted {
		return "", Errorf(ENotFound, "the page %s was deleted", p)
	}
	return s.revisionText(ctx, p, head.Rev)
}
