package wiki

import (
	"context"
	"strings"
)

// Audit returns what admins did, newest first, for an admin: up to limit
// entries with Seq < before (0: from the newest). A rule of a namespace
// the admin does not read is left out, as the namespace is.
func (s *Service) Audit(ctx context.Context, actor *User, before uint64, limit int) ([]Change, error) {
	readable, err := s.readable(ctx, actor)
	if err == nil {
		err = s.authorize(ctx, actor, ActAdmin, "")
	}
	if err != nil {
		return nil, err
	}
	limit = clampLimit(limit)
	var out []Change
	// A few rounds at most: the entries left out are rules of hidden
	// namespaces, a handful.
	for round := 0; round < 8 && len(out) < limit; round++ {
		chs, err := s.store.Audit(ctx, before, limit-len(out))
		if err != nil || len(chs) == 0 {
			return out, err
		}
		for _, ch := range chs {
			if key, ok := strings.CutPrefix(ch.Subject, "rules:"); ok && !readable.Has(key) {
				continue
			}
			out = append(out, ch)
		}
		before = chs[len(chs)-1].Seq
	}
	return out, nil
}
