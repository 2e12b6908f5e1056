package wiki_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/kdecole-club/clubwiki/search"
	"github.com/kdecole-club/clubwiki/wiki"
)

// holdIndex is a real index whose searches, once entered, wait for a
// release (or their context's end): the tests hold search slots with it
// without depending on timing.
type holdIndex struct {
	wiki.SearchIndex
	entered chan struct{}
	release chan struct{}
}

func newHoldIndex(t *testing.T) *holdIndex {
	t.Helper()
	idx, _, err := search.Open(filepath.Join(t.TempDir(), "index"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = idx.Close() })
	return &holdIndex{SearchIndex: idx, entered: make(chan struct{}, 16), release: make(chan struct{})}
}

func (h *holdIndex) hold(ctx context.Context) error {
	h.entered <- struct{}{}
	select {
	case <-h.release:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (h *holdIndex) Search(ctx context.Context, q wiki.SearchQuery) (wiki.SearchResult, error) {
	if err := h.hold(ctx); err != nil {
		return wiki.SearchResult{}, err
	}
	return h.SearchIndex.Search(ctx, q)
}

func (h *holdIndex) Suggest(ctx context.Context, prefix string, ns []string, limit int) ([]wiki.Suggestion, error) {
	if err := h.hold(ctx); err != nil {
		return nil, err
	}
	return h.SearchIndex.Suggest(ctx, prefix, ns, limit)
}

// searchAsync runs a search in the background; its error comes on the
// channel.
func searchAsync(ctx context.Context, f *fixture) <-chan error {
	done := make(chan error, 1)
	go func() {
		_, err := f.svc.Search(ctx, f.reader, wiki.SearchParams{Q: "connexion"})
		done <- err
	}()
	return done
}

// within fails the test when ch has no answer in a generous time: a hang,
// not a slow machine.
func within(t *testing.T, ch <-chan error) error {
	t.Helper()
	select {
	case err := <-ch:
		return err
	case <-time.After(10 * time.Second):
		t.Fatal("no answer within 10 s")
		return nil
	}
}

func TestService_SearchLimits(t *testing.T) {
	t.Run("busy", func(t *testing.T) {
		f, idx := newFixture(t, wiki.Config{}), newHoldIndex(t)
		f.svc.SetSearchLimited(idx, wiki.SearchLimits{Running: 2, Waiting: 1, Wait: 20 * time.Millisecond})
		held := []<-chan error{searchAsync(f.ctx, f), searchAsync(f.ctx, f)}
		<-idx.entered
		<-idx.entered
		_, err := f.svc.Search(f.ctx, f.reader, wiki.SearchParams{Q: "connexion"})
		if wiki.ErrorCode(err) != wiki.EUnavailable {
			t.Fatalf("a search with every slot taken answers %v, want %s", err, wiki.EUnavailable)
		}
		if _, err := f.svc.Suggest(f.ctx, f.reader, "conn", 5); wiki.ErrorCode(err) != wiki.EUnavailable {
			t.Fatalf("a suggestion with every slot taken answers %v, want %s", err, wiki.EUnavailable)
		}
		close(idx.release)
		for _, ch := range held {
			if err := within(t, ch); err != nil {
				t.Fatalf("a held search: %v", err)
			}
		}
		if _, err := f.svc.Search(f.ctx, f.reader, wiki.SearchParams{Q: "connexion"}); err != nil {
			t.Fatalf("a search once the slots are free: %v", err)
		}
	})
	t.Run("waiting room full", func(t *testing.T) {
		f, idx := newFixture(t, wiki.Config{}), newHoldIndex(t)
		f.svc.SetSearchLimited(idx, wiki.SearchLimits{Running: 1, Waiting: 1, Wait: time.Minute})
		held := searchAsync(f.ctx, f)
		<-idx.entered
		// One of these two waits for the slot, the other finds the
		// waiting room full and is refused at once.
		ctx, cancel := context.WithCancel(f.ctx)
		b, c := searchAsync(ctx, f), searchAsync(ctx, f)
		var refused error
		var waiting <-chan error
		select {
		case refused = <-b:
			waiting = c
		case refused = <-c:
			waiting = b
		case <-time.After(10 * time.Second):
			t.Fatal("no search refused with the waiting room full")
		}
		if wiki.ErrorCode(refused) != wiki.EUnavailable {
			t.Fatalf("a search with the waiting room full answers %v, want %s", refused, wiki.EUnavailable)
		}
		// A waiting search whose request ends leaves at once.
		cancel()
		if err := within(t, waiting); !errors.Is(err, context.Canceled) {
			t.Fatalf("a waiting search whose request ended answers %v, want context.Canceled", err)
		}
		close(idx.release)
		if err := within(t, held); err != nil {
			t.Fatalf("the held search: %v", err)
		}
	})
	t.Run("timeout", func(t *testing.T) {
		f, idx := newFixture(t, wiki.Config{}), newHoldIndex(t)
		f.svc.SetSearchLimited(idx, wiki.SearchLimits{Timeout: 50 * time.Millisecond})
		_, err := f.svc.Search(f.ctx, f.reader, wiki.SearchParams{Q: "connexion"})
		if wiki.ErrorCode(err) != wiki.EUnavailable {
			t.Fatalf("a search past its time answers %v, want %s", err, wiki.EUnavailable)
		}
	})
}
