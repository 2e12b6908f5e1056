package search

import (
	"context"
	"slices"
	"testing"

	"github.com/blevesearch/bleve/v2"
)

// TestSegmentDicts_SameWords checks that reading a prefix's words segment
// by segment (segmentDicts) finds what bleve's own dictionary finds, with
// the same counts, over an index of several segments.
func TestSegmentDicts_SameWords(t *testing.T) {
	e := newEnv(t)
	// One save per batch: several segments.
	for i, md := range []string{
		"# Notifications\n\nLes notifications aux parents partent le soir.\n",
		"# Notes\n\nLes notes du trimestre et la notification des familles.\n",
		"# Nouveautés\n\nUne notice, des nouveautés, une note.\n",
	} {
		e.save("assistance/page-"+string(rune('a'+i)), md)
		e.sync()
	}
	ctx := context.Background()
	for _, prefix := range []string{"no", "notif", "nouv", "zz", ""} {
		t.Run(prefix, func(t *testing.T) {
			var want, got []string
			var wantCapped, gotCapped bool
			err := e.idx.bleve.read("test", func(b bleve.Index) error {
				var err error
				want, wantCapped, err = expandIn(ctx, b, fTextP, prefix, 50)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			err = e.idx.withLexicon(ctx, func(lx *lexicon) error {
				var err error
				got, gotCapped, err = lx.expand(fTextP, prefix, 50)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, want) || gotCapped != wantCapped {
				t.Errorf("segment by segment %v (capped %v), bleve %v (capped %v)", got, gotCapped, want, wantCapped)
			}
			if prefix == "notif" && len(got) == 0 {
				t.Error("no word starting with notif")
			}
		})
	}
}
