package wiki_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/kdecole-club/clubwiki/wiki"
)

// FuzzPageTypes_Check feeds any front matter to the type checker, as a save
// does: it never panics, and a refusal is invalid_meta naming a field of
// the page's type that the front matter has.
func FuzzPageTypes_Check(f *testing.F) {
	for _, s := range []string{
		fm("type: resolution", "statut: résolu", "projets: [e-lyco]"),
		fm("type: attente", "priorites: {e-lyco: haute}"),
		fm("type: fiche-projet", "etablissements: -1"),
		fm("type: compte-rendu", "date: [2026-01-01]", "participants: {a: b}"),
		fm("type: resolution", "status: &a [*a]"),
		"---\ntype: resolution\nstatut:\n  - x\n---\n",
	} {
		f.Add(s)
	}
	r := fixtureRenderer()
	types := wiki.DefaultTypes()
	f.Fuzz(func(t *testing.T, text string) {
		out, err := r.Render(context.Background(), []byte(text), wiki.RenderOptions{})
		if err != nil {
			return // refused before any type is read
		}
		err = types.Check(out.Meta, text)
		if err == nil {
			return
		}
		var we *wiki.Error
		if !errors.As(err, &we) || we.Code != wiki.EInvalidMeta {
			t.Fatalf("err = %v", err)
		}
		typ, _ := types.Of(out.Meta)
		if _, ok := out.Meta[we.Field]; !ok {
			t.Fatalf("field %q not in the front matter", we.Field)
		}
		if _, ok := typ.Field(we.Field); !ok {
			t.Fatalf("field %q is no field of %s", we.Field, typ.Name)
		}
	})
}

// FuzzYAMLScalar checks that what the form writes reads back as what was
// typed in it: a value, and a list of values.
func FuzzYAMLScalar(f *testing.F) {
	for _, s := range []string{"résolu", "5.10", "a: b", "yes", `"`, "- x", "#", "2026-01-01", "0x10", "*a", "&b", "!x"} {
		f.Add(s)
	}
	r := fixtureRenderer()
	typ, _ := wiki.DefaultTypes().Lookup("resolution")
	version, _ := typ.Field("version")
	services, _ := typ.Field("services")
	f.Fuzz(func(t *testing.T, v string) {
		v = strings.TrimSpace(v)
		if v == "" || !utf8.ValidString(v) || strings.ContainsFunc(v, func(r rune) bool { return r < 0x20 || r == 0x7f || r == 0xFEFF || r >= 0x80 && r < 0xA0 }) {
			return
		}
		for _, fd := range []*wiki.TypeField{version, services} {
			text := wiki.SetFrontMatterLine("# T\n", fd.FieldKeys(), fd.FieldLine(fd.Name, []string{v}, nil))
			out, err := r.Render(context.Background(), []byte(text), wiki.RenderOptions{})
			if err != nil {
				t.Fatalf("%q: %v\n%s", v, err, text)
			}
			got := out.Meta[fd.Name]
			if l, ok := got.([]any); ok && len(l) == 1 {
				got = l[0]
			}
			if s, _ := got.(string); s != v && !(yamlNumberLike(v) && got != nil) {
				t.Fatalf("%q read back as %#v from\n%s", v, got, text)
			}
		}
	})
}

// yamlNumberLike: plain digits and dates are written plain on purpose, and
// read back as a number or as text.
func yamlNumberLike(v string) bool {
	return strings.Trim(v, "0123456789") == "" || len(v) == 10 && strings.Count(v, "-") == 2
}
