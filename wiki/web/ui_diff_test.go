package web

import (
	"reflect"
	"testing"

	"github.com/kdecole-club/clubwiki/wiki"
)

// TestDiffView_new checks that the diff table is laid out from the
// service's hunks alone: the result below has no unified text to read.
func TestDiffView_new(t *testing.T) {
	t.Parallel()
	d := wiki.DiffResult{From: 2, To: 3, Diff: wiki.Diff{Added: 2, Removed: 1, Hunks: []wiki.DiffHunk{
		{FromLine: 1, FromCount: 2, ToLine: 1, ToCount: 3, Lines: []wiki.DiffLine{
			{Op: wiki.DiffContext, Text: "titre\n"},
			{Op: wiki.DiffInsert, Text: "ajout\n"},
			{Op: wiki.DiffContext, Text: "corps\n"},
		}},
		{FromLine: 11, FromCount: 2, ToLine: 12, ToCount: 2, Lines: []wiki.DiffLine{
			{Op: wiki.DiffContext, Text: "avant\n"},
			{Op: wiki.DiffDelete, Text: "fin"},
			{Op: wiki.DiffInsert, Text: "nouvelle fin"},
		}},
	}}}
	want := diffView{From: 2, To: 3, Added: 2, Removed: 1, Hunks: []diffHunk{
		{Header: "@@ -1,2 +1,3 @@", Lines: []diffLine{
			{Kind: "ctx", Old: 1, New: 1, Text: "titre"},
			{Kind: "add", New: 2, Text: "ajout"},
			{Kind: "ctx", Old: 2, New: 3, Text: "corps"},
		}},
		{Header: "@@ -11,2 +12,2 @@", Lines: []diffLine{
			{Kind: "ctx", Old: 11, New: 12, Text: "avant"},
			{Kind: "del", Old: 12, Text: "fin"},
			{Kind: "note", Text: `\ No newline at end of file`},
			{Kind: "add", New: 13, Text: "nouvelle fin"},
			{Kind: "note", Text: `\ No newline at end of file`},
		}},
	}}
	t.Run("hunks", func(t *testing.T) {
		if got := newDiffView(d); !reflect.DeepEqual(got, want) {
			t.Errorf("view = %+v\nwant   %+v", got, want)
		}
	})
	t.Run("equal texts", func(t *testing.T) {
		if got := newDiffView(wiki.DiffResult{From: 1, To: 1}); got.Hunks != nil {
			t.Errorf("hunks = %+v, want none", got.Hunks)
		}
	})
}
