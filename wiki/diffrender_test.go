package wiki_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/kdecole-club/clubwiki/wiki"
	"github.com/kdecole-club/clubwiki/wiki/textdiff"
)

// TestService_RenderDiff_gate checks that a rendered diff takes a diff
// slot and one rendering slot for all its blocks: while one holds the
// only diff slot, another waits (and gives up with its context) but a
// page still renders at once; a canceled one renders nothing.
func TestService_RenderDiff_gate(t *testing.T) {
	f := newFixture(t, wiki.Config{})
	const p = "club/rendu"
	f.save(t, p, "BLOCK un mot.\n\nAutre paragraphe.\n", 0)
	f.save(t, p, "BLOCK deux mots.\n\nAutre paragraphe.\n", 1)
	f.save(t, "club/libre", "# Libre\n\nTexte.\n", 0)
	g := &gatedRenderer{Renderer: fixtureRenderer(), started: make(chan struct{}, 4), release: make(chan struct{})}
	svc := wiki.NewService(f.db, g, textdiff.New(), wiki.Config{DiffSlots: 1, RenderSlots: 2})
	d, err := svc.DiffWords(f.ctx, f.reader, wiki.MustPath(p), 1, 2, true)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		blocks, err := svc.RenderDiff(f.ctx, f.reader, wiki.MustPath(p), *d.Words)
		if err == nil && !strings.Contains(blocks[0].HTML, string(wiki.MarkInsStart)) {
			err = errors.New("no mark in " + blocks[0].HTML)
		}
		done <- err
	}()
	<-g.started // the first rendered diff holds the only diff slot
	ctx, cancel := context.WithTimeout(f.ctx, 50*time.Millisecond)
	defer cancel()
	if _, err := svc.RenderDiff(ctx, f.reader, wiki.MustPath(p), *d.Words); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("second rendered diff: %v, want its context's deadline", err)
	}
	select {
	case <-g.started:
		t.Fatal("a second rendered diff started rendering while the only diff slot was taken")
	default:
	}
	if v, err := svc.Page(f.ctx, f.reader, wiki.MustPath("club/libre"), 0); err != nil || !strings.Contains(v.HTML, "Texte") {
		t.Fatalf("a page view while a rendered diff runs: %v", err)
	}
	close(g.release)
	if err := <-done; err != nil {
		t.Fatalf("first rendered diff: %v", err)
	}
	canceled, stop := context.WithCancel(f.ctx)
	stop()
	if _, err := svc.RenderDiff(canceled, f.reader, wiki.MustPath(p), *d.Words); !errors.Is(err, context.Canceled) {
		t.Errorf("canceled: %v", err)
	}
}

// TestService_RenderDiff_policy checks that a rendered diff of a page the
// reader may not read is refused as a missing page.
func TestService_RenderDiff_policy(t *testing.T) {
	f := newFixture(t, wiki.Config{ReadRule: func(u *wiki.User, ns string) bool { return ns != "marches" || u.Role == wiki.RoleAdmin }})
	svc := f.svc
	wd := wiki.WordDiff{Blocks: []wiki.WordBlock{{Kind: wiki.BlockSame, Segments: []wiki.Segment{{Op: wiki.SegEqual, Text: "secret\n"}}}}}
	if _, err := svc.RenderDiff(f.ctx, f.reader, wiki.MustPath("marches/prix"), wd); wiki.ErrorCode(err) != wiki.ENotFound {
		t.Errorf("err = %v, want not found", err)
	}
}
