package wiki_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/kdecole-club/clubwiki/testdata/hostile"
	"github.com/kdecole-club/clubwiki/wiki"
	"github.com/kdecole-club/clubwiki/wiki/textdiff"
)

// unboundedRenderer renders any text as a paragraph, as the wiki did
// before its renderer had bounds (without the cost).
type unboundedRenderer struct{}

func (unboundedRenderer) Render(_ context.Context, src []byte, _ wiki.RenderOptions) (*wiki.Rendered, error) {
	return &wiki.Rendered{HTML: "<p>page</p>", Meta: map[string]any{}, Text: string(src)}, nil
}

// TestService_Page_unrendered views a page saved before the bounds existed
// that now goes past one: it is shown as escaped preformatted text with the
// bound named, never an error, and cached like any page.
func TestService_Page_unrendered(t *testing.T) {
	f := newFixture(t, wiki.Config{})
	old := wiki.NewService(f.db, unboundedRenderer{}, textdiff.New(), wiki.Config{})
	// A 2,000 × 2,000 table (8 KB) once cost 1.7 GB and 3 s per view.
	md := "<script>alert(1)</script>\n\n" + hostile.TableBomb(2000, 2000)
	if _, err := old.Save(f.ctx, f.editor, wiki.SaveRequest{Path: wiki.MustPath("club/tableau"), Markdown: md}); err != nil {
		t.Fatal(err)
	}
	r := &countingRenderer{Renderer: fixtureRenderer()}
	svc := wiki.NewService(f.db, r, textdiff.New(), wiki.Config{})
	for i := range 2 {
		pv, err := svc.Page(f.ctx, f.reader, wiki.MustPath("club/tableau"), 0)
		if err != nil {
			t.Fatalf("view %d: %v", i, err)
		}
		if pv.Unrendered == nil || pv.Unrendered.Limit != wiki.LimitTableColumns {
			t.Fatalf("Unrendered = %v, want the table columns bound", pv.Unrendered)
		}
		if !strings.HasPrefix(pv.HTML, `<pre class="unrendered">&lt;script&gt;`) || strings.Contains(pv.HTML, "<script") {
			t.Fatalf("HTML = %.100q", pv.HTML)
		}
		if pv.Markdown != md {
			t.Error("the Markdown is not the saved text")
		}
	}
	if n := r.n.Load(); n != 1 {
		t.Errorf("rendered %d times for two views, want 1 (cached)", n)
	}
}

// TestService_Save_renderLimit saves and previews pages past a bound: both
// are refused with ETooLarge naming it, and nothing is saved.
func TestService_Save_renderLimit(t *testing.T) {
	f := newFixture(t, wiki.Config{})
	pages := map[string]string{
		"table 5000x5000":   hostile.TableBomb(5000, 5000),
		"open destinations": hostile.OpenLinks(400 << 10),
		"footnote refs":     hostile.FootnoteRefs(2<<20 - 16), // 2,097,148 bytes, just inside the 2 MiB page bound
	}
	for name, md := range pages {
		t.Run(name, func(t *testing.T) {
			p := wiki.MustPath("club/bombe")
			_, err := f.svc.Save(f.ctx, f.editor, wiki.SaveRequest{Path: p, Markdown: md})
			var le *wiki.LimitError
			if wiki.ErrorCode(err) != wiki.ETooLarge || !errors.As(err, &le) {
				t.Fatalf("Save: %v, want ETooLarge with a LimitError", err)
			}
			if _, err := f.svc.Preview(f.ctx, f.reader, p, md); wiki.ErrorCode(err) != wiki.ETooLarge {
				t.Fatalf("Preview: %v, want ETooLarge", err)
			}
			if _, err := f.svc.Page(f.ctx, f.reader, p, 0); wiki.ErrorCode(err) != wiki.ENotFound {
				t.Fatalf("Page after a refused save: %v, want not found", err)
			}
		})
	}
}

// blockingRenderer holds every rendering until release is closed or its
// context ends.
type blockingRenderer struct {
	started chan struct{}
	release chan struct{}
}

func (b *blockingRenderer) Render(ctx context.Context, src []byte, _ wiki.RenderOptions) (*wiki.Rendered, error) {
	b.started <- struct{}{}
	select {
	case <-b.release:
		return &wiki.Rendered{HTML: "<p>ok</p>", Meta: map[string]any{}}, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// TestService_Preview_gate checks the render gate: no more renderings at
// once than slots, a waiting request gives up with its context, and a
// rendering past the time limit is EUnavailable.
func TestService_Preview_gate(t *testing.T) {
	f := newFixture(t, wiki.Config{})
	b := &blockingRenderer{started: make(chan struct{}, 4), release: make(chan struct{})}
	svc := wiki.NewService(f.db, b, textdiff.New(), wiki.Config{RenderSlots: 1, RenderTimeout: time.Minute})
	p := wiki.MustPath("club/apercu")

	t.Run("waiting gives up with its context", func(t *testing.T) {
		done := make(chan error, 1)
		go func() {
			_, err := svc.Preview(f.ctx, f.reader, p, "a")
			done <- err
		}()
		<-b.started // the only slot is taken
		ctx, cancel := context.WithTimeout(f.ctx, 50*time.Millisecond)
		defer cancel()
		if _, err := svc.Preview(ctx, f.reader, p, "b"); !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("second preview: %v, want its context's deadline", err)
		}
		select {
		case <-b.started:
			t.Fatal("a second rendering started while the only slot was taken")
		default:
		}
		close(b.release)
		if err := <-done; err != nil {
			t.Fatalf("first preview: %v", err)
		}
	})
	t.Run("time limit", func(t *testing.T) {
		b := &blockingRenderer{started: make(chan struct{}, 1), release: make(chan struct{})}
		svc := wiki.NewService(f.db, b, textdiff.New(), wiki.Config{RenderTimeout: 20 * time.Millisecond})
		_, err := svc.Preview(f.ctx, f.reader, p, "a")
		if wiki.ErrorCode(err) != wiki.EUnavailable {
			t.Fatalf("err = %v, want EUnavailable", err)
		}
	})
}

// blockingDiffer is a differ whose Diff waits for release (or its
// context), to hold a diff slot as long as a test needs.
type blockingDiffer struct {
	textdiff.Differ
	started chan struct{}
	release chan struct{}
}

func (b *blockingDiffer) Diff(ctx context.Context, x, y string) (wiki.Diff, error) {
	b.started <- struct{}{}
	select {
	case <-b.release:
		return b.Differ.Diff(ctx, x, y)
	case <-ctx.Done():
		return wiki.Diff{}, ctx.Err()
	}
}

// TestService_Diff_gate checks that diffs between revisions wait for a
// slot: readers asking for many huge diffs at once cannot take every core,
// and one waiting gives up with its context without starting a diff.
func TestService_Diff_gate(t *testing.T) {
	f := newFixture(t, wiki.Config{})
	const p = "club/comparaison"
	f.save(t, p, "version un\n", 0)
	f.save(t, p, "version deux\n", 1)
	d := &blockingDiffer{started: make(chan struct{}, 4), release: make(chan struct{})}
	svc := wiki.NewService(f.db, fixtureRenderer(), d, wiki.Config{DiffSlots: 1})

	done := make(chan error, 1)
	go func() {
		_, err := svc.Diff(f.ctx, f.reader, wiki.MustPath(p), 1, 2, true)
		done <- err
	}()
	<-d.started // the only slot is taken
	ctx, cancel := context.WithTimeout(f.ctx, 50*time.Millisecond)
	defer cancel()
	if _, err := svc.Diff(ctx, f.reader, wiki.MustPath(p), 1, 2, true); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("second diff: %v, want its context's deadline", err)
	}
	select {
	case <-d.started:
		t.Fatal("a second diff started while the only slot was taken")
	default:
	}
	close(d.release)
	if err := <-done; err != nil {
		t.Fatalf("first diff: %v", err)
	}
	res, err := svc.Diff(f.ctx, f.reader, wiki.MustPath(p), 1, 2, true)
	if err != nil || res.Added != 1 || res.Removed != 1 {
		t.Fatalf("diff after the slot is free = %+v, %v", res, err)
	}
}

// gatedRenderer blocks the renderings of texts starting with "BLOCK"
// until release, and renders the others at once.
type gatedRenderer struct {
	wiki.Renderer
	started chan struct{}
	release chan struct{}
}

func (g *gatedRenderer) Render(ctx context.Context, src []byte, opt wiki.RenderOptions) (*wiki.Rendered, error) {
	if strings.HasPrefix(string(src), "BLOCK") {
		g.started <- struct{}{}
		select {
		case <-g.release:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return g.Renderer.Render(ctx, src, opt)
}

// TestService_Preview_slots checks that previews, which render any text a
// reader sends, take fewer slots than renderings have: while hostile
// previews hold every preview slot, another preview waits but a save
// still renders at once.
func TestService_Preview_slots(t *testing.T) {
	f := newFixture(t, wiki.Config{})
	g := &gatedRenderer{Renderer: fixtureRenderer(), started: make(chan struct{}, 4), release: make(chan struct{})}
	svc := wiki.NewService(f.db, g, textdiff.New(), wiki.Config{RenderSlots: 2, PreviewSlots: 1})
	p := wiki.MustPath("club/apercu")

	done := make(chan error, 1)
	go func() {
		_, err := svc.Preview(f.ctx, f.reader, p, "BLOCK un aperçu hostile")
		done <- err
	}()
	<-g.started // the only preview slot is taken
	ctx, cancel := context.WithTimeout(f.ctx, 50*time.Millisecond)
	defer cancel()
	if _, err := svc.Preview(ctx, f.reader, p, "un autre aperçu"); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("second preview: %v, want it to wait for the preview slot", err)
	}
	res, err := svc.Save(f.ctx, f.editor, wiki.SaveRequest{Path: wiki.MustPath("club/page"), Markdown: "# Page\n\nUn membre enregistre."})
	if err != nil || res.Rev != 1 {
		t.Fatalf("save while previews are busy = %+v, %v", res, err)
	}
	close(g.release)
	if err := <-done; err != nil {
		t.Fatalf("first preview: %v", err)
	}
}

// roomWait is how long a preview waits for a slot in the test of the
// waiting room (Config.RoomWait); the room's default wait is
// defaultRoomWait (wiki's roomMaxWait).
const (
	roomWait        = 200 * time.Millisecond
	defaultRoomWait = 2 * time.Second
)

// TestService_Preview_waitingRoom checks that previews wait in a bounded
// room: when every preview slot is held and the room is full, the next
// preview is answered busy at once rather than holding its text in a
// queue, and a waiting preview gives up busy after a short while.
func TestService_Preview_waitingRoom(t *testing.T) {
	t.Parallel() // its own wiki; it waits the room's wait, alongside SMTPDown's
	f := newFixture(t, wiki.Config{})
	p := wiki.MustPath("club/apercu")
	// held returns a service whose only preview slot a blocked preview
	// holds until the renderer is released.
	held := func(cfg wiki.Config) (*wiki.Service, *gatedRenderer) {
		g := &gatedRenderer{Renderer: fixtureRenderer(), started: make(chan struct{}, 16), release: make(chan struct{})}
		cfg.RenderSlots, cfg.PreviewSlots = 2, 1
		svc := wiki.NewService(f.db, g, textdiff.New(), cfg)
		go func() { _, _ = svc.Preview(f.ctx, f.reader, p, "BLOCK tient la seule place") }()
		<-g.started
		return svc, g
	}

	t.Run("a waiting preview gives up busy", func(t *testing.T) {
		// A short wait, set through the configuration, so that the
		// test does not sit through the default's 2 s.
		svc, g := held(wiki.Config{RoomWait: roomWait})
		defer close(g.release)
		start := time.Now()
		_, err := svc.Preview(f.ctx, f.reader, p, "attend trop longtemps")
		if wiki.ErrorCode(err) != wiki.EUnavailable {
			t.Fatalf("err = %v, want EUnavailable", err)
		}
		if d := time.Since(start); d < roomWait || d > time.Minute {
			t.Errorf("gave up after %v, want after the room's %v", d, roomWait)
		}
	})
	t.Run("a full room answers busy at once", func(t *testing.T) {
		// The default wait: nothing here waits for it, and an answer
		// before it can only be the full room's.
		svc, g := held(wiki.Config{})
		// The room holds four: of five previews arriving together while
		// the slot is held, one is answered busy at once.
		type answer struct {
			err  error
			took time.Duration
		}
		answers := make(chan answer, 5)
		start := time.Now()
		for range 5 {
			go func() {
				_, err := svc.Preview(f.ctx, f.reader, p, "attend son tour")
				answers <- answer{err, time.Since(start)}
			}()
		}
		first := <-answers
		if wiki.ErrorCode(first.err) != wiki.EUnavailable || first.took >= defaultRoomWait {
			t.Fatalf("first answer = %v after %v, want EUnavailable before the %v a waiting preview may wait", first.err, first.took, defaultRoomWait)
		}
		close(g.release)
		for range 4 {
			if a := <-answers; a.err != nil && wiki.ErrorCode(a.err) != wiki.EUnavailable {
				t.Errorf("a waiting preview: %v", a.err)
			}
		}
	})
}
