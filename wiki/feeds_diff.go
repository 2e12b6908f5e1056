package wiki

import (
	"context"
	"errors"
	"strings"
	"time"
	"unicode/utf8"
)

// Bounds of the diffs of one feed: a feed of 200 entries of huge pages
// costs no more than these, whatever its pages.
const (
	// FeedEntryMax bounds the HTML of one entry's diff.
	FeedEntryMax = 64 << 10
	// feedTextBudget bounds the text one feed reads to diff, in bytes
	// (both sides of each entry): past it, entries have no diff. It is
	// spent in the order of the entries, by sizes the revisions record,
	// so the same feed omits the same entries every time.
	feedTextBudget = 16 << 20
	// DefaultFeedTime bounds the time one feed spends diffing; entries
	// past it have no diff this time (OmittedBusy).
	DefaultFeedTime = 3 * time.Second
)

func (s *Service) feedTime() time.Duration {
	if s.cfg.FeedTime > 0 {
		return s.cfg.FeedTime
	}
	return DefaultFeedTime
}

func (s *Service) feedBytes() int {
	if s.cfg.FeedBytes > 0 {
		return s.cfg.FeedBytes
	}
	return feedTextBudget
}

func (s *Service) feedEntryMax() int {
	if s.cfg.FeedEntryBytes > 0 {
		return s.cfg.FeedEntryBytes
	}
	return FeedEntryMax
}

// Entries computes the diffs of the feed's changes, within the feed's
// bounds, each taking a slot of the diffs' gate as a diff page does.
func (f *Feed) Entries(ctx context.Context) ([]FeedEntry, error) {
	out := make([]FeedEntry, len(f.Changes))
	dctx, cancel := context.WithTimeout(ctx, f.s.feedTime())
	defer cancel()
	budget, busy := f.s.feedBytes(), false
	var memo textMemo
	for i, c := range f.Changes {
		out[i].Change = c
		size, err := f.s.changeSize(ctx, c)
		if err != nil {
			return nil, err
		}
		if size < 0 || size > budget {
			out[i].Omitted = OmittedSize
			continue
		}
		// The budget is spent whether or not time is left, so that the
		// entries past it are the same at every read.
		budget -= size
		if busy {
			out[i].Omitted = OmittedBusy
			continue
		}
		out[i].DiffHTML, out[i].Truncated, err = f.s.feedDiff(dctx, c, &memo, f.Words)
		switch {
		case ctx.Err() != nil:
			return nil, ctx.Err()
		case ErrorCode(err) == EUnavailable || errors.Is(err, context.DeadlineExceeded):
			out[i].Omitted, busy = OmittedBusy, true
		case ErrorCode(err) == ENotFound || ErrorCode(err) == ETooLarge:
			out[i].Omitted = OmittedSize
		case err != nil:
			return nil, err
		}
	}
	return out, nil
}

// changeSize returns the bytes of the two texts a change's diff compares,
// from what the revisions record; -1 when they are gone (a page moved
// since).
func (s *Service) changeSize(ctx context.Context, c Change) (int, error) {
	revs, err := s.store.History(ctx, c.Path, 2, c.Rev+1)
	if ErrorCode(err) == ENotFound || (err == nil && (len(revs) == 0 || revs[0].Rev != c.Rev)) {
		return -1, nil
	}
	if err != nil {
		return 0, err
	}
	n := 0
	for _, r := range revs {
		n += r.Size
	}
	return n, nil
}

// textMemo keeps the older text of the last entry diffed: entries come
// newest first, so the next entry of the same page (a history feed, a page
// edited several times in a row) starts from it, and reads one revision
// instead of two.
type textMemo struct {
	path Path
	rev  int
	text string
}

// feedDiff returns the diff of a change as HTML, with a slot of the diffs'
// gate held.
func (s *Service) feedDiff(ctx context.Context, c Change, memo *textMemo, words FeedWords) (string, bool, error) {
	release, err := s.diffs.acquire(ctx)
	if err != nil {
		return "", false, err
	}
	defer release()
	b := memo.text
	if memo.path != c.Path || memo.rev != c.Rev {
		if b, err = s.revisionText(ctx, c.Path, c.Rev); err != nil {
			return "", false, err
		}
	}
	a, err := s.revisionText(ctx, c.Path, c.Rev-1)
	if err != nil {
		return "", false, err
	}
	*memo = textMemo{c.Path, c.Rev - 1, a}
	return s.changeHTML(ctx, a, b, words)
}

// changeHTML is what a feed entry shows of the change from a to b, at most
// FeedEntryMax bytes of it (or Config.FeedEntryBytes): the one place that
// chooses how a change reads in a feed. It is the word diff (Differ.Words, bounded by its context and
// its own token bounds), written by wordsHTML in the feed's words.
func (s *Service) changeHTML(ctx context.Context, a, b string, words FeedWords) (string, bool, error) {
	wd, err := s.differ.Words(ctx, a, b)
	if err != nil {
		return "", false, err
	}
	out, truncated := wordsHTML(wd, words, s.feedEntryMax())
	return out, truncated, nil
}

// cutUTF8 returns the longest prefix of s of at most n bytes that does not
// cut a character in two.
func cutUTF8(s string, n int) string {
	n = max(n, 0)
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// writeBounded writes s when it fits in room and takes it from room.
func writeBounded(sb *strings.Builder, room *int, s string) bool {
	if len(s) > *room {
		return false
	}
	sb.WriteString(s)
	*room -= len(s)
	return true
}
