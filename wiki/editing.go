package wiki

import (
	"context"
)

// What the editor asks besides saving: the text of one section, the
// member's changes as a word diff before they save, and their text merged
// onto a head that moved on (a draft restored, someone else's save brought
// in while they type). Each is bounded as the diffs and merges of saves
// are.

// EditSection returns section n (from 1) of revision rev of p, for an
// editor of that section alone.
func (s *Service) EditSection(ctx context.Context, actor *User, p Path, rev, n int) (string, error) {
	if err := s.authorize(ctx, actor, ActEdit, p.nsOrEmpty()); err != nil {
		return "", err
	}
	text, err := s.revisionText(ctx, p, rev)
	if err != nil {
		return "", err
	}
	return SectionText(text, n)
}

// withSection turns a save of section n into a save of the whole page:
// the section spliced into the revision it was edited from, so that the
// save merges with what others changed elsewhere meanwhile.
func (s *Service) withSection(ctx context.Context, req SaveRequest) (SaveRequest, error) {
	if req.Section < 0 {
		return req, Errorf(EInvalid, "section must be 0 (the whole page) or more")
	}
	if req.Section == 0 {
		return req, nil
	}
	if req.BaseRev < 1 {
		return req, Errorf(EInvalid, "a section is edited from a revision: base_rev is missing")
	}
	text, err := s.revisionText(ctx, req.Path, req.BaseRev)
	if ErrorCode(err) == ENotFound {
		return req, Errorf(EInvalid, "base_rev %d is not a revision of %s", req.BaseRev, req.Path)
	}
	if err != nil {
		return req, err
	}
	md, err := SpliceSection(text, req.Section, req.Markdown)
	if err != nil {
		return req, err
	}
	req.Markdown, req.Section = md, 0
	return req, nil
}

// TextDiff is a member's text compared with a revision of the page.
type TextDiff struct {
	Rev   int // the revision compared with
	Words WordDiff
}

// DiffText returns the word diff from revision rev of p (0: the head) to
// text: what saving text would change. With section (from 1), text is
// that section of rev alone, compared as the page it would make.
func (s *Service) DiffText(ctx context.Context, actor *User, p Path, rev int, text string, section int) (TextDiff, error) {
	if err := s.authorize(ctx, actor, ActRead, p.nsOrEmpty()); err != nil {
		return TextDiff{}, err
	}
	text, err := s.checkText(text)
	if err != nil {
		return TextDiff{}, err
	}
	head, live, err := s.head(ctx, p)
	if err != nil {
		return TextDiff{}, err
	}
	if rev == 0 && live {
		rev = head.Rev
	}
	if rev < 0 || rev > head.Rev {
		return TextDiff{}, Errorf(EInvalid, "the page %s has revisions 1 to %d", p, head.Rev)
	}
	release, err := s.diffs.acquire(ctx)
	if err != nil {
		return TextDiff{}, err
	}
	defer release()
	from, err := s.revisionText(ctx, p, rev)
	if err != nil {
		return TextDiff{}, err
	}
	if section != 0 {
		if text, err = SpliceSection(from, section, text); err != nil {
			return TextDiff{}, err
		}
	}
	wd, err := s.differ.Words(ctx, from, text)
	return TextDiff{Rev: rev, Words: wd}, err
}

// Rebased is a member's text merged onto the head of the page.
type Rebased struct {
	Markdown  string // the text merged, when Conflicts is 0; else the member's text
	HeadRev   int    // the head merged onto: the new base of the edit
	Conflicts int    // regions both sides changed; the text is then left as it was
	Changed   bool   // the head moved on since base
}

// Rebase merges text, an edit of revision base of p, onto the page's head:
// what others saved meanwhile comes into the member's text without a
// save. Where both changed the same words nothing is merged (Conflicts),
// and the save will show them.
func (s *Service) Rebase(ctx context.Context, actor *User, p Path, base int, text string) (Rebased, error) {
	if err := s.authorize(ctx, actor, ActRead, p.nsOrEmpty()); err != nil {
		return Rebased{}, err
	}
	text, err := s.checkText(text)
	if err != nil {
		return Rebased{}, err
	}
	head, live, err := s.head(ctx, p)
	if err != nil {
		return Rebased{}, err
	}
	if base < 0 || base > head.Rev {
		return Rebased{}, Errorf(EInvalid, "base_rev %d is not a revision of %s (1 to %d)", base, p, head.Rev)
	}
	out := Rebased{Markdown: text, HeadRev: base}
	if base == head.Rev || !live || base == 0 {
		return out, nil
	}
	release, err := s.diffs.acquire(ctx)
	if err != nil {
		return Rebased{}, err
	}
	defer release()
	baseText, err := s.revisionText(ctx, p, base)
	if err != nil {
		return Rebased{}, err
	}
	_, headText, err := s.store.Revision(ctx, p, head.Rev)
	if err != nil {
		return Rebased{}, err
	}
	m, err := s.differ.Merge(ctx, baseText, text, headText)
	if err != nil {
		return Rebased{}, err
	}
	out.Changed = true
	if out.Conflicts = len(m.Conflicts()); out.Conflicts == 0 {
		out.Markdown, out.HeadRev = m.Markdown(head.Rev), head.Rev
	}
	return out, nil
}
