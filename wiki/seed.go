package wiki

import (
	"context"
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
		_, cur, err := s.store.Revision(ctx, p, h.Rev)
		if err != nil || cur == req.Markdown {
			return err
		}
		req.BaseRev, req.Summary = h.Rev, seedUpgradeSummary
	}
	if _, err := s.Save(ctx, System(), req); err != nil && !errors.As(err, new(*ConflictError)) {
		return err
	}
	return nil
}
