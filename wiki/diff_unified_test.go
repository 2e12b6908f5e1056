package wiki_test

import (
	"testing"

	"github.com/kdecole-club/clubwiki/wiki"
)

func TestDiff_Unified(t *testing.T) {
	cases := []struct {
		name string
		d    wiki.Diff
		want string
	}{
		{"no hunk", wiki.Diff{}, ""},
		{"ranges of one line and of several", wiki.Diff{Hunks: []wiki.DiffHunk{
			{FromLine: 4, FromCount: 1, ToLine: 4, ToCount: 2, Lines: []wiki.DiffLine{
				{Op: wiki.DiffContext, Text: "a\n"}, {Op: wiki.DiffInsert, Text: "b\n"},
			}},
		}}, "--- p@1\n+++ p@2\n@@ -4 +4,2 @@\n a\n+b\n"},
		{"an empty side starts before its line", wiki.Diff{Hunks: []wiki.DiffHunk{
			{FromLine: 1, FromCount: 0, ToLine: 1, ToCount: 1, Lines: []wiki.DiffLine{
				{Op: wiki.DiffInsert, Text: "seule"},
			}},
		}}, "--- p@1\n+++ p@2\n@@ -0,0 +1 @@\n+seule\n\\ No newline at end of file\n"},
		{"deleted lines", wiki.Diff{Hunks: []wiki.DiffHunk{
			{FromLine: 9, FromCount: 2, ToLine: 8, ToCount: 0, Lines: []wiki.DiffLine{
				{Op: wiki.DiffDelete, Text: "x\n"}, {Op: wiki.DiffDelete, Text: "y\n"},
			}},
		}}, "--- p@1\n+++ p@2\n@@ -9,2 +7,0 @@\n-x\n-y\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := c.d.Unified("p@1", "p@2"); got != c.want {
				t.Errorf("Unified = %q, want %q", got, c.want)
			}
		})
	}
}
