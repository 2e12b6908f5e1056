package wiki

import (
	"context"
	"errors"
)

// ImportSummary is the edit summary of imported revisions.
const ImportSummary = "import"

// ImportFile is one Markdown file to import.
type ImportFile struct {
	Name     string // where it came from, for the report
	Path     string // page path as written, before canonicalisation
	Markdown []byte
}

// ImportStatus says what importing a file did.
type ImportStatus string

// What importing a file can do.
const (
	ImportCreated   ImportStatus = "created"
	ImportUpdated   ImportStatus = "updated"
	ImportUnchanged ImportStatus = "unchanged" // same text as the head: no revision
	ImportSkipped   ImportStatus = "skipped"   // Reason says why
)

// ImportResult is the outcome for one file.
type ImportResult struct {
	File   ImportFile
	Path   Path // zero when the path could not be canonicalised
	Status ImportStatus
	Rev    int
	Reason string // why it was skipped, worded for users
}

// Import saves each file as a page by actor: one revision per new or
// changed page, none for a page whose head already has that text, so that
// importing a tree again adds nothing. Files are checked like a save
// (UTF-8, size, front matter, path); a bad one is skipped with its reason
// and the others go on. Pages are written in one store transaction when the
// store supports it. Two files naming the same page: the second is skipped.
func (s *Service) Import(ctx context.Context, actor *User, files []ImportFile) ([]ImportResult, error) {
	if err := s.authorize(ctx, actor, ActEdit, ""); err != nil {
		return nil, err
	}
	out := make([]ImportResult, len(files))
	var commits []Commit
	var which []int // out index of each commit
	seen := make(map[Path]string, len(files))
	for i, f := range files {
		out[i] = ImportResult{File: f, Status: ImportSkipped}
		c, err := s.importCommit(ctx, actor, f, &out[i])
		switch {
		case err != nil && ErrorCode(err) == EInternal:
			return nil, err
		case err != nil:
			out[i].Reason = ErrorMessage(err)
		case out[i].Status == ImportUnchanged:
		case seen[c.Path] != "":
			out[i].Status, out[i].Reason = ImportSkipped, "same page path as "+seen[c.Path]
		default:
			seen[c.Path] = f.Name
			commits = append(commits, c)
			which = append(which, i)
		}
	}
	if err := s.commitImport(ctx, commits, which, out); err != nil {
		return nil, err
	}
	return out, nil
}

// importCommit checks one file and returns the commit that imports it, or
// sets res.Status to ImportUnchanged.
func (s *Service) importCommit(ctx context.Context, actor *User, f ImportFile, res *ImportResult) (Commit, error) {
	p, err := s.ResolvePath(ctx, f.Path)
	if err != nil {
		return Commit{}, err
	}
	if err := s.authorize(ctx, actor, ActEdit, p.Namespace()); err != nil {
		return Commit{}, err
	}
	res.Path = p
	md, err := s.checkText(string(f.Markdown))
	if err != nil {
		return Commit{}, err
	}
	head, live, err := s.head(ctx, p)
	if err != nil {
		return Commit{}, err
	}
	if live {
		_, text, err := s.store.Revision(ctx, p, head.Rev)
		if err != nil {
			return Commit{}, err
		}
		if text == md {
			res.Status, res.Rev = ImportUnchanged, head.Rev
			return Commit{}, nil
		}
	}
	out, err := s.renderPage(ctx, p, md)
	if err != nil {
		return Commit{}, err
	}
	c := Commit{
		Path: p, ExpectRev: head.Rev, Kind: KindEdit, Author: actor.Login, Summary: ImportSummary,
		Markdown: md, Title: titleOf(out, p), Links: out.Links,
	}
	res.Status = ImportUpdated
	if !live {
		c.Kind, res.Status = KindCreate, ImportCreated
	}
	return c, nil
}

// commitImport writes the commits in one batch; when the batch
// meets a page changed meanwhile it commits one by one, skipping those.
func (s *Service) commitImport(ctx context.Context, commits []Commit, which []int, out []ImportResult) error {
	if len(commits) == 0 {
		return nil
	}
	chs, err := s.store.Commit(ctx, commits...)
	if err == nil {
		s.authored.note(chs)
		for k, ch := range chs {
			out[which[k]].Rev = ch.Rev
		}
		return nil
	}
	if !errors.Is(err, ErrStaleHead) {
		return err
	}
	for k, c := range commits {
		ch, err := s.commit(ctx, c)
		switch {
		case errors.Is(err, ErrStaleHead):
			out[which[k]].Status, out[which[k]].Reason = ImportSkipped, "the page changed during the import; import again"
		case err != nil:
			return err
		default:
			out[which[k]].Rev = ch.Rev
		}
	}
	return nil
}
