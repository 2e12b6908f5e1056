package textdiff

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kdecole-club/clubwiki/testdata/hostile"
	"github.com/kdecole-club/clubwiki/wiki"
)

// timedWords checks a word diff of a and b (checkWords) and that it ends
// well within hangLimit.
func timedWords(t *testing.T, d Differ, a, b string) wiki.WordDiff {
	t.Helper()
	start := time.Now()
	wd := checkWords(t, d, a, b)
	if el := time.Since(start); el > hangLimit {
		t.Errorf("Words took %v", el)
	}
	return wd
}

// countKind returns how many blocks of wd are of kind k.
func countKind(wd wiki.WordDiff, k wiki.BlockKind) int {
	n := 0
	for _, b := range wd.Blocks {
		if b.Kind == k {
			n++
		}
	}
	return n
}

// reversedLines returns the lines of s in reverse order, each changed by
// f.
func reversedLines(s string, f func(string) string) string {
	ls := strings.SplitAfter(strings.TrimSuffix(s, "\n"), "\n")
	var b strings.Builder
	for i := len(ls) - 1; i >= 0; i-- {
		b.WriteString(f(strings.TrimSuffix(ls[i], "\n")) + "\n")
	}
	return b.String()
}

func TestDiffer_WordsHostile(t *testing.T) {
	d := New()
	t.Run("60000 distinct words on one line against 60000 others", func(t *testing.T) {
		wd := timedWords(t, d, hostile.DistinctWords("mot", 60000), hostile.DistinctWords("terme", 60000))
		if !wd.Coarse || len(wd.Blocks) != 1 || !wd.Blocks[0].Coarse {
			t.Errorf("Coarse = %v, %d blocks: want one coarse block", wd.Coarse, len(wd.Blocks))
		}
	})
	t.Run("one word changed in a line of 60000 words", func(t *testing.T) {
		// The common ends are left out before counting tokens.
		a := hostile.DistinctWords("mot", 60000)
		wd := timedWords(t, d, a, strings.Replace(a, " mot30000 ", " changé ", 1))
		want := []wiki.Segment{seg('=', a[:strings.Index(a, "mot30000")]), seg('-', "mot30000"), seg('+', "changé"),
			seg('=', a[strings.Index(a, "mot30000")+8:])}
		if wd.Coarse || !reflect.DeepEqual(wd.Segments(), want) {
			t.Errorf("Coarse = %v, %d segments; want the one word marked", wd.Coarse, len(wd.Segments()))
		}
	})
	t.Run("every other word changed in a line of 60000 words", func(t *testing.T) {
		a := hostile.DistinctWords("mot", 60000)
		b := strings.ReplaceAll(strings.ReplaceAll(a, "0 ", "0x "), "5 ", "5x ")
		if wd := timedWords(t, d, a, b); !wd.Coarse {
			t.Error("Coarse is not set: a line past MaxRegionTokens was compared word by word")
		}
	})
	t.Run("one word of 200000 elisions", func(t *testing.T) {
		// « é'é'é'… » is one word with an apostrophe every two runes:
		// looking each one up as an elision took a minute (quadratic).
		wd := timedWords(t, d, "court\n", strings.Repeat("é'", 100000)+"\n")
		if old, neu := wiki.SegmentTexts(wd.Segments()); old != "court\n" || len(neu) != 300001 {
			t.Errorf("texts of %d and %d bytes do not rebuild the inputs", len(old), len(neu))
		}
	})
	t.Run("60000 lines each changed", func(t *testing.T) {
		c := changedLinesWords()
		if c.err != nil {
			t.Fatalf("Words: %v", c.err)
		}
		checkWordDiff(t, c.wd, c.a, c.b)
		if c.el > hangLimit {
			t.Errorf("Words took %v", c.el)
		}
	})
	t.Run("2 MiB page, three words changed", func(t *testing.T) {
		a := hostile.FrenchProse(2 << 20)
		b := strings.Replace(a, "réunion d'information", "réunion de rentrée", 1)
		b = strings.Replace(b, "chaque soir", "chaque matin", 1)
		b = b[:len(b)/2] + strings.Replace(b[len(b)/2:], "parents", "familles", 1)
		wd := timedWords(t, d, a, b)
		if wd.Coarse || countKind(wd, wiki.BlockChanged) != 3 || countKind(wd, wiki.BlockSame) != 4 {
			t.Errorf("Coarse = %v, %d changed blocks, %d unchanged; want 3 and 4 with words marked",
				wd.Coarse, countKind(wd, wiki.BlockChanged), countKind(wd, wiki.BlockSame))
		}
	})
	t.Run("5000 lines moved and edited", func(t *testing.T) {
		// Every changed line could be the moved copy of every other:
		// comparing them is bounded by maxMoveWork.
		a := hostile.NumberedLines("la ligne de la page du club numéro", 5000)
		b := reversedLines(a, func(l string) string { return l + " bis" })
		timedWords(t, d, a, b)
	})
	t.Run("200000 lines rewritten in one region beside another", func(t *testing.T) {
		// Every changed line may have moved, but to a line of its own
		// region, which rules it out at once: looking must still count.
		// 200,000 lines could cost 200,000² visits against a bound of
		// 2^21; with the bound lowered 64 times (Differ.moveWork), 25,000
		// lines could cost as many times more visits than it allows, and
		// the visits are counted.
		const n = 25000
		a := hostile.NumberedLines("avant", n) + "séparation\nfin\n"
		b := hostile.NumberedLines("après", n) + "séparation\nautre fin\n"
		bud := Differ{moveWork: maxMoveWork / 64}.newBudget(context.Background())
		start := time.Now()
		wd, err := words(bud, a, b)
		if err != nil {
			t.Fatalf("Words: %v", err)
		}
		if el := time.Since(start); el > hangLimit {
			t.Errorf("Words took %v", el)
		}
		checkWordDiff(t, wd, a, b)
		if bud.moveVisits == 0 || bud.moveVisits > bud.maxMoveWork {
			t.Errorf("looking for moved lines visited %d candidates; want some, at most %d", bud.moveVisits, bud.maxMoveWork)
		}
	})
	t.Run("a time bound of a nanosecond", func(t *testing.T) {
		a := paragraphs(frenchParagraphs...)
		b := strings.Replace(a, "chaque soir", "chaque matin", 1)
		if wd := timedWords(t, Differ{Timeout: time.Nanosecond}, a, b); !wd.Coarse {
			t.Error("Coarse is not set past the time bound")
		}
	})
}

// timedDiff is a word diff of a and b, and how long Words took.
type timedDiff struct {
	a, b string
	wd   wiki.WordDiff
	err  error
	el   time.Duration
}

// everyLineChanged holds the word diff of 60,000 lines each changed, which
// TestDiffer_WordsHostile checks and TestDiffer_Words_cancelRunsLong
// times: computed once, as it is the slowest of the package's word diffs.
var everyLineChanged struct {
	once sync.Once
	timedDiff
}

// changedLinesWords returns everyLineChanged, computing it the first time,
// without a time bound so that it compares every line (a bound of an hour
// never cuts it short; hangLimit is what catches a hang).
func changedLinesWords() timedDiff {
	c := &everyLineChanged
	c.once.Do(func() {
		c.a, c.b = changedLinesTexts()
		start := time.Now()
		c.wd, c.err = Differ{Timeout: time.Hour}.Words(context.Background(), c.a, c.b)
		c.el = time.Since(start)
	})
	return c.timedDiff
}

// changedLinesTexts returns 60,000 lines and the same lines each changed.
func changedLinesTexts() (a, b string) {
	a = hostile.NumberedLines("ligne", 60000)
	return a, strings.ReplaceAll(a, "ligne", "ligne modifiée")
}

func TestDiffer_Words_cancel(t *testing.T) {
	a, b := changedLinesTexts()
	t.Run("cancelled before", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if _, err := New().Words(ctx, "a\n", "b\n"); !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
	})
	t.Run("cancelled while comparing words", func(t *testing.T) {
		// Without a deadline: only watching ctx stops the 60,000
		// comparisons of changed lines.
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(20*time.Millisecond, cancel)
		start := time.Now()
		_, err := Differ{Timeout: time.Hour}.Words(ctx, a, b)
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
		if el := time.Since(start); el > hangLimit {
			t.Errorf("a word diff cancelled while running took %v", el)
		}
	})
	t.Run("deadline", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
		defer cancel()
		if _, err := (Differ{Timeout: time.Hour}).Words(ctx, a, b); !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("err = %v, want context.DeadlineExceeded", err)
		}
	})
}

// The 60,000 changed lines take long enough that the cancel tests above
// cancel them while they run; this checks it, so that they cannot pass on
// the entry check alone.
func TestDiffer_Words_cancelRunsLong(t *testing.T) {
	c := changedLinesWords()
	if c.err != nil {
		t.Fatal(c.err)
	}
	if c.el < 20*time.Millisecond {
		t.Skipf("the diff took only %v: too fast for the cancel tests to cancel it running", c.el)
	}
}
