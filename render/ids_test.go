package render_test

import (
	"strings"
	"testing"
)

// TestRenderer_Render_headingIDs checks that heading ids cannot take an id
// of the page's layout (# main gave id="main", the layout's <main>), that
// the table of contents and wiki links to a section use the same ids.
func TestRenderer_Render_headingIDs(t *testing.T) {
	src := "# main\n\n## editor\n\n## site-search\n\n## new-form\n\n## Main\n\nVoir [[club/a#Site search]] et [[guide#editor]].\n"
	out := mustRender(t, src, testOptions("club/a"))
	for _, layout := range []string{"main", "editor", "site-search", "new-form", "main-1"} {
		if strings.Contains(out.HTML, `id="`+layout+`"`) {
			t.Errorf("a heading took the layout's id %q: %s", layout, out.HTML)
		}
	}
	want := []string{"h-main", "h-editor", "h-site-search", "h-new-form", "h-main-1"}
	if len(out.Headings) != len(want) {
		t.Fatalf("headings = %+v", out.Headings)
	}
	for i, h := range out.Headings {
		if h.ID != want[i] {
			t.Errorf("heading %d id = %q, want %q", i, h.ID, want[i])
		}
		if !strings.Contains(out.HTML, `id="`+h.ID+`"`) {
			t.Errorf("the contents link to #%s, which the HTML does not have", h.ID)
		}
	}
	for _, href := range []string{`href="/wiki/club/a#h-site-search"`, `href="/wiki/assistance/guide#h-editor"`} {
		if !strings.Contains(out.HTML, href) {
			t.Errorf("no link %s in %s", href, out.HTML)
		}
	}
}
