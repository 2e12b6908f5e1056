package search

import (
	"context"
	"slices"
	"testing"

	"github.com/blevesearch/bleve/v2"
	index "github.com/blevesearch/bleve_index_api"
)

// segmentedEnv is an index of three pages of words near each other
// ("notifications", "notes", "notice"), one save per batch: several
// segments.
func segmentedEnv(t *testing.T) *env {
	e := newEnv(t)
	for i, md := range []string{
		"# Notifications\n\nLes notifications aux parents partent le soir.\n",
		"# Notes\n\nLes notes du trimestre et la notification des familles.\n",
		"# Nouveautés\n\nUne notice, des nouveautés, une note, la notation.\n",
	} {
		e.save("assistance/page-"+string(rune('a'+i)), md)
		e.sync()
	}
	return e
}

// TestSegmentDicts_SameWords checks that reading a prefix's words segment
// by segment (segmentDicts) finds what bleve's own dictionary finds, with
// the same counts, over an index of several segments.
func TestSegmentDicts_SameWords(t *testing.T) {
	t.Parallel()
	e := segmentedEnv(t)
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

// TestSegmentDicts_SameFuzzyWords checks that the words near a typed one,
// read segment by segment, are those scorch's fuzzy dictionary lists,
// with the same distances, over an index of several segments.
func TestSegmentDicts_SameFuzzyWords(t *testing.T) {
	t.Parallel()
	e := segmentedEnv(t)
	for _, c := range []struct {
		term   string
		fuzz   int
		prefix string
	}{{"notfication", 2, "n"}, {"notificaton", 2, ""}, {"note", 1, "n"}, {"parnts", 1, "p"}, {"zzz", 1, "z"}} {
		var want, got []string
		err := e.idx.withLexicon(context.Background(), func(lx *lexicon) error {
			read := func(f fuzzyDicts) ([]string, error) {
				d, a, err := f.FieldDictFuzzyAutomaton(fTextP, c.term, c.fuzz, c.prefix)
				if err != nil {
					return nil, err
				}
				defer d.Close()
				var out []string
				for {
					en, err := d.Next()
					if err != nil || en == nil {
						return out, err
					}
					_, dist := a.MatchAndDistance(en.Term)
					out = append(out, en.Term+"/"+string(rune('0'+dist)))
				}
			}
			var err error
			if want, err = read(lx.r.(index.IndexReaderFuzzy)); err != nil {
				return err
			}
			f := fuzzySource(lx.r)
			if _, ok := f.(segmentDicts); !ok {
				t.Fatalf("the words are read from %T", f)
			}
			got, err = read(f)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s: segment by segment %v, scorch %v", c.term, got, want)
		}
		if c.term == "notfication" && !slices.Contains(got, "notification/1") {
			t.Errorf("%s: %v", c.term, got)
		}
	}
}
