package textdiff

import (
	"context"
	"errors"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/kdecole-club/clubwiki/testdata/hostile"
)

// engineOf diffs a and b as Regions does, checks that the regions turn a
// into b, and names the engine that computed the diff.
func engineOf(t *testing.T, d Differ, a, b string) (engine string, rs []Region) {
	t.Helper()
	bud := d.newBudget(context.Background())
	ta, tb := split(a), split(b)
	rs, err := diff(bud, ta, tb)
	if err != nil {
		t.Fatalf("diff: %v", err)
	}
	if got := applyRegions(ta, tb, rs); got != b {
		t.Fatalf("the regions do not turn a into b")
	}
	switch {
	case bud.goDiffs == 1 && bud.guards == 0:
		return "go-diff", rs
	case bud.goDiffs == 0 && bud.guards == 1:
		return "guard", rs
	}
	t.Fatalf("go-diff ran %d times, the guard %d", bud.goDiffs, bud.guards)
	return "", nil
}

// applyRegions rebuilds b from a and the regions, checking that the lines
// between regions pair up.
func applyRegions(a, b text, rs []Region) string {
	var sb strings.Builder
	i, j := 0, 0
	for _, r := range rs {
		if r.A0-i != r.B0-j || a.span(i, r.A0) != b.span(j, r.B0) {
			return "unchanged lines differ"
		}
		sb.WriteString(a.span(i, r.A0) + b.span(r.B0, r.B1))
		i, j = r.A1, r.B1
	}
	if a.span(i, a.n()) != b.span(j, b.n()) {
		return "unchanged lines differ"
	}
	return sb.String() + a.span(i, a.n())
}

// changedLines is how many lines the regions delete and insert.
func changedLines(rs []Region) (removed, added int) {
	for _, r := range rs {
		removed, added = removed+r.A1-r.A0, added+r.B1-r.B0
	}
	return removed, added
}

// binaryText returns n lines, each "x" or "y" at random: every line is in
// both texts and the shortest script is long to find.
func binaryText(n int, seed uint64) string {
	r := rand.New(rand.NewPCG(seed, 9))
	var sb strings.Builder
	for range n {
		sb.WriteString([]string{"x\n", "y\n"}[r.IntN(2)])
	}
	return sb.String()
}

// go-diff computes the diffs of ordinary pages; the bounded Myers only
// those past go-diff's threshold, where its speed-ups are unbounded.
func TestDiffer_Engine(t *testing.T) {
	page := hostile.NumberedLines("Le cahier de textes de l'ENT est saisi le jour même, ligne", 400)
	long := hostile.NumberedLines("ligne", 2000)
	ordinary := []struct {
		name, a, b        string
		removed, inserted int
	}{
		{"20KB page, one line changed", page, replaceLines(page, "moi", 200), 1, 1},
		{"2000-line page edited at both ends", long, replaceLines(long, "moi", 1, 1998), 2, 2},
		{"2000 shared lines, 200 edits", vocabText(2000), replaceLines(vocabText(2000), "moi", spaced(0, 2000, 10)...), 200, 200},
		{"page rewritten whole", hostile.NumberedLines("avant", 3000), hostile.NumberedLines("après", 1000), 3000, 1000},
		{"empty page filled", "", page, 0, 400},
		{"page emptied", page, "", 400, 0},
		{"equal pages", page, page, 0, 0},
	}
	for _, c := range ordinary {
		t.Run(c.name, func(t *testing.T) {
			engine, rs := engineOf(t, New(), c.a, c.b)
			if engine != "go-diff" {
				t.Errorf("engine = %s, want go-diff", engine)
			}
			if rem, ins := changedLines(rs); rem != c.removed || ins != c.inserted {
				t.Errorf("-%d +%d lines, want -%d +%d", rem, ins, c.removed, c.inserted)
			}
		})
	}
	big := hostile.NumberedLines("ligne", 60000)
	swapped := swappedHalves(80000)
	hostiles := []struct{ name, a, b string }{
		{"60000 distinct lines, three changed", big, replaceLines(big, "moi", 10, 30000, 59990)},
		{"60000 distinct lines replaced by 60000 others", big, hostile.NumberedLines("après", 60000)},
		{"40000 x vs y", hostile.SameLines(40000, "x"), hostile.SameLines(40000, "y")},
		{"160000 x vs y", hostile.SameLines(160000, "x"), hostile.SameLines(160000, "y")},
		{"160000 lines, halves swapped", swapped, swapped[len(swapped)/2:] + swapped[:len(swapped)/2]},
		{"200000 lines, a run shifted", "b\n" + strings.Repeat("a\n", 200000), strings.Repeat("a\n", 100000) + "d\n"},
	}
	for _, c := range hostiles {
		t.Run(c.name, func(t *testing.T) {
			// The swapped halves keep the guard searching until its time
			// bound: a tenth of the default second shows the same.
			d := Differ{Timeout: 100 * time.Millisecond}
			if engine, _ := engineOf(t, d, c.a, c.b); engine != "guard" {
				t.Errorf("engine = %s, want guard", engine)
			}
		})
	}
	t.Run("more distinct lines than runes", func(t *testing.T) {
		// One line against more: within the work threshold, but more
		// distinct lines than go-diff can name. At the real bound that
		// takes 1.2 million lines; with the bound lowered to 4096 ids
		// (Differ.goDiffIDs), 4,420 lines are over it by the same factor
		// (TestIDRunes checks the real bound).
		alone, many := "seule\n", hostile.NumberedLines("b", 4420)
		if engine, _ := engineOf(t, Differ{goDiffIDs: 4096}, alone, many); engine != "guard" {
			t.Errorf("engine = %s, want guard", engine)
		}
		// The ids bound alone turns go-diff away: under the real one,
		// go-diff diffs these texts.
		if engine, _ := engineOf(t, New(), alone, many); engine != "go-diff" {
			t.Errorf("engine under the real bound = %s, want go-diff", engine)
		}
	})
	t.Run("threshold", func(t *testing.T) {
		for _, c := range []struct {
			n, m int
			want string
		}{{2048, 2048, "go-diff"}, {2049, 2048, "guard"}, {2048, 2049, "guard"}, {2, goDiffMaxWork / 2, "go-diff"}, {2, goDiffMaxWork/2 + 1, "guard"}} {
			a, b := worstCase(c.n, c.m)
			if engine, _ := engineOf(t, New(), a, b); engine != c.want {
				t.Errorf("%d×%d lines: engine = %s, want %s", c.n, c.m, engine, c.want)
			}
		}
	})
}

// go-diff's own time limit bounds its search: past it the diff is coarser
// but exact, and past ctx's deadline the diff ends with ctx's error.
func TestDiffer_GoDiffBounded(t *testing.T) {
	a, b := binaryText(2048, 1), binaryText(2048, 2)
	_, exact := engineOf(t, New(), a, b)
	t.Run("time limit", func(t *testing.T) {
		engine, rs := engineOf(t, Differ{Timeout: time.Millisecond}, a, b)
		if engine != "go-diff" {
			t.Fatalf("engine = %s, want go-diff", engine)
		}
		rem, ins := changedLines(rs)
		if exRem, exIns := changedLines(exact); rem+ins <= exRem+exIns {
			t.Errorf("-%d +%d lines, want more than the exact -%d +%d", rem, ins, exRem, exIns)
		}
	})
	t.Run("context deadline", func(t *testing.T) {
		// go-diff must start before the deadline and still be running at
		// it. A loaded machine can break either half (the deadline passes
		// before the diff starts, or go-diff finishes first), so the test
		// tries a few times and needs one try where both hold.
		for try := 1; ; try++ {
			ctx, cancel := context.WithTimeout(context.Background(), time.Millisecond)
			bud := Differ{Timeout: time.Hour}.newBudget(ctx)
			start := time.Now()
			_, err := diff(bud, split(a), split(b))
			el := time.Since(start)
			cancel()
			if err != nil && !errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("err = %v, want context.DeadlineExceeded or none", err)
			}
			if el > hangLimit {
				t.Fatalf("a diff past its deadline took %v", el)
			}
			if bud.guards != 0 {
				t.Fatalf("the guard ran %d times; go-diff should answer past its deadline", bud.guards)
			}
			if errors.Is(err, context.DeadlineExceeded) && bud.goDiffs == 1 {
				return
			}
			if try == 10 {
				t.Fatalf("in %d tries, never a diff stopped by its context's deadline (last: err %v, go-diff ran %d times)", try, err, bud.goDiffs)
			}
		}
	})
	t.Run("context cancelled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		bud := New().newBudget(ctx)
		ia, ib, _ := lineIDs(split(a), 0, 2048, split(b), 0, 2048)
		if runs, ok := goDiff(bud, ia, ib); !ok || !errors.Is(bud.err, context.Canceled) || len(runs) != 2 {
			t.Errorf("goDiff = %v, %v, budget error %v; want the texts replaced whole and context.Canceled", runs, ok, bud.err)
		}
	})
}

// TestIDRunes checks maxRuneIDs, the real bound of useGoDiff: every id
// below it becomes a distinct rune a string keeps intact, and the last
// one is the last rune, so that there is no room for one more.
func TestIDRunes(t *testing.T) {
	ids := make([]int32, maxRuneIDs)
	for i := range ids {
		ids[i] = int32(i)
	}
	rs := idRunes(ids)
	for i, r := range rs {
		if !utf8.ValidRune(r) || i > 0 && r <= rs[i-1] {
			t.Fatalf("id %d becomes %U, not a valid rune after %U", i, r, rs[max(i-1, 0)])
		}
	}
	if last := rs[len(rs)-1]; last != utf8.MaxRune {
		t.Errorf("the last id becomes %U, want %U: the bound is not the number of runes", last, utf8.MaxRune)
	}
	if back := []rune(string(rs)); len(back) != len(rs) || back[len(back)-1] != rs[len(rs)-1] || back[surrogateStart] != rs[surrogateStart] {
		t.Errorf("the runes do not survive a string")
	}
}
