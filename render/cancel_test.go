package render_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"

	"github.com/kdecole-club/clubwiki/render"
	"github.com/kdecole-club/clubwiki/testdata/hostile"
)

// endingCtx is a context that ends after its Err has been asked n times,
// as a request whose client leaves in the middle of a rendering.
type endingCtx struct {
	context.Context
	n atomic.Int64
}

func (c *endingCtx) Err() error {
	if c.n.Add(-1) < 0 {
		return context.Canceled
	}
	return nil
}

// TestRenderer_Render_cancel checks that a rendering stops with its
// context: at once when it has already ended, and part way through
// otherwise, whatever the page.
func TestRenderer_Render_cancel(t *testing.T) {
	r := render.New(render.Options{})
	pages := map[string]string{
		"prose":            frenchProse(2 << 20),
		"link definitions": hostile.RefDefinitions(1 << 20),
		"table":            hostile.TableBomb(100, 900),
	}
	for name, src := range pages {
		t.Run(name+" ended", func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			if _, err := r.Render(ctx, []byte(src), testOptions()); !errors.Is(err, context.Canceled) {
				t.Fatalf("err = %v, want context.Canceled", err)
			}
		})
		t.Run(name+" ending", func(t *testing.T) {
			ctx := &endingCtx{Context: context.Background()}
			ctx.n.Store(3)
			_, err := r.Render(ctx, []byte(src), testOptions())
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("err = %v, want context.Canceled", err)
			}
		})
	}
}
