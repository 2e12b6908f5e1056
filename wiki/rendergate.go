package wiki

import (
	"context"
	"errors"
	"html"
	"runtime"
	"sync/atomic"
	"time"
)

// DefaultRenderTimeout bounds one rendering. The renderer's own bounds keep
// any page well under a second on an idle machine; the timeout is for a
// machine so busy that it cannot, so that nothing runs long.
const DefaultRenderTimeout = 10 * time.Second

// renderGate lets at most as many renderings run at once as there are
// slots, so that a few hostile previews cannot take every core from page
// reads and saves. A request waiting for a slot gives up with its context.
type renderGate struct {
	slots   chan struct{}
	timeout time.Duration
	// room, when not 0, is how many requests may wait for a slot, and
	// maxWait how long each may: past either, the request is answered
	// busy at once. Every waiting request holds its body (a preview
	// holds up to a page of text), so 64 readers queueing hostile
	// previews would hold hundreds of MB doing nothing.
	room    int32
	maxWait time.Duration
	waiting atomic.Int32
}

// Waiting rooms of the gates of work any reader can start (previews,
// diffs): a few requests per slot, for a short while (roomMaxWait unless
// Config.RoomWait says otherwise).
const (
	roomPerSlot   = 4
	roomMaxWait   = 2 * time.Second
	busyRendering = "the wiki is too busy to do this now; try again in a moment"
)

// withRoom gives g a waiting room of roomPerSlot requests per slot, each
// waiting at most maxWait, roomMaxWait when not positive.
func (g *renderGate) withRoom(maxWait time.Duration) *renderGate {
	if maxWait <= 0 {
		maxWait = roomMaxWait
	}
	g.room, g.maxWait = int32(roomPerSlot*cap(g.slots)), maxWait
	return g
}

func newRenderGate(slots int, timeout time.Duration) *renderGate {
	if slots <= 0 {
		slots = runtime.GOMAXPROCS(0)
	}
	if timeout <= 0 {
		timeout = DefaultRenderTimeout
	}
	return &renderGate{slots: make(chan struct{}, slots), timeout: timeout}
}

// run calls render with a slot held and a context that ends after the
// gate's timeout. A rendering cut by that timeout is EUnavailable: the
// wiki was too busy, the page may well render later.
func (g *renderGate) run(ctx context.Context, render func(context.Context) (*Rendered, error)) (*Rendered, error) {
	release, err := g.acquire(ctx)
	if err != nil {
		return nil, err
	}
	defer release()
	rctx, cancel := context.WithTimeout(ctx, g.timeout)
	defer cancel()
	out, err := render(rctx)
	if err != nil && ctx.Err() == nil && errors.Is(err, context.DeadlineExceeded) {
		return nil, &Error{Code: EUnavailable, Message: "the wiki is too busy to render the page; try again in a moment", Err: err}
	}
	return out, err
}

// acquire waits for a slot, giving up with ctx, and returns what frees it.
// Diffs of large pages share the rule through their own gate (Service.Diff).
func (g *renderGate) acquire(ctx context.Context) (release func(), err error) {
	release = func() { <-g.slots }
	select {
	case g.slots <- struct{}{}:
		return release, nil
	default:
	}
	var timeout <-chan time.Time
	if g.room > 0 {
		if g.waiting.Add(1) > g.room {
			g.waiting.Add(-1)
			return nil, Errorf(EUnavailable, busyRendering)
		}
		defer g.waiting.Add(-1)
		t := time.NewTimer(g.maxWait)
		defer t.Stop()
		timeout = t.C
	}
	select {
	case g.slots <- struct{}{}:
		return release, nil
	case <-timeout:
		return nil, Errorf(EUnavailable, busyRendering)
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// halfProcs is n, or when n is not set half the processors, at least one:
// the share of the machine that work any reader can start may take.
func halfProcs(n int) int {
	if n > 0 {
		return n
	}
	return max(1, runtime.GOMAXPROCS(0)/2)
}

// unrendered is how a page that went past a rendering bound is shown: its
// Markdown as preformatted text, under title. Such a page was saved before
// the bounds existed; it stays readable and editable, and costs no more
// than a few times its size.
func unrendered(title, text string) *Rendered {
	return &Rendered{
		HTML:     `<pre class="unrendered">` + html.EscapeString(text) + "</pre>\n",
		Title:    title,
		Meta:     map[string]any{},
		Headings: []Heading{},
		Text:     text,
		Links:    []Path{},
	}
}
