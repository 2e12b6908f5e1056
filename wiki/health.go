package wiki

import "context"

// Ping reports whether the store answers. It is what a health check asks:
// cheaper than Namespaces, which also counts pages, and it needs no actor.
func (s *Service) Ping(ctx context.Context) error {
	_, err := s.store.Namespaces(ctx)
	return err
}
