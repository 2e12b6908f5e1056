package wiki

import (
	"context"
	"crypto/sha256"
	"errors"
	"io/fs"
	"sort"
	"strings"
)

// Summaries of the revisions the wiki writes from its seed.
const (
	seedSummary        = "page initiale"
	seedUpgradeSummary = "page initiale mise à jour"
)

// seed creates the seed pages that never existed. Pages two levels deep
// and more (the example project sheets) are created only in a new wiki
// (fresh): an existing one has its own. A seed page nobody but the wiki
// ever wrote, whose text the seed has since changed (the axis pages got
// their views), gets the new text as a new revision; a page a member
// edited is never touched.
func (s *Service) seed(ctx context.Context, fresh bool) error {
	if s.cfg.Seed == nil {
		return nil
	}
	var files []string
	err := fs.WalkDir(s.cfg.Seed, ".", func(name string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(name, ".md") && strings.Count(name, "/") >= 1 {
			files = append(files, name)
		}
		return err
	})
	if err != nil {
		return Internal(err, "listing seed pages")
	}
	sort.Strings(files)
	for _, name := range files {
		if strings.Count(name, "/") > 1 && !fresh {
			continue
		}
		if err := s.seedPage(ctx, name); err != nil {
			return err
		}
	}
	return nil
}

// seedPage creates or upgrades the page of seed file name.
func (s *Service) seedPage(ctx context.Context, name string) error {
	p, err := s.ResolvePath(ctx, strings.TrimSuffix(name, ".md"))
	if err != nil {
		return nil // a seed page for a namespace that is not configured
	}
	text, err := fs.ReadFile(s.cfg.Seed, name)
	if err != nil {
		return Internal(err, "reading seed page "+name)
	}
	req := SaveRequest{Path: p, Markdown: string(text), Summary: seedSummary}
	h, err := s.store.Head(ctx, p)
	switch {
	case ErrorCode(err) == ENotFound:
	case err != nil:
		return err
	case h.Deleted || h.Author != SystemAuthor:
		return nil // never overwrite members' work, nor bring back what they deleted
	default:
		same, err := s.holdsText(ctx, p, h.Rev, req.Markdown)
		if err != nil || same {
			return err
		}
		req.BaseRev, req.Summary = h.Rev, seedUpgradeSummary
	}
	if _, err := s.Save(ctx, System(), req); err != nil && !errors.As(err, new(*ConflictError)) {
		return err
	}
	return nil
}

// holdsText reports whether revision rev of p, its head, holds text. Every
// start asks it of every seed page: the checksum of the head's revision
// answers without reading (inflating) its text, which the store checks
// against that checksum when it reads it. When the head moved meanwhile,
// or a store gives no checksum, the text of rev answers.
func (s *Service) holdsText(ctx context.Context, p Path, rev int, text string) (bool, error) {
	revs, err := s.store.History(ctx, p, 1, 0)
	if err != nil {
		return false, err
	}
	if len(revs) == 1 && revs[0].Rev == rev && revs[0].SHA256 != [32]byte{} {
		return revs[0].SHA256 == sha256.Sum256([]byte(text)), nil
	}
	_, cur, err := s.store.Revision(ctx, p, rev)
	return err == nil && cur == text, err
}
