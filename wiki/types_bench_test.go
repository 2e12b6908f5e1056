package wiki_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/kdecole-club/clubwiki/render"
	"github.com/kdecole-club/clubwiki/wiki"
)

// BenchmarkPageTypes_Check is the type check a save adds to rendering.
func BenchmarkPageTypes_Check(b *testing.B) {
	md := fm("type: resolution", "statut: Résolu", "projets: [e-lyco, ent-mip]", "version: \"5.2\"", "services: [messagerie, cahier de textes]", "date: 2026-11-30")
	out, err := render.New(render.Options{}).Render(context.Background(), []byte(md), wiki.RenderOptions{})
	if err != nil {
		b.Fatal(err)
	}
	types := wiki.DefaultTypes()
	b.ReportAllocs()
	for b.Loop() {
		if err := types.Check(out.Meta, md); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkService_HeadMetas is the badges of a namespace index of 500
// typed pages, with the front matters already kept (warm) and not (cold).
func BenchmarkService_HeadMetas(b *testing.B) {
	f := newFixture(b, wiki.Config{})
	for i := range 500 {
		f.save(b, fmt.Sprintf("assistance/cas-%d", i), fm("type: resolution", "statut: ouvert", "projets: [e-lyco]")+"\nTexte.\n", 0)
	}
	heads, _, err := f.svc.Pages(f.ctx, f.editor, "assistance", 500, 0)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("warm", func(b *testing.B) {
		f.svc.HeadMetas(f.ctx, f.editor, heads)
		b.ReportAllocs()
		for b.Loop() {
			if got := f.svc.HeadMetas(f.ctx, f.editor, heads); len(got) != 500 {
				b.Fatalf("%d metas", len(got))
			}
		}
	})
}
