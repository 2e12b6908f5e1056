package wiki

import (
	"context"
	"io"
)

// Backup writes a hot copy of the store to w: a file that the server can
// open as its data file. Only admins may take one: it holds every page,
// every user's password hash and every session.
func (s *Service) Backup(ctx context.Context, actor *User, w io.Writer) (int64, error) {
	if err := s.authorize(ctx, actor, ActBackup, ""); err != nil {
		return 0, err
	}
	n, err := s.store.Backup(ctx, w)
	if err != nil {
		return n, Internal(err, "writing the backup")
	}
	return n, nil
}
