package wiki

import (
	"context"
	"io"
)

// Backupper is a Store that can write a consistent copy of itself while the
// wiki keeps serving (bbolt's read transactions see one snapshot).
type Backupper interface {
	Backup(ctx context.Context, w io.Writer) (int64, error)
}

// Backup writes a hot copy of the store to w: a file that the server can
// open as its data file. Only admins may take one: it holds every page,
// every user's password hash and every session.
func (s *Service) Backup(ctx context.Context, actor *User, w io.Writer) (int64, error) {
	if err := s.authorize(ctx, actor, ActBackup, ""); err != nil {
		return 0, err
	}
	b, ok := s.store.(Backupper)
	if !ok {
		return 0, Errorf(EInternal, "this store cannot make hot backups")
	}
	n, err := b.Backup(ctx, w)
	if err != nil {
		return n, Internal(err, "writing the backup")
	}
	return n, nil
}
