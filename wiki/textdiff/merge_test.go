package textdiff

import (
	"context"
	"reflect"
	"testing"

	"github.com/kdecole-club/clubwiki/wiki"
)

func TestDiffer_Merge(t *testing.T) {
	base := "titre\n\nun\ndeux\ntrois\n\nquatre\ncinq\nsix\n\nfin\n"
	region := func(b, y, th string) wiki.MergePart {
		return wiki.MergePart{Conflict: &wiki.ConflictRegion{Base: b, Yours: y, Theirs: th}}
	}
	cases := []struct {
		name, mine, theirs string
		want               []wiki.MergePart
	}{
		{"disjoint edits are one text", "titre\n\nUN\ndeux\ntrois\n\nquatre\ncinq\nsix\n\nfin\n",
			"titre\n\nun\ndeux\ntrois\n\nquatre\ncinq\nSIX\n\nfin\n",
			[]wiki.MergePart{{Text: "titre\n\nUN\ndeux\ntrois\n\nquatre\ncinq\nSIX\n\nfin\n"}}},
		{"each overlap is a region with the base's text", "titre\n\nun\nDEUX\ntrois\n\nquatre\nCINQ\nsix\n\nfin\n",
			"titre\n\nun\n2\ntrois\n\nquatre\n5\nsix\n\nFIN\n",
			[]wiki.MergePart{{Text: "titre\n\nun\n"}, region("deux\n", "DEUX\n", "2\n"),
				{Text: "trois\n\nquatre\n"}, region("cinq\n", "CINQ\n", "5\n"), {Text: "six\n\nFIN\n"}}},
		{"adjacent lines merge by words", "titre\n\nun\nDEUX\ntrois\n\nquatre\ncinq\nsix\n\nfin\n",
			"titre\n\nun\ndeux\nTROIS\n\nquatre\ncinq\nsix\n\nfin\n",
			[]wiki.MergePart{{Text: "titre\n\nun\nDEUX\nTROIS\n\nquatre\ncinq\nsix\n\nfin\n"}}},
		{"a line added under a changed one merges", "titre\n\nun\nDEUX\ntrois\n\nquatre\ncinq\nsix\n\nfin\n",
			"titre\n\nun\ndeux\ndeux et demi\ntrois\n\nquatre\ncinq\nsix\n\nfin\n",
			[]wiki.MergePart{{Text: "titre\n\nun\nDEUX\ndeux et demi\ntrois\n\nquatre\ncinq\nsix\n\nfin\n"}}},
		{"lines added at one place conflict", "titre\n\nun\nun et demi\ndeux\ntrois\n\nquatre\ncinq\nsix\n\nfin\n",
			"titre\n\nun\nun et quart\ndeux\ntrois\n\nquatre\ncinq\nsix\n\nfin\n",
			[]wiki.MergePart{{Text: "titre\n\nun\n"}, region("", "un et demi\n", "un et quart\n"),
				{Text: "deux\ntrois\n\nquatre\ncinq\nsix\n\nfin\n"}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m, err := New().Merge(context.Background(), base, c.mine, c.theirs)
			if err != nil {
				t.Fatalf("Merge: %v", err)
			}
			if !reflect.DeepEqual(m.Parts, c.want) {
				t.Errorf("parts = %+v\nwant    %+v", m.Parts, c.want)
			}
			merged, ok, _ := New().Merge3(context.Background(), base, c.mine, c.theirs, 9)
			if merged != m.Markdown(9) || ok != (len(m.Conflicts()) == 0) {
				t.Errorf("Merge3 = %q, %v; the parts write %q", merged, ok, m.Markdown(9))
			}
		})
	}
}
