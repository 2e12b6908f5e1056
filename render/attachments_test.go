package render_test

import (
	"context"
	"strings"
	"testing"

	"github.com/kdecole-club/clubwiki/render"
	"github.com/kdecole-club/clubwiki/wiki"
)

func TestRender_AttachmentImages(t *testing.T) {
	page := wiki.MustPath("usages/photos")
	for _, c := range []struct{ name, md, want string }{
		{"a bare name is the page's attachment", "![](capture-20261201-101500.png)", `src="/files/usages/photos/capture-20261201-101500.png"`},
		{"a name with spaces", "![](Compte%20rendu.png)", `src="/files/usages/photos/Compte%20rendu.png"`},
		{"a path stays", "![](/static/x.png)", `src="/static/x.png"`},
		{"a URL stays", "![](https://example.org/x.png)", `src="https://example.org/x.png"`},
		{"a relative path stays", "![](../x.png)", `src="../x.png"`},
	} {
		t.Run(c.name, func(t *testing.T) {
			out, err := render.New(render.Options{}).Render(context.Background(), []byte(c.md), wiki.RenderOptions{Page: page})
			if err != nil || !strings.Contains(out.HTML, c.want) {
				t.Fatalf("HTML = %s (%v), want %s", out.HTML, err, c.want)
			}
		})
	}
}
