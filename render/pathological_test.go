package render_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/kdecole-club/clubwiki/render"
)

// pathological returns inputs of about n bytes that once made (or could
// make) a Markdown parser super-linear. Deeply nested containers on one line
// took goldmark seconds at 64 KiB before maxContainerDepth.
func pathological(n int) map[string]string {
	stair := func(prefix func(i int) string) string {
		var b strings.Builder
		for i := 0; b.Len() < n; i++ {
			b.WriteString(prefix(i) + " a\n")
		}
		return b.String()
	}
	return map[string]string{
		"nested quotes":         strings.Repeat(">", n) + " a",
		"nested lists":          strings.Repeat("- ", n/2) + "a",
		"nested ordered":        strings.Repeat("1. ", n/3) + "a",
		"nested mixed":          strings.Repeat("> - 1. ", n/7) + "a",
		"nested footnotes":      strings.Repeat("[^a]: ", n/6) + "x\n\n[^a]",
		"quote staircase":       stair(func(i int) string { return strings.Repeat(">", i) }),
		"list staircase":        stair(func(i int) string { return strings.Repeat("  ", i) + "-" }),
		"open wiki links":       strings.Repeat("[[", n/2),
		"open brackets":         strings.Repeat("[", n),
		"emphasis":              strings.Repeat("*_", n/2),
		"same heading":          strings.Repeat("# a\n", n/4),
		"raw html":              strings.Repeat("<a>", n/3),
		"front matter":          "---\n" + strings.Repeat("- [b, c]\n", n/9) + "---\n",
		"unclosed front matter": "---\n" + strings.Repeat("x", n),
	}
}

// hangLimit is how long a test rendering may take before it counts as
// hanging: generous, for a loaded machine and the race detector.
var hangLimit = map[bool]time.Duration{false: 5 * time.Second, true: time.Minute}[race]

// TestRenderer_Render_pathological bounds the time of hostile 128 KiB
// inputs; quadratic behaviour would take minutes, linear takes milliseconds.
func TestRenderer_Render_pathological(t *testing.T) {
	r := render.New(render.Options{})
	for name, src := range pathological(128 << 10) {
		t.Run(name, func(t *testing.T) {
			start := time.Now()
			_, _ = r.Render(context.Background(), []byte(src), testOptions())
			if d := time.Since(start); d > hangLimit {
				t.Errorf("took %v", d)
			}
		})
	}
}
