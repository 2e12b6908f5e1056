package wiki

import (
	"context"
	"errors"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// SaveRequest is an edit of a page.
type SaveRequest struct {
	Path     Path
	Markdown string
	Summary  string
	BaseRev  int // revision the edit started from; 0 for a new page
	Minor    bool
	// Section, when not 0, says that Markdown is section Section (from 1)
	// of revision BaseRev alone (see Sections).
	Section int
}

// SaveResult says what a save did.
type SaveResult struct {
	Path      Path
	Rev       int
	Created   bool // the page did not exist (or was deleted) before
	Merged    bool // concurrent edits were merged
	Unchanged bool // the text equals the head's: no new revision
}

// MaxSummaryBytes bounds an edit summary.
const MaxSummaryBytes = 1000

// checkText validates page text and normalises line endings, so that a
// browser's CRLF and a script's LF give the same revision.
func (s *Service) checkText(md string) (string, error) {
	if !utf8.ValidString(md) {
		return "", Errorf(EInvalid, "the text is not valid UTF-8").Because(ReasonTextNotUTF8)
	}
	if strings.Contains(md, "\r") {
		md = strings.ReplaceAll(md, "\r\n", "\n")
		md = strings.ReplaceAll(md, "\r", "\n")
	}
	if len(md) > s.cfg.MaxPageBytes {
		return "", Errorf(ETooLarge, "the page is %d bytes; the limit is %d", len(md), s.cfg.MaxPageBytes).Because(ReasonPageTooLarge, s.cfg.MaxPageBytes)
	}
	if i := strings.IndexFunc(md, isControl); i >= 0 {
		return "", Errorf(EInvalid, "the text contains a control character (byte %d): is it a binary file?", i).Because(ReasonTextControlChar)
	}
	return md, nil
}

// isControl reports the characters a page's text may not hold: the C0
// controls but tab and newline (CR is gone by then), and DEL. They have no
// meaning in Markdown and come from binary files or broken copies.
func isControl(r rune) bool {
	return r < 0x20 && r != '\t' && r != '\n' || r == 0x7f
}

// isSummaryControl reports the characters a summary may not hold: every
// control character (C0, DEL, C1) but tab, which counts as a space. A
// summary is one line shown in histories, feeds and e-mails, where a line
// break or a terminal escape would forge or garble what follows.
func isSummaryControl(r rune) bool {
	return unicode.IsControl(r) && r != '\t'
}

// checkSummary validates an edit summary and collapses its spaces.
func checkSummary(sum string) (string, error) {
	if !utf8.ValidString(sum) {
		return "", Errorf(EInvalid, "the summary is not valid UTF-8").Because(ReasonSummaryNotUTF8)
	}
	if i := strings.IndexFunc(sum, isSummaryControl); i >= 0 {
		return "", Errorf(EInvalid, "the summary contains a control character (byte %d); it is one line of text", i).Because(ReasonSummaryControlChar)
	}
	sum = strings.Join(strings.Fields(sum), " ")
	if len(sum) > MaxSummaryBytes {
		return "", Errorf(EInvalid, "the summary is longer than %d bytes", MaxSummaryBytes).Because(ReasonSummaryTooLong, MaxSummaryBytes)
	}
	return sum, nil
}

// maxCommitAttempts bounds retries when concurrent commits keep winning.
const maxCommitAttempts = 8

// Save stores a new revision of a page, detecting concurrent edits.
func (s *Service) Save(ctx context.Context, actor *User, req SaveRequest) (SaveResult, error) {
	if err := s.authorize(ctx, actor, ActEdit, req.Path.nsOrEmpty()); err != nil {
		return SaveResult{}, err
	}
	if req.Path.IsZero() {
		return SaveResult{}, Errorf(EInvalid, "missing page path")
	}
	if req.Path == TypesPage {
		// The page types bind every member's saves: admins define them.
		if err := s.authorize(ctx, actor, ActAdmin, ""); err != nil {
			return SaveResult{}, err
		}
	}
	if req.BaseRev < 0 {
		return SaveResult{}, Errorf(EInvalid, "base_rev must be 0 or more")
	}
	req, err := s.withSection(ctx, req)
	if err != nil {
		return SaveResult{}, err
	}
	md, err := s.checkText(req.Markdown)
	if err != nil {
		return SaveResult{}, err
	}
	sum, err := checkSummary(req.Summary)
	if err != nil {
		return SaveResult{}, err
	}
	// Rendering validates the text (front matter) and gives title and links.
	st, err := s.linkState(ctx)
	if err != nil {
		return SaveResult{}, err
	}
	out, err := s.renderPage(ctx, req.Path, md)
	if err != nil {
		return SaveResult{}, err
	}
	if err := s.checkMeta(ctx, req.Path, md, out.Meta); err != nil {
		return SaveResult{}, err
	}
	sent := out.Links // as the member wrote them, before following moves
	if md, out, err = s.followLinksRendered(ctx, req.Path, md, out); err != nil {
		return SaveResult{}, err
	}
	unlock, err := s.saves.lock(ctx, req.Path)
	if err != nil {
		return SaveResult{}, err
	}
	defer unlock()
	res, err := retryStale(func() (SaveResult, error) {
		return s.trySave(ctx, actor, req, md, sum, rendering{out, st}, sent)
	}, func() error {
		return s.raceLost(ctx, req.Path, req.BaseRev, md)
	})
	if err == nil {
		s.watchOwnEdit(ctx, actor, req.Path)
		s.dropDraftAfterSave(ctx, actor, req.Path)
	}
	return res, err
}

// retryStale runs try again while another commit wins the race
// (ErrStaleHead), up to maxCommitAttempts times: each attempt re-reads the
// head, so a retry is computed against what the winner wrote. When every
// attempt lost, it returns lost's error: an edit conflict against the head
// that won, carrying what every edit conflict carries.
func retryStale[T any](try func() (T, error), lost func() error) (T, error) {
	for range maxCommitAttempts {
		v, err := try()
		if !errors.Is(err, ErrStaleHead) {
			return v, err
		}
	}
	var zero T
	return zero, lost()
}

// raceLost is the edit conflict of a change to p that kept losing the race
// to commit: base is the revision it started from, mine the text it wanted
// ("" to delete). Its ConflictMarkdown is mine merged onto the current head
// from base, with markers where they overlap, or both texts as one region
// when there is nothing to merge from; saved with HeadRev as base it
// applies the change.
func (s *Service) raceLost(ctx context.Context, p Path, base int, mine string) error {
	head, live, err := s.head(ctx, p)
	if err != nil {
		return err
	}
	headText := ""
	if live {
		if _, headText, err = s.store.Revision(ctx, p, head.Rev); err != nil {
			return err
		}
	}
	c := &ConflictError{Path: p, BaseRev: base, HeadRev: head.Rev, Merge: wholeConflict(mine, headText)}
	if base > 0 && base < head.Rev && live {
		baseText, err := s.revisionText(ctx, p, base)
		if err != nil {
			return err
		}
		if c.Merge, err = s.differ.Merge(ctx, baseText, mine, headText); err != nil {
			return err
		}
	}
	c.ConflictMarkdown = c.Merge.Markdown(head.Rev)
	return c
}

// trySave is one attempt of Save; sent are the links of the text as the
// member sent it.
func (s *Service) trySave(ctx context.Context, actor *User, req SaveRequest, md, sum string, r rendering, sent []Path) (SaveResult, error) {
	out := r.out
	head, live, err := s.head(ctx, req.Path)
	if err != nil {
		return SaveResult{}, err
	}
	if head.Rev == 0 && req.BaseRev > 0 {
		// An edit of a page that moved away since: the interfaces send
		// it where the page went.
		var moved *MovedError
		if err := s.followMove(ctx, actor, req.Path, Errorf(ENotFound, "no page at %s", req.Path)); errors.As(err, &moved) {
			return SaveResult{}, err
		}
	}
	if req.BaseRev > head.Rev {
		return SaveResult{}, Errorf(EInvalid, "base_rev %d is newer than the page's revision %d", req.BaseRev, head.Rev)
	}
	c := Commit{
		Path: req.Path, ExpectRev: head.Rev, Kind: KindEdit, Author: actor.Login,
		Summary: sum, Minor: req.Minor, Markdown: md, Title: titleOf(out, req.Path), Links: out.Links,
	}
	if live {
		_, headText, err := s.store.Revision(ctx, req.Path, head.Rev)
		if err != nil {
			return SaveResult{}, err
		}
		if headText == md {
			return SaveResult{Path: req.Path, Rev: head.Rev, Unchanged: true}, nil
		}
		if req.BaseRev != head.Rev {
			return s.merge(ctx, req, c, headText, head, sent)
		}
	} else {
		// New page, or recreating a deleted one: base_rev is 0 or the
		// deletion revision. An older base means the edit began before
		// the deletion, which the editor must see.
		if head.Rev > 0 && req.BaseRev != 0 && req.BaseRev != head.Rev {
			return SaveResult{}, newConflict(req.Path, req.BaseRev, head.Rev, wholeConflict(md, ""))
		}
		c.Kind = KindCreate
	}
	ch, err := s.commit(ctx, c)
	if err != nil {
		return SaveResult{}, err
	}
	s.remember(ctx, ch, c, r)
	return SaveResult{Path: req.Path, Rev: ch.Rev, Created: c.Kind == KindCreate}, nil
}

// merge applies an edit that started from an older revision on top of the
// head when the two do not overlap; otherwise it is an edit conflict.
func (s *Service) merge(ctx context.Context, req SaveRequest, c Commit, headText string, head Head, sent []Path) (SaveResult, error) {
	if req.BaseRev == 0 {
		// Creating a page that exists: nothing in common to merge from.
		return SaveResult{}, newConflict(req.Path, req.BaseRev, head.Rev, wholeConflict(c.Markdown, headText))
	}
	base, err := s.revisionText(ctx, req.Path, req.BaseRev)
	if err != nil {
		return SaveResult{}, err
	}
	// The head may hold links a move rewrote since base: rewritten in
	// base and in the member's text too (the move may have committed
	// after Save looked), they are no change of the member's to merge.
	// Only when the member's text names a moved page: each costs a
	// rendering, which a merge of a large page does not pay for nothing.
	if moved, err := s.store.Redirects(ctx, append(slices.Clip(sent), c.Links...)); err != nil {
		return SaveResult{}, err
	} else if len(moved) > 0 {
		if base, err = s.followLinksOf(ctx, req.Path, base); err != nil {
			return SaveResult{}, err
		}
		if c.Markdown, err = s.followLinksOf(ctx, req.Path, c.Markdown); err != nil {
			return SaveResult{}, err
		}
	}
	m, err := s.differ.Merge(ctx, base, c.Markdown, headText)
	if err != nil {
		return SaveResult{}, err
	}
	if len(m.Conflicts()) > 0 {
		return SaveResult{}, newConflict(req.Path, req.BaseRev, head.Rev, m)
	}
	merged := m.Markdown(head.Rev)
	if merged == headText {
		return SaveResult{Path: req.Path, Rev: head.Rev, Unchanged: true, Merged: true}, nil
	}
	if len(merged) > s.cfg.MaxPageBytes {
		return SaveResult{}, Errorf(ETooLarge, "the merged page is %d bytes; the limit is %d", len(merged), s.cfg.MaxPageBytes).Because(ReasonPageTooLarge, s.cfg.MaxPageBytes)
	}
	st, err := s.linkState(ctx)
	if err != nil {
		return SaveResult{}, err
	}
	out, err := s.renderPage(ctx, req.Path, merged)
	if err != nil {
		return SaveResult{}, err
	}
	c.Markdown, c.Title, c.Links = merged, titleOf(out, req.Path), out.Links
	ch, err := s.commit(ctx, c)
	if err != nil {
		return SaveResult{}, err
	}
	s.remember(ctx, ch, c, rendering{out, st})
	return SaveResult{Path: req.Path, Rev: ch.Rev, Merged: true}, nil
}

// head returns the page head (zero Head with Rev 0 if it never existed) and
// whether the page is live.
func (s *Service) head(ctx context.Context, p Path) (Head, bool, error) {
	h, err := s.store.Head(ctx, p)
	if ErrorCode(err) == ENotFound {
		return Head{Path: p}, false, nil
	}
	if err != nil {
		return Head{}, false, err
	}
	return h, !h.Deleted, nil
}
